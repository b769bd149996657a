//! Talking to Voucherly: the typed client, its error, and the contract's request and response
//! types (see `shared/voucherly-api.md`).

mod client;
pub mod customers;
mod error;
mod lenient;
mod receipts;
pub mod types;
pub mod wallet;

pub use client::VoucherlyClient;
pub use error::VoucherlyError;
pub use receipts::ReceiptKind;
