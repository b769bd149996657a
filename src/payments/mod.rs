//! After a payment is created: applying what Voucherly says about it (from the callback, the
//! return page or the reconciler) to our records, and the reconciler that re-reads unsettled
//! payments. Only a payment read back from Voucherly's API is ever acted on.

pub mod apply;
pub mod capture;
pub mod config;
pub mod customer;
pub mod inbox;
pub mod lookup;
pub mod reconciler;
pub mod refresh;
pub mod refund;

pub use apply::{Applied, apply};
pub use config::{Capture, PaymentsConfig};
pub use lookup::{PaymentSummary, summary_by_reference};
pub use reconciler::{Policy, reconcile_once, reconcile_with};
pub use refresh::{RefreshError, refresh};
