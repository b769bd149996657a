//! The payment use cases, as one service, [`Payments`]: starting a payment (the form replayed,
//! the order's earlier checkout closed, one Voucherly customer per shopper, the record written
//! before Voucherly is called), the return page's read-back, the callback intake and its worker,
//! the reconciler, capture and the refunds the app owes. Only a payment read back from
//! Voucherly's API is ever acted on; what is stored goes through the storage interface.

mod cancel;
pub mod capture;
pub mod config;
mod create;
pub mod customer;
mod earlier;
pub mod inbox;
mod intake;
mod reading;
pub mod reconciler;
mod refresh;
mod refund;
mod replay;
mod request;
mod returning;
pub mod spool;
pub mod start;

use std::sync::Arc;

use crate::domain::Clock;
use crate::storage::{CallbackInbox, OrderStore, PaymentStore, ShopperStore};
use crate::voucherly::VoucherlyClient;

pub use capture::CaptureError;
pub use config::{Capture, PaymentsConfig};
pub use intake::Intake;
pub(crate) use reading::reading_of;
pub use reconciler::Policy;
pub use refresh::RefreshError;
pub use spool::Spool;
pub use start::{MethodCheck, StartForm, Started};

/// The payment use cases, built once at start-up with what they use. Cheap to clone.
#[derive(Clone)]
pub struct Payments {
    store: Arc<dyn PaymentStore>,
    inbox: Arc<dyn CallbackInbox>,
    shoppers: Arc<dyn ShopperStore>,
    orders: Arc<dyn OrderStore>,
    voucherly: VoucherlyClient,
    clock: Arc<dyn Clock>,
    config: PaymentsConfig,
    /// The name customer ids are stored under: `embedded`, `sandbox` or `live`.
    environment: &'static str,
    /// Where browsers and Voucherly reach this app, without a trailing slash.
    public_url: Arc<str>,
    spool: Arc<Spool>,
}

/// What [`Payments`] is built with.
pub struct Dependencies {
    pub store: Arc<dyn PaymentStore>,
    pub inbox: Arc<dyn CallbackInbox>,
    pub shoppers: Arc<dyn ShopperStore>,
    pub orders: Arc<dyn OrderStore>,
    pub voucherly: VoucherlyClient,
    pub clock: Arc<dyn Clock>,
    pub config: PaymentsConfig,
    pub environment: &'static str,
    pub public_url: String,
    /// The callback spool, shared with the metrics' backlog count.
    pub spool: Arc<Spool>,
}

impl Payments {
    pub fn new(deps: Dependencies) -> Self {
        Self {
            store: deps.store,
            inbox: deps.inbox,
            shoppers: deps.shoppers,
            orders: deps.orders,
            voucherly: deps.voucherly,
            clock: deps.clock,
            config: deps.config,
            environment: deps.environment,
            public_url: deps.public_url.into(),
            spool: deps.spool,
        }
    }
}
