//! The storage interface: what the application asks of a database, in domain terms, as async
//! traits, one per family of data. No SQL, no driver type and no engine's notion (row ids,
//! pragmas, schema versions) appears in a signature, so a second engine implements the same
//! traits in its own folder. [`sqlite`] is the embedded engine, the default; [`postgres`] is the
//! shared one, for several instances on one database.
//!
//! Transactions and claims ("lease these rows for N seconds") are operations of the traits, not
//! something a caller opens: each method is one unit of work that commits or changes nothing.

mod changes;
pub mod copy;
#[cfg(feature = "demo")]
pub mod demo_store;
pub mod fault;
mod handovers;
mod health;
mod ledger;
mod limits;
mod methods;
mod migration_record;
mod orders;
mod outbox;
mod page_cache;
mod pages;
mod payments;
pub mod postgres;
mod refunds;
mod sessions;
mod shoppers;
pub mod signal;
pub mod sqlite;
mod touches;

/// Everything the application stores. An engine implements every family; the application's
/// services each receive only the families they use.
pub trait Storage:
    ShopperStore
    + PageStore
    + OrderStore
    + PaymentStore
    + RefundStore
    + CallbackInbox
    + MethodStore
    + SessionStore
    + HandoverStore
    + RateLimitStore
    + OutboxStore
    + SettingsStore
    + HealthStore
    + ChangeFeed
    + LedgerStore
    + Send
    + Sync
{
}

impl<T> Storage for T where
    T: ShopperStore
        + PageStore
        + OrderStore
        + PaymentStore
        + RefundStore
        + CallbackInbox
        + MethodStore
        + SessionStore
        + HandoverStore
        + RateLimitStore
        + OutboxStore
        + SettingsStore
        + HealthStore
        + ChangeFeed
        + LedgerStore
        + Send
        + Sync
{
}

pub use sqlite::{Database, now};

pub use changes::*;
pub use handovers::*;
pub use health::*;
pub use ledger::*;
pub use limits::*;
pub use methods::*;
pub use orders::*;
pub use outbox::*;
pub use page_cache::PageCache;
pub use pages::*;
pub use payments::*;
pub use refunds::*;
pub use sessions::*;
pub use shoppers::*;
pub use touches::noting_touches;
