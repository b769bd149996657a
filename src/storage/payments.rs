//! Payment attempts and Voucherly's callbacks.

use anyhow::Result;
use async_trait::async_trait;

use crate::domain::payment::{
    Applied, Begun, Created, NewPayment, PaymentRecord, PaymentSummary, Reading, Uncaptured,
};
use crate::domain::payment_work::{Callback, DueCallback, DueCheck, DueRefund, Kept, Spooled};

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
    /// Up to `limit` unsettled payments due for a re-read at `now`, claimed for `lease` seconds:
    /// until its next read is scheduled (or the lease ends, its worker gone) a claimed payment
    /// is due to no other worker, so two instances never read one payment in the same period.
    async fn lease_due_checks(&self, now: i64, limit: i64, lease: i64) -> Result<Vec<DueCheck>>;
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
