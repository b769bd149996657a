//! Queuing the store's event about a payment in the notifications outbox, inside the
//! transaction that made the change it tells of (as the SQLite engine's `outbox::enqueue`).

use deadpool_postgres::Transaction;

use crate::domain::store_event::{Event, EventType, OrderData, PaymentData};
use crate::storage::Change;
use crate::storage::postgres::changes::CHANNEL;

/// Writes a `kind` event about payment `payment_id` and its order, as they stand now in `tx`
/// (call it after the change).
pub(in crate::storage::postgres) async fn enqueue(
    tx: &Transaction<'_>,
    kind: EventType,
    payment_id: i64,
    now: i64,
) -> anyhow::Result<()> {
    let (order_id, data) = order_data(tx, payment_id).await?;
    insert(tx, order_id, kind, &Event::new(kind, now, data)?, now).await
}

/// Order `order_id`'s data for an event about its payment `payment_id`, as it stands in `tx`.
pub(in crate::storage::postgres) async fn order_data(
    tx: &Transaction<'_>,
    payment_id: i64,
) -> anyhow::Result<(i64, OrderData)> {
    let read = tx
        .prepare_cached(
            "SELECT o.id, o.store_order_id, s.store_user_id, p.amount, p.currency, p.reference,
                    p.voucherly_payment_id, p.status
             FROM payments p JOIN orders o ON o.id = p.order_id
                  JOIN shoppers s ON s.id = o.shopper_id
             WHERE p.id = $1",
        )
        .await?;
    let row = tx.query_one(&read, &[&payment_id]).await?;
    let data = OrderData {
        store_order_id: row.try_get(1)?,
        store_user_id: row.try_get(2)?,
        amount: row.try_get(3)?,
        currency: row.try_get(4)?,
        payment: Some(PaymentData {
            reference: row.try_get(5)?,
            voucherly_payment_id: row.try_get(6)?,
            status: row.try_get(7)?,
        }),
        refund: None,
    };
    Ok((row.try_get(0)?, data))
}

/// Writes a `kind` event about order `order_id` itself (its amount, its latest payment if it
/// has one), as it stands now in `tx`, inside the transaction that changed it.
pub(in crate::storage::postgres) async fn enqueue_for_order(
    tx: &Transaction<'_>,
    kind: EventType,
    order_id: i64,
    now: i64,
) -> anyhow::Result<()> {
    let read = tx
        .prepare_cached(
            "SELECT o.store_order_id, s.store_user_id, o.final_amount, o.currency
             FROM orders o JOIN shoppers s ON s.id = o.shopper_id WHERE o.id = $1",
        )
        .await?;
    let row = tx.query_one(&read, &[&order_id]).await?;
    let latest = tx
        .prepare_cached(
            "SELECT reference, voucherly_payment_id, status FROM payments
             WHERE order_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .await?;
    let payment = match tx.query_opt(&latest, &[&order_id]).await? {
        Some(found) => Some(PaymentData {
            reference: found.try_get(0)?,
            voucherly_payment_id: found.try_get(1)?,
            status: found.try_get(2)?,
        }),
        None => None,
    };
    let data = OrderData {
        store_order_id: row.try_get(0)?,
        store_user_id: row.try_get(1)?,
        amount: row.try_get(2)?,
        currency: row.try_get(3)?,
        payment,
        refund: None,
    };
    insert(tx, order_id, kind, &Event::new(kind, now, data)?, now).await
}

/// Queues `event` about order `order_id` in `tx`; every instance hears of it on commit.
pub(in crate::storage::postgres) async fn insert(
    tx: &Transaction<'_>,
    order_id: i64,
    kind: EventType,
    event: &Event,
    now: i64,
) -> anyhow::Result<()> {
    let payload = serde_json::to_string(event)?;
    let insert = tx
        .prepare_cached(
            "INSERT INTO outbox_events (event_id, order_id, type, payload, created_at, attempts,
                 next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, 0, $5)",
        )
        .await?;
    tx.execute(
        &insert,
        &[&event.id, &order_id, &kind.as_str(), &payload, &now],
    )
    .await?;
    // Every instance's delivery worker hears of it when the change commits (none if it does
    // not): the one that claims it first delivers it.
    let notify = tx.prepare_cached("SELECT pg_notify($1, $2)").await?;
    tx.execute(&notify, &[&CHANNEL, &Change::EventsQueued.encode()])
        .await?;
    tracing::info!(event_id = %event.id, order = order_id, kind = kind.as_str(), "event queued for the store");
    Ok(())
}
