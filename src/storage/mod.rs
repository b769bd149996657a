//! The storage interface: what the application asks of a database, in domain terms, as async
//! traits, one per family of data. No SQL, no driver type and no engine's notion (row ids,
//! pragmas, schema versions) appears in a signature, so a second engine implements the same
//! traits in its own folder. [`sqlite`] is the embedded engine, the default.
//!
//! Transactions and claims ("lease these rows for N seconds") are operations of the traits, not
//! something a caller opens: each method is one unit of work that commits or changes nothing.

pub mod sqlite;

use std::collections::HashMap;

use anyhow::Result;
use async_trait::async_trait;

use crate::domain::order::{CreateOrder, NewOrder, Order, StoreOrder};
use crate::domain::payment::{
    Applied, Begun, Created, HistoryPage, NewPayment, PaymentRecord, PaymentSummary, Reading,
    Uncaptured,
};
use crate::domain::payment_work::{Callback, DueCallback, DueCheck, DueRefund, Kept, Spooled};
use crate::domain::{FirstPayment, HandoverToken, NewHandover, Redeemed, Shopper, ShopperDetails};

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

/// Shoppers and their Voucherly customer ids per environment (`embedded`, `sandbox`, `live`).
#[async_trait]
pub trait ShopperStore: Send + Sync {
    /// Creates the shopper, or updates their details if the store user id is known; returns
    /// the id. A known shopper whose name or email changed has their customers marked outdated
    /// in the same unit of work, for [`ShopperStore::take_outdated_profile`].
    async fn upsert_shopper(&self, details: ShopperDetails) -> anyhow::Result<i64>;
    async fn shopper(&self, shopper_id: i64) -> anyhow::Result<Option<Shopper>>;
    async fn shopper_by_store_user_id(
        &self,
        store_user_id: &str,
    ) -> anyhow::Result<Option<Shopper>>;
    /// The shopper's customer id in `environment`, if Voucherly gave them one there.
    async fn customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>>;
    async fn save_customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()>;
    /// Voucherly no longer knows `customer_id`: it is dropped, unless it was replaced
    /// meanwhile, so the next payment creates the customer again.
    async fn forget_customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()>;
    /// The shopper's customer id in `environment`, or the right to make their first payment
    /// (and so create their customer) until `now + lease`, or `Busy` while another holds it.
    async fn claim_first_payment(
        &self,
        shopper_id: i64,
        environment: &'static str,
        now: i64,
        lease: i64,
    ) -> anyhow::Result<FirstPayment>;
    /// The first payment is over (its customer id saved, or it failed): others may go on.
    async fn release_first_payment(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<()>;
    /// The customer id in `environment` whose name or email Voucherly has not been told yet,
    /// if any, clearing the mark: whoever gets it sends the change, and puts the mark back
    /// with [`ShopperStore::mark_profile_outdated`] if that failed. So a change is sent once.
    async fn take_outdated_profile(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>>;
    /// Voucherly could not be told of the change: it is tried again later.
    async fn mark_profile_outdated(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()>;
}

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

/// The store's orders and their lines.
#[async_trait]
pub trait OrderStore: Send + Sync {
    /// Stores `order` for the shopper, unless its store order id is known: then the same order
    /// again is [`CreateOrder::AlreadyExists`], anything else a [`CreateOrder::Conflict`].
    async fn create_order(&self, shopper_id: i64, order: NewOrder) -> anyhow::Result<CreateOrder>;
    /// One of the shopper's orders; `None` when it does not exist or is someone else's.
    async fn order_for_shopper(
        &self,
        shopper_id: i64,
        order_id: i64,
    ) -> anyhow::Result<Option<Order>>;
    /// The shopper's orders still to pay, oldest first.
    async fn orders_awaiting_payment(&self, shopper_id: i64) -> anyhow::Result<Vec<Order>>;
    /// The order the store knows as `store_order_id`, whoever's it is, read in one unit of work.
    async fn store_order(&self, store_order_id: &str) -> anyhow::Result<Option<StoreOrder>>;
    /// The store user id of the shopper whose order `store_order_id` is, if there is one.
    async fn owner_of_order(&self, store_order_id: &str) -> anyhow::Result<Option<String>>;
    /// The id of the order the store knows as `store_order_id`, if it belongs to the shopper
    /// the store knows as `store_user_id`.
    async fn order_of_store_user(
        &self,
        store_user_id: &str,
        store_order_id: &str,
    ) -> anyhow::Result<Option<i64>>;
}

/// Payment attempts: recorded before Voucherly is called, moved forward by what Voucherly says,
/// captured and refunded.
#[async_trait]
pub trait PaymentStore: Send + Sync {
    /// Records a new payment attempt in `creating`, or finds the one this form already made, or
    /// the order's payment still open. A record left `creating` for `creating_timeout` seconds
    /// is marked failed first (it never heard Voucherly's answer), so the order can be paid.
    async fn begin_payment(&self, new: NewPayment, creating_timeout: i64) -> Result<Begun>;
    /// The record a shopper's form already made, if it was submitted before.
    async fn payment_by_idempotency_key(
        &self,
        shopper_id: i64,
        idempotency_key: &str,
    ) -> Result<Option<PaymentRecord>>;
    /// The payment whose `referenceId` at Voucherly is `reference`.
    async fn payment_by_reference(&self, reference: &str) -> Result<Option<PaymentRecord>>;
    /// The payment by its reference, with what the return page may show of its order.
    async fn payment_summary(&self, reference: &str) -> Result<Option<PaymentSummary>>;
    /// Voucherly created the payment: its id and checkout URL are kept, and it moves to
    /// `requested` unless a callback already moved it further.
    async fn record_created(&self, reference: &str, created: Created) -> Result<()>;
    /// Voucherly could not create the payment: the record says why, the order can be paid again.
    async fn record_create_failed(&self, reference: &str, error: &str) -> Result<()>;
    /// Applies what Voucherly says of a payment to our record and its order, and queues the
    /// store's event, in one unit of work; also says whether an event was queued.
    async fn apply_reading(&self, reading: Reading) -> Result<(Applied, bool)>;
    /// Voucherly ids of the order's payments that may still be open or paid at Voucherly,
    /// oldest first.
    async fn unsettled_for_order(&self, order_id: i64) -> Result<Vec<String>>;
    /// An open payment Voucherly says it does not know: no longer open, its outcome unknown.
    async fn mark_outcome_unknown(&self, voucherly_payment_id: &str) -> Result<()>;
    /// An authorised payment could not be captured now: it is checked again at `at`.
    async fn retry_capture_at(&self, voucherly_payment_id: &str, at: i64) -> Result<()>;
    /// The Voucherly id of the order's authorised, uncaptured payment.
    async fn authorised_for_order(&self, order_id: i64) -> Result<Option<String>>;
    /// Every authorised, uncaptured payment, oldest first.
    async fn uncaptured(&self) -> Result<Vec<Uncaptured>>;
    /// Records still `creating` after `timeout` seconds, marked failed: (id, reference) each.
    async fn fail_stuck_creations(&self, now: i64, timeout: i64) -> Result<Vec<(i64, String)>>;
    /// Up to `limit` unsettled payments due for a re-read at `now`.
    async fn due_checks(&self, now: i64, limit: i64) -> Result<Vec<DueCheck>>;
    /// Payment `id` never settled: abandoned, no longer checked.
    async fn abandon(&self, id: i64, now: i64) -> Result<()>;
    /// Payment `id` needs no more re-reads.
    async fn stop_checking(&self, id: i64, now: i64) -> Result<()>;
    /// The next re-read of payment `id` in `interval` seconds.
    async fn check_again_in(&self, id: i64, interval: i64, now: i64) -> Result<()>;
    /// Up to `limit` refunds the app owes at `now`, claimed for a while for this worker.
    async fn lease_due_refunds(&self, now: i64, limit: i64) -> Result<Vec<DueRefund>>;
    /// Voucherly made refund `id`.
    async fn refund_done(&self, id: i64) -> Result<()>;
    /// Refund `id` is tried again at `at`; `error` says what went wrong this time.
    async fn retry_refund_at(&self, id: i64, at: i64, error: String) -> Result<()>;
    /// Voucherly cannot make refund `id`: a person must, and the store's event saying so is
    /// queued with the change; `true` when it was.
    async fn refund_impossible(&self, id: i64, error: String, now: i64) -> Result<bool>;
}

/// Voucherly's callbacks, kept until they are applied, leased to one worker at a time.
#[async_trait]
pub trait CallbackInbox: Send + Sync {
    /// Keeps `callback`, due at once, when it names a payment of ours and fewer than `cap`
    /// wait.
    async fn keep_callback(&self, callback: Callback, cap: i64) -> Result<Kept>;
    /// Keeps callbacks spooled while the database refused them, each entry once however often
    /// it is offered; what became of each entry not kept before.
    async fn keep_spooled(&self, entries: Vec<Spooled>, cap: i64, now: i64) -> Result<Vec<Kept>>;
    /// Up to `limit` callbacks due at `now`, leased for a while to this worker.
    async fn lease_due_callbacks(&self, now: i64, limit: i64) -> Result<Vec<DueCallback>>;
    /// The callback was handled (or given up, `error` saying why).
    async fn callback_done(
        &self,
        voucherly_payment_id: &str,
        error: Option<String>,
        now: i64,
    ) -> Result<()>;
    /// The read-back failed: the callback is due again at `at`.
    async fn retry_callback_at(
        &self,
        voucherly_payment_id: &str,
        error: String,
        at: i64,
    ) -> Result<()>;
}

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

/// The store's one-time hand-over tokens, kept by their hash.
#[async_trait]
pub trait HandoverStore: Send + Sync {
    /// Keeps a hand-over under the token's hash, made at `now`, and sweeps long-expired ones.
    async fn create_handover(
        &self,
        token: &HandoverToken,
        handover: NewHandover,
        now: i64,
    ) -> anyhow::Result<()>;
    /// Uses the hand-over up at `now`, atomically: of two requests racing with the same link,
    /// exactly one signs in.
    async fn redeem_handover(&self, token: &HandoverToken, now: i64) -> anyhow::Result<Redeemed>;
}

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
    Database, backlogs, fault, maintenance, now, outbox, rate_limits, sessions, settings,
};
