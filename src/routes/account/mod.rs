//! `/account`: the signed-in shopper's own pages.

pub mod add_method;
pub mod export;
pub mod fiscal_receipt;
mod history;
mod method_notes;
mod methods;
mod orders;
pub mod pay;
pub mod preferred;
pub mod profile;
pub mod receipt;
pub mod remove_method;
pub mod wallet;
