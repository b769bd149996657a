//! The outbox table: events are written in the transaction that changes the order, and leased
//! back by the delivery worker, oldest first per order. When to retry and how long to keep
//! delivered events is decided in `app::notifications`.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::Database;
use crate::domain::store_event::{Event, EventType, OrderData, PaymentData};
use crate::storage::{DueEvent, OutboxStore};

/// Writes a `kind` event about payment `payment_id` and its order, as they stand now in `conn`
/// (call it inside the transaction that made the change, after the change). Returns its id.
pub(crate) fn enqueue(
    conn: &Connection,
    kind: EventType,
    payment_id: i64,
    now: i64,
) -> anyhow::Result<String> {
    let (order_id, data) = order_data(conn, payment_id)?;
    insert(conn, order_id, kind, &Event::new(kind, now, data)?, now)
}

/// Order `order_id`'s data for an event about its payment `payment_id`, as it stands in `conn`.
pub(crate) fn order_data(conn: &Connection, payment_id: i64) -> anyhow::Result<(i64, OrderData)> {
    Ok(conn.query_row(
        "SELECT o.id, o.store_order_id, s.store_user_id, p.amount, p.currency, p.reference,
                p.voucherly_payment_id, p.status
         FROM payments p JOIN orders o ON o.id = p.order_id JOIN shoppers s ON s.id = o.shopper_id
         WHERE p.id = ?1",
        [payment_id],
        |row| {
            Ok((
                row.get::<_, i64>(0)?,
                OrderData {
                    store_order_id: row.get(1)?,
                    store_user_id: row.get(2)?,
                    amount: row.get(3)?,
                    currency: row.get(4)?,
                    payment: Some(PaymentData {
                        reference: row.get(5)?,
                        voucherly_payment_id: row.get(6)?,
                        status: row.get(7)?,
                    }),
                    refund: None,
                },
            ))
        },
    )?)
}

/// Writes a `kind` event about order `order_id` itself (its amount, its latest payment if it
/// has one), as it stands now in `conn`, inside the transaction that changed it.
pub(crate) fn enqueue_for_order(
    conn: &Connection,
    kind: EventType,
    order_id: i64,
    now: i64,
) -> anyhow::Result<String> {
    let data = conn.query_row(
        "SELECT o.store_order_id, s.store_user_id, o.final_amount, o.currency
         FROM orders o JOIN shoppers s ON s.id = o.shopper_id WHERE o.id = ?1",
        [order_id],
        |row| {
            Ok(OrderData {
                store_order_id: row.get(0)?,
                store_user_id: row.get(1)?,
                amount: row.get(2)?,
                currency: row.get(3)?,
                payment: None,
                refund: None,
            })
        },
    )?;
    let payment = conn
        .query_row(
            "SELECT reference, voucherly_payment_id, status FROM payments
             WHERE order_id = ?1 ORDER BY id DESC LIMIT 1",
            [order_id],
            |row| {
                Ok(PaymentData {
                    reference: row.get(0)?,
                    voucherly_payment_id: row.get(1)?,
                    status: row.get(2)?,
                })
            },
        )
        .optional()?;
    let data = OrderData { payment, ..data };
    insert(conn, order_id, kind, &Event::new(kind, now, data)?, now)
}

/// Queues `event` about order `order_id` (inside the transaction that made the change).
/// Returns its id.
pub(crate) fn insert(
    conn: &Connection,
    order_id: i64,
    kind: EventType,
    event: &Event,
    now: i64,
) -> anyhow::Result<String> {
    let payload = serde_json::to_string(event)?;
    conn.execute(
        "INSERT INTO outbox_events (event_id, order_id, type, payload, created_at, attempts,
             next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?5)",
        params![event.id, order_id, kind.as_str(), payload, now],
    )?;
    tracing::info!(event_id = %event.id, order = order_id, kind = kind.as_str(), "event queued for the store");
    Ok(event.id.clone())
}

#[async_trait]
impl OutboxStore for Database {
    async fn lease_due_events(
        &self,
        now: i64,
        limit: i64,
        lease: i64,
    ) -> anyhow::Result<Vec<DueEvent>> {
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let due = due(&tx, now, limit)?;
            {
                let mut claim = tx.prepare_cached(
                    "UPDATE outbox_events SET next_attempt_at = ?2
                     WHERE event_id = ?1 AND delivered_at IS NULL",
                )?;
                for event in &due {
                    claim.execute(params![event.event_id, now.saturating_add(lease)])?;
                }
            }
            tx.commit()?;
            Ok(due)
        })
        .await
    }

    async fn mark_event_delivered(&self, event_id: String, now: i64) -> anyhow::Result<()> {
        self.run(move |conn| {
            conn.execute(
                "UPDATE outbox_events SET delivered_at = ?2
                 WHERE event_id = ?1 AND delivered_at IS NULL",
                params![event_id, now],
            )?;
            Ok(())
        })
        .await
    }

    async fn mark_event_failed(
        &self,
        event_id: String,
        attempts: i64,
        next_attempt_at: i64,
        error: String,
    ) -> anyhow::Result<()> {
        self.run(move |conn| {
            conn.execute(
                "UPDATE outbox_events SET attempts = ?2, next_attempt_at = ?3, last_error = ?4
                 WHERE event_id = ?1 AND delivered_at IS NULL",
                params![event_id, attempts, next_attempt_at, error],
            )?;
            Ok(())
        })
        .await
    }

    async fn drop_undelivered_events(&self) -> anyhow::Result<usize> {
        self.run(|conn| {
            Ok(conn.execute("DELETE FROM outbox_events WHERE delivered_at IS NULL", [])?)
        })
        .await
    }

    async fn prune_events_delivered_before(&self, cutoff: i64) -> anyhow::Result<usize> {
        self.run(move |conn| {
            Ok(conn.execute(
                "DELETE FROM outbox_events WHERE delivered_at IS NOT NULL AND delivered_at < ?1",
                [cutoff],
            )?)
        })
        .await
    }
}

/// For each order with undelivered events, its oldest one, if it is due at `now`.
fn due(conn: &Connection, now: i64, limit: i64) -> anyhow::Result<Vec<DueEvent>> {
    let mut statement = conn.prepare_cached(
        "SELECT e.event_id, e.order_id, e.type, e.payload, e.attempts
         FROM outbox_events e
         WHERE e.delivered_at IS NULL AND e.next_attempt_at <= ?1
           AND e.id = (SELECT MIN(f.id) FROM outbox_events f
                       WHERE f.order_id = e.order_id AND f.delivered_at IS NULL)
         ORDER BY e.next_attempt_at, e.id
         LIMIT ?2",
    )?;
    let rows = statement.query_map(params![now, limit], |row| {
        Ok(DueEvent {
            event_id: row.get(0)?,
            order_id: row.get(1)?,
            kind: row.get(2)?,
            payload: row.get(3)?,
            attempts: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
