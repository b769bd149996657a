//! The store's refunds: recorded before Voucherly is called, claimed by one worker at a time
//! (and, of one order, only the oldest unfinished one), completed with the store's event.

use anyhow::Result;
use async_trait::async_trait;

use crate::domain::refund::{NewRefund, RecordRefund, Refund, RefundPlan};

/// The store's refunds of paid orders.
#[async_trait]
pub trait RefundStore: Send + Sync {
    /// Records `refund` as pending, in one unit of work with the checks that decide it: the
    /// order holds captured money, the refund id is new for the order (else the refund it
    /// names, or a conflict when it was asked with another body), and no more than was captured
    /// less what was refunded or is being refunded is asked. `now` is its creation time; it is
    /// due to the workers at `due_at` (the request that made it tries it at once).
    async fn record_refund(&self, refund: NewRefund, now: i64, due_at: i64)
    -> Result<RecordRefund>;
    /// The refund the store knows as `store_refund_id` on order `order_id`.
    async fn refund_of_order(&self, order_id: i64, store_refund_id: &str)
    -> Result<Option<Refund>>;
    /// Every refund of order `order_id`, oldest first.
    async fn refunds_of_order(&self, order_id: i64) -> Result<Vec<Refund>>;
    /// Claims pending refund `id` for `lease` seconds, unless another worker holds it or an
    /// older refund of its order is unfinished; the claimed refund, or `None`.
    async fn claim_refund(&self, id: i64, now: i64, lease: i64) -> Result<Option<Refund>>;
    /// Claims up to `limit` pending refunds due at `now` for `lease` seconds, at most one per
    /// order (its oldest unfinished one), none another worker holds.
    async fn lease_due_store_refunds(
        &self,
        now: i64,
        limit: i64,
        lease: i64,
    ) -> Result<Vec<Refund>>;
    /// Keeps `plan` as refund `id`'s, unless it has one already; the plan it has now.
    async fn keep_refund_plan(&self, id: i64, plan: RefundPlan) -> Result<RefundPlan>;
    /// Refund `id` could not be made now: its lease ends, it is due again at `at`.
    async fn retry_refund_later(&self, id: i64, at: i64, error: String) -> Result<()>;
    /// Voucherly made refund `id`: it is refunded, its order partially refunded or refunded,
    /// and the store's event queued, in one unit of work; `false` when it was not pending.
    async fn complete_refund(&self, id: i64, now: i64) -> Result<bool>;
    /// Voucherly cannot make refund `id`: a person must, and the store is told in the same
    /// unit of work; `false` when it was not pending.
    async fn refund_needs_person(&self, id: i64, error: String, now: i64) -> Result<bool>;
}
