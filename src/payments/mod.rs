//! The payment use cases, below the routes: reading a payment back and applying it (`refresh`,
//! `apply`) for the return page, the callback worker (`inbox`), the reconciler and the pay
//! button; one Voucherly customer per shopper (`customer`); capture (`capture`, `config`);
//! refunding an order's second payment (`refund`); the callback spool kept while the database
//! refuses writes (`spool`). Only a payment read back from Voucherly's API is ever acted on; the
//! SQL lives in `storage`.

pub mod apply;
pub mod capture;
pub mod config;
pub mod customer;
pub mod inbox;
pub mod reconciler;
pub mod refresh;
pub mod refund;
pub mod request;
pub mod spool;
pub mod start;

pub use crate::storage::payments::summary::{PaymentSummary, summary_by_reference};
pub use apply::{Applied, apply};
pub use config::{Capture, PaymentsConfig};
pub use reconciler::{Policy, reconcile_once, reconcile_with};
pub use refresh::{RefreshError, refresh};
