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
pub use sqlite::{Database, now};
