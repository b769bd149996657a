//! The outbox table (see the SQLite engine's), leased by delivery workers on any number of
//! instances: one statement picks, for each order with undelivered events, its oldest one if it
//! is due, locks the rows it picked with `FOR UPDATE SKIP LOCKED` (rows another worker is
//! claiming are passed over, not waited for) and pushes them out by the lease. A later event of
//! an order is never picked while an earlier one is undelivered, so no two workers ever hold two
//! events of one order.

use async_trait::async_trait;

use super::Postgres;
use crate::storage::{DueEvent, OutboxStore};

#[async_trait]
impl OutboxStore for Postgres {
    async fn lease_due_events(
        &self,
        now: i64,
        limit: i64,
        lease: i64,
    ) -> anyhow::Result<Vec<DueEvent>> {
        let client = self.client().await?;
        // `delivered_at IS NULL AND next_attempt_at <= $1` is checked again on a row's newest
        // version when it was changed after the statement began: an event another worker has
        // just leased or delivered is not picked.
        let lease_due = client
            .prepare_cached(
                "WITH due AS (
                     SELECT e.id, e.next_attempt_at FROM outbox_events e
                     WHERE e.delivered_at IS NULL AND e.next_attempt_at <= $1
                       AND NOT EXISTS (SELECT 1 FROM outbox_events f
                                       WHERE f.order_id = e.order_id AND f.delivered_at IS NULL
                                         AND f.id < e.id)
                     ORDER BY e.next_attempt_at, e.id
                     LIMIT $2
                     FOR UPDATE OF e SKIP LOCKED
                 ), leased AS (
                     UPDATE outbox_events o SET next_attempt_at = $3
                     FROM due WHERE o.id = due.id
                     RETURNING o.id, o.event_id, o.order_id, o.type, o.payload, o.attempts
                 )
                 SELECT leased.event_id, leased.order_id, leased.type, leased.payload,
                        leased.attempts
                 FROM leased JOIN due ON due.id = leased.id
                 ORDER BY due.next_attempt_at, due.id",
            )
            .await?;
        let rows = client
            .query(&lease_due, &[&now, &limit, &now.saturating_add(lease)])
            .await?;
        Ok(rows
            .iter()
            .map(|row| DueEvent {
                event_id: row.get(0),
                order_id: row.get(1),
                kind: row.get(2),
                payload: row.get(3),
                attempts: row.get(4),
            })
            .collect())
    }

    async fn mark_event_delivered(&self, event_id: String, now: i64) -> anyhow::Result<()> {
        let client = self.client().await?;
        let mark = client
            .prepare_cached(
                "UPDATE outbox_events SET delivered_at = $2
                 WHERE event_id = $1 AND delivered_at IS NULL",
            )
            .await?;
        client.execute(&mark, &[&event_id, &now]).await?;
        Ok(())
    }

    async fn mark_event_failed(
        &self,
        event_id: String,
        attempts: i64,
        next_attempt_at: i64,
        error: String,
    ) -> anyhow::Result<()> {
        let client = self.client().await?;
        let mark = client
            .prepare_cached(
                "UPDATE outbox_events SET attempts = $2, next_attempt_at = $3, last_error = $4
                 WHERE event_id = $1 AND delivered_at IS NULL",
            )
            .await?;
        client
            .execute(&mark, &[&event_id, &attempts, &next_attempt_at, &error])
            .await?;
        Ok(())
    }

    async fn drop_undelivered_events(&self) -> anyhow::Result<usize> {
        let client = self.client().await?;
        let drop = client
            .prepare_cached("DELETE FROM outbox_events WHERE delivered_at IS NULL")
            .await?;
        Ok(usize::try_from(client.execute(&drop, &[]).await?)?)
    }

    async fn prune_events_delivered_before(&self, cutoff: i64) -> anyhow::Result<usize> {
        let client = self.client().await?;
        let prune = client
            .prepare_cached(
                "DELETE FROM outbox_events WHERE delivered_at IS NOT NULL AND delivered_at < $1",
            )
            .await?;
        Ok(usize::try_from(client.execute(&prune, &[&cutoff]).await?)?)
    }
}
