//! The storage interface: what the application asks of a database, in domain terms, as async
//! traits, one per family of data. No SQL, no driver type and no engine's notion (row ids,
//! pragmas, schema versions) appears in a signature, so a second engine implements the same
//! traits in its own folder. [`sqlite`] is the embedded engine, the default.
//!
//! Transactions and claims ("lease these rows for N seconds") are operations of the traits, not
//! something a caller opens: each method is one unit of work that commits or changes nothing.

pub mod sqlite;

use std::collections::HashMap;

use async_trait::async_trait;

use crate::domain::LocalStatus;

// The shopper and order records keep their engine paths until their families move.
use self::orders::Order;
use self::shoppers::Shopper;

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

/// What a shopper's pages show (profile, history), each read in one unit of work.
#[async_trait]
pub trait PageStore: Send + Sync {
    /// What the profile page shows of `shopper_id` (their customer id in `environment`), with
    /// page `history_page` of their history, `per_page` to a page, or the last page when that
    /// is past the end; `None` when there is no such shopper (any more). Its parts agree with
    /// each other: they are read at one moment.
    async fn profile_page(
        &self,
        shopper_id: i64,
        environment: &'static str,
        history_page: u32,
        per_page: u32,
    ) -> anyhow::Result<Option<AccountPage>>;

    /// Page `page` of the shopper's payment history, newest first, `per_page` to a page.
    async fn payment_history(
        &self,
        shopper_id: i64,
        page: u32,
        per_page: u32,
    ) -> anyhow::Result<HistoryPage>;

    /// The shopper's Voucherly customer id in `environment`, which the pages about their saved
    /// methods and wallet start from; `None` when they are no customer there yet.
    async fn voucherly_customer(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>>;
}

/// What the profile page reads ([`PageStore::profile_page`]).
pub struct AccountPage {
    pub shopper: Shopper,
    /// Their Voucherly customer id in the environment asked for.
    pub customer_id: Option<String>,
    /// Orders still to pay, oldest first.
    pub orders: Vec<Order>,
    /// Order id → the checkout URL of its payment still at Voucherly's checkout.
    pub open_checkouts: HashMap<i64, String>,
    pub history: HistoryPage,
    /// The history page read: the one asked for, or the last one when that is past the end.
    pub history_page: u32,
    /// The id of the method the shopper prefers, if any.
    pub preferred: Option<String>,
    /// Saved method id → when (Unix seconds) its latest paid payment began.
    pub last_used: HashMap<String, i64>,
}

/// One payment as the history lists it ([`PageStore::payment_history`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub reference: String,
    /// Unix seconds.
    pub created_at: i64,
    pub store_order_id: String,
    pub amount: i64,
    pub currency: String,
    /// `None`: chosen at Voucherly's checkout.
    pub method_label: Option<String>,
    pub status: LocalStatus,
    /// A second payment of an order already paid (refunded by the app).
    pub is_duplicate: bool,
    /// Voucherly could not refund it: a person must.
    pub needs_manual_refund: bool,
    /// The meal-voucher part of what was paid, as Voucherly last reported it.
    pub voucher_amount: Option<i64>,
}

/// A page of the history, and how long the whole is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    /// How many payments the shopper has in all.
    pub total: i64,
}

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
pub trait MethodStore: Send + Sync {
    /// The id of the shopper's preferred method in `environment`, if they chose one.
    async fn preferred_method(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>>;

    /// Makes `method_id` the shopper's preferred method in `environment`, replacing any other.
    async fn prefer_method(
        &self,
        shopper_id: i64,
        environment: &'static str,
        method_id: String,
    ) -> anyhow::Result<()>;

    /// The method `removed` is gone: it is preferred no more, and `instead`, when given, is
    /// preferred in its place.
    async fn method_removed(
        &self,
        shopper_id: i64,
        environment: &'static str,
        removed: String,
        instead: Option<String>,
    ) -> anyhow::Result<()>;

    /// Writes a set-up before Voucherly is called, one per form: the same `idempotency_key`
    /// again finds the first one. `known_methods` are the methods saved before it.
    async fn begin_method_setup(
        &self,
        shopper_id: i64,
        environment: &'static str,
        idempotency_key: String,
        known_methods: Vec<String>,
    ) -> anyhow::Result<SetupBegun>;

    /// The set-up `reference`, if there is one.
    async fn method_setup(&self, reference: &str) -> anyhow::Result<Option<MethodSetup>>;

    /// Voucherly answered the set-up: its payment and checkout, or why it could not start.
    async fn record_setup_answer(
        &self,
        reference: &str,
        answer: Result<SetupCheckout, String>,
    ) -> anyhow::Result<()>;
}

/// An "add a card or meal voucher" checkout.
#[derive(Debug, Clone)]
pub struct MethodSetup {
    pub reference: String,
    pub shopper_id: i64,
    /// The ids of the methods saved before it, to tell the new one.
    pub known_methods: Vec<String>,
    pub checkout_url: Option<String>,
    pub failure: Option<String>,
}

/// What [`MethodStore::begin_method_setup`] found.
pub enum SetupBegun {
    New(MethodSetup),
    /// The same form was sent before.
    Existing(MethodSetup),
}

/// Voucherly's payment for a set-up and where its checkout is.
#[derive(Debug, Clone)]
pub struct SetupCheckout {
    pub voucherly_payment_id: String,
    pub checkout_url: String,
}

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
    Database, backlogs, fault, handovers, maintenance, now, orders, outbox, payments, rate_limits,
    sessions, settings, shoppers,
};
