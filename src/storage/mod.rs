//! The storage interface: what the application asks of a database, in domain terms, as async
//! traits, one per family of data. No SQL, no driver type and no engine's notion (row ids,
//! pragmas, schema versions) appears in a signature, so a second engine implements the same
//! traits in its own folder. [`sqlite`] is the embedded engine, the default.
//!
//! Transactions and claims ("lease these rows for N seconds") are operations of the traits, not
//! something a caller opens: each method is one unit of work that commits or changes nothing.

pub mod sqlite;

use async_trait::async_trait;

/// Everything the application stores. An engine implements every family; the application's
/// services each receive only the families they use.
pub trait Storage:
    ShopperStore
    + PageStore
    + OrderStore
    + PaymentStore
    + CallbackInbox
    + MethodStore
    + SessionStore
    + HandoverStore
    + RateLimitStore
    + OutboxStore
    + SettingsStore
    + HealthStore
    + Send
    + Sync
{
}

impl<T> Storage for T where
    T: ShopperStore
        + PageStore
        + OrderStore
        + PaymentStore
        + CallbackInbox
        + MethodStore
        + SessionStore
        + HandoverStore
        + RateLimitStore
        + OutboxStore
        + SettingsStore
        + HealthStore
        + Send
        + Sync
{
}

/// Shoppers and their Voucherly customer ids per environment.
#[async_trait]
pub trait ShopperStore: Send + Sync {}

/// What a shopper's pages show (profile, history), read in one unit of work.
#[async_trait]
pub trait PageStore: Send + Sync {}

/// The store's orders and their lines.
#[async_trait]
pub trait OrderStore: Send + Sync {}

/// Payment attempts: recorded before Voucherly is called, moved forward by what Voucherly says,
/// captured and refunded.
#[async_trait]
pub trait PaymentStore: Send + Sync {}

/// Voucherly's callbacks, kept until they are applied, leased to one worker at a time.
#[async_trait]
pub trait CallbackInbox: Send + Sync {}

/// A shopper's preferred method and the method set-ups they started.
#[async_trait]
pub trait MethodStore: Send + Sync {}

/// Signed-in sessions.
#[async_trait]
pub trait SessionStore: Send + Sync {}

/// The store's one-time hand-over tokens.
#[async_trait]
pub trait HandoverStore: Send + Sync {}

/// Counters that limit how often something may be done.
#[async_trait]
pub trait RateLimitStore: Send + Sync {}

/// The store's notifications, queued with the change they tell of and delivered in order.
#[async_trait]
pub trait OutboxStore: Send + Sync {}

/// The application's own settings kept in the database (the session key, say).
#[async_trait]
pub trait SettingsStore: Send + Sync {}

/// Readiness, backlogs and housekeeping.
#[async_trait]
pub trait HealthStore: Send + Sync {}

// While the application moves onto the traits above, the SQLite functions keep their paths.
#[cfg(feature = "demo")]
pub use sqlite::demo_store;
pub use sqlite::{
    Database, account_page, backlogs, fault, handovers, maintenance, method_setups, now, orders,
    outbox, payments, preferences, rate_limits, sessions, settings, shoppers,
};
