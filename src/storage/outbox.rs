//! The store's notifications waiting to be delivered.

use async_trait::async_trait;

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
