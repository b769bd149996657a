//! The storage interface: what the application asks of a database, in domain terms, as async
//! traits, one per family of data. No SQL, no driver type and no engine's notion (row ids,
//! pragmas, schema versions) appears in a signature, so a second engine implements the same
//! traits in its own folder. [`sqlite`] is the embedded engine, the default.
//!
//! Transactions and claims ("lease these rows for N seconds") are operations of the traits, not
//! something a caller opens: each method is one unit of work that commits or changes nothing.

#[cfg(feature = "demo")]
pub mod demo_store;
pub mod fault;
pub mod signal;
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

/// What reading a session found.
#[derive(Debug)]
pub enum SessionFound {
    /// The session's state, as JSON text.
    Alive(String),
    /// It had ended: it is deleted now.
    Ended,
    Missing,
}

/// How a session is read as of `now`: it has ended when its idle deadline is past or when
/// `too_old(state)` says so; an alive one has its idle deadline moved to `extend_to`, but only
/// when the stored one is at least `extend_step` seconds behind (a busy session is not written
/// at every request).
pub struct SessionRead {
    pub now: i64,
    pub too_old: Box<dyn FnOnce(&str) -> bool + Send>,
    pub extend_to: i64,
    pub extend_step: i64,
}

/// Sessions (signed in or not), kept by key with their state (JSON text) and idle deadline.
/// When a session has ended is decided by the caller; a write never brings back a session that
/// ended meanwhile.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// The session under `key`: an ended one is deleted at once; an alive one is extended, best
    /// effort (with the database busy it is still alive, only not extended).
    async fn read_session(&self, key: String, read: SessionRead) -> anyhow::Result<SessionFound>;
    /// Keeps a new session under `key`.
    async fn insert_session(
        &self,
        key: String,
        state: String,
        expires_at: i64,
    ) -> anyhow::Result<()>;
    /// Writes `state` and a new idle deadline over the session under `key` if it is still alive
    /// at `now`; `false` when it had ended (nothing is written).
    async fn update_live_session(
        &self,
        key: String,
        state: String,
        expires_at: i64,
        now: i64,
    ) -> anyhow::Result<bool>;
    async fn delete_session(&self, key: String) -> anyhow::Result<()>;
    /// Deletes every ended session as of `now` (idle, or signed in more than `max_age` seconds
    /// ago); returns how many.
    async fn sweep_sessions(&self, now: i64, max_age: i64) -> anyhow::Result<usize>;
}

/// The store's one-time hand-over tokens.
#[async_trait]
pub trait HandoverStore: Send + Sync {}

/// At most `hits` in each `window` seconds.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub hits: i64,
    pub window: i64,
}

/// Counters that limit how often something may be done, shared by every instance: a fixed
/// window per bucket (what is limited, for whom).
#[async_trait]
pub trait RateLimitStore: Send + Sync {
    /// Takes one from `bucket` as of `now`; `Some(seconds)` to wait when that went over `limit`.
    async fn take_one(&self, bucket: String, limit: Limit, now: i64)
    -> anyhow::Result<Option<u64>>;
    /// Forgets the counters of windows that started before `before`; returns how many.
    async fn sweep_counters(&self, before: i64) -> anyhow::Result<usize>;
}

/// A store notification leased to one delivery worker.
#[derive(Debug, Clone)]
pub struct DueEvent {
    /// The event's id, the `id` of its payload.
    pub event_id: String,
    pub order_id: i64,
    pub kind: String,
    /// The exact JSON body to post.
    pub payload: String,
    /// Failed attempts so far.
    pub attempts: i64,
}

/// The store's notifications, queued with the change they tell of and delivered in order.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims, for `lease` seconds from `now`, at most `limit` due events: for each order with
    /// undelivered events its oldest one, if due (a later event of an order never overtakes an
    /// earlier one; orders do not wait for each other). A claimed event is due to no one else
    /// until it is marked or its lease ends.
    async fn lease_due_events(
        &self,
        now: i64,
        limit: i64,
        lease: i64,
    ) -> anyhow::Result<Vec<DueEvent>>;
    async fn mark_event_delivered(&self, event_id: String, now: i64) -> anyhow::Result<()>;
    /// Records a failed attempt: `attempts` so far, the next one not before `next_attempt_at`.
    async fn mark_event_failed(
        &self,
        event_id: String,
        attempts: i64,
        next_attempt_at: i64,
        error: String,
    ) -> anyhow::Result<()>;
    /// Deletes every undelivered event; returns how many.
    async fn drop_undelivered_events(&self) -> anyhow::Result<usize>;
    /// Deletes events delivered before `cutoff`; returns how many.
    async fn prune_events_delivered_before(&self, cutoff: i64) -> anyhow::Result<usize>;
}

/// The application's own settings kept in the database (the session key, say).
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// The value kept under `name`; when there is none yet, `fresh` is kept and returned. Two
    /// instances starting at once agree: the first one to write wins, the other reads it back.
    async fn kept_or_keep(&self, name: &'static str, fresh: String) -> anyhow::Result<String>;
}

/// How much work is waiting.
#[derive(Debug, Clone, Copy)]
pub struct Backlogs {
    /// Callbacks received but not yet read back and applied.
    pub callback_inbox: i64,
    /// Payments not settled yet, which the reconciler keeps re-reading.
    pub unsettled_payments: i64,
    /// Of those, the ones due for a re-read now.
    pub payments_due: i64,
    /// Store events not delivered yet.
    pub outbox: i64,
}

/// Readiness, backlogs and housekeeping.
#[async_trait]
pub trait HealthStore: Send + Sync {
    /// Whether the database can be written and its schema is the one this program knows; the
    /// reason when not.
    async fn check_ready(&self) -> anyhow::Result<()>;
    /// How much work waits, with payments due counted as of `now`.
    async fn backlogs(&self, now: i64) -> anyhow::Result<Backlogs>;
    /// The engine's periodic housekeeping; `false` when it could not finish this time (the next
    /// run finishes the job).
    async fn housekeep(&self) -> anyhow::Result<bool>;
}

// While the application moves onto the traits above, the SQLite functions keep their paths.
pub use sqlite::{
    Database, account_page, handovers, method_setups, now, orders, payments, preferences, shoppers,
};
