//! The outbox table: events are written in the transaction that changes the order, and read back
//! by the delivery worker, oldest first per order. When to retry and how long to keep delivered
//! events is decided in `notifications::outbox`.

use rusqlite::{Connection, params};

use super::Database;
use crate::notifications::event::{Event, EventType, OrderData, PaymentData};

/// Writes a `kind` event about payment `payment_id` and its order, as they stand now in `conn`
/// (call it inside the transaction that made the change, after the change). Returns its id.
pub(crate) fn enqueue(
    conn: &Connection,
    kind: EventType,
    payment_id: i64,
    now: i64,
) -> anyhow::Result<String> {
    let (order_id, data) = conn.query_row(
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
                    payment: PaymentData {
                        reference: row.get(5)?,
                        voucherly_payment_id: row.get(6)?,
                        status: row.get(7)?,
                    },
                },
            ))
        },
    )?;
    let event = Event::new(kind, now, data)?;
    let payload = serde_json::to_string(&event)?;
    conn.execute(
        "INSERT INTO outbox_events (event_id, order_id, type, payload, created_at, attempts,
             next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?5)",
        params![event.id, order_id, kind.as_str(), payload, now],
    )?;
    tracing::info!(event_id = %event.id, order = order_id, kind = kind.as_str(), "event queued for the store");
    Ok(event.id)
}

/// An event the worker may post now.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: i64,
    pub event_id: String,
    pub order_id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

/// For each order with undelivered events, its oldest one, if it is due at `now`: a later event
/// of an order never overtakes an earlier one, and orders do not wait for each other.
pub async fn due(db: &Database, now: i64, limit: i64) -> anyhow::Result<Vec<Due>> {
    db.run(move |conn| {
        let mut statement = conn.prepare(
            "SELECT e.id, e.event_id, e.order_id, e.type, e.payload, e.attempts
             FROM outbox_events e
             WHERE e.delivered_at IS NULL AND e.next_attempt_at <= ?1
               AND e.id = (SELECT MIN(f.id) FROM outbox_events f
                           WHERE f.order_id = e.order_id AND f.delivered_at IS NULL)
             ORDER BY e.next_attempt_at, e.id
             LIMIT ?2",
        )?;
        let rows = statement.query_map(params![now, limit], |row| {
            Ok(Due {
                id: row.get(0)?,
                event_id: row.get(1)?,
                order_id: row.get(2)?,
                kind: row.get(3)?,
                payload: row.get(4)?,
                attempts: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    })
    .await
}

pub async fn mark_delivered(db: &Database, id: i64, now: i64) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE outbox_events SET delivered_at = ?2 WHERE id = ?1 AND delivered_at IS NULL",
            params![id, now],
        )?;
        Ok(())
    })
    .await
}

/// Records a failed attempt: `attempts` so far, the next one not before `next_attempt_at`.
pub async fn record_failure(
    db: &Database,
    id: i64,
    attempts: i64,
    next_attempt_at: i64,
    error: String,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE outbox_events SET attempts = ?2, next_attempt_at = ?3, last_error = ?4
             WHERE id = ?1 AND delivered_at IS NULL",
            params![id, attempts, next_attempt_at, error],
        )?;
        Ok(())
    })
    .await
}

/// Without a webhook nobody is listening: undelivered events are deleted rather than kept
/// forever. Returns how many.
pub async fn drop_undelivered(db: &Database) -> anyhow::Result<usize> {
    db.run(|conn| Ok(conn.execute("DELETE FROM outbox_events WHERE delivered_at IS NULL", [])?))
        .await
}

/// Deletes events delivered before `cutoff`.
pub async fn prune_delivered_before(db: &Database, cutoff: i64) -> anyhow::Result<usize> {
    db.run(move |conn| {
        Ok(conn.execute(
            "DELETE FROM outbox_events WHERE delivered_at IS NOT NULL AND delivered_at < ?1",
            [cutoff],
        )?)
    })
    .await
}
