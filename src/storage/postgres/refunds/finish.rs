//! A store's refund settled, in one transaction with what follows from it: the order partially
//! refunded or refunded (and its payment refunded once all of it was given back, so a later
//! read of the payment queues no second `order.refunded`), and the store's event queued. Of two
//! instances settling one refund, the second finds it no longer pending and changes nothing.

use deadpool_postgres::Transaction;

use crate::domain::store_event::{Event, EventType, OrderData, RefundData};
use crate::storage::postgres::Postgres;
use crate::storage::postgres::payments::event;

/// What the event about a settled refund is made of.
struct Settled {
    order_id: i64,
    payment_id: i64,
    store_refund_id: String,
    amount: i64,
    destination: String,
    status: String,
}

pub(super) async fn complete(db: &Postgres, id: i64, now: i64) -> anyhow::Result<bool> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let Some(settled) = settle(&tx, id, "refunded", None, now).await? else {
        return Ok(false);
    };
    let refunded = refunded_total(&tx, settled.order_id).await?;
    let read = tx
        .prepare_cached("SELECT amount FROM payments WHERE id = $1")
        .await?;
    let captured: i64 = tx
        .query_one(&read, &[&settled.payment_id])
        .await?
        .try_get(0)?;
    let whole = refunded >= captured;
    let order = tx
        .prepare_cached(
            "UPDATE orders SET status = $2, updated_at = $3
             WHERE id = $1 AND status IN ('paid', 'partially_refunded')",
        )
        .await?;
    let status = if whole {
        "refunded"
    } else {
        "partially_refunded"
    };
    tx.execute(&order, &[&settled.order_id, &status, &now])
        .await?;
    if whole {
        let payment = tx
            .prepare_cached(
                "UPDATE payments SET status = 'refunded', updated_at = $2
                 WHERE id = $1 AND status = 'paid'",
            )
            .await?;
        tx.execute(&payment, &[&settled.payment_id, &now]).await?;
    }
    let kind = match whole {
        true => EventType::OrderRefunded,
        false => EventType::OrderPartiallyRefunded,
    };
    queue(&tx, kind, &settled, refunded, now).await?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn needs_person(
    db: &Postgres,
    id: i64,
    error: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let Some(settled) = settle(&tx, id, "manual_refund_needed", Some(error), now).await? else {
        return Ok(false);
    };
    let refunded = refunded_total(&tx, settled.order_id).await?;
    queue(
        &tx,
        EventType::OrderManualRefundNeeded,
        &settled,
        refunded,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Moves pending refund `id` to `status`; `None` when it was not pending.
async fn settle(
    tx: &Transaction<'_>,
    id: i64,
    status: &str,
    error: Option<&str>,
    now: i64,
) -> anyhow::Result<Option<Settled>> {
    let settle = tx
        .prepare_cached(
            "UPDATE store_refunds SET status = $2, last_error = $3, lease_until = NULL,
                 completed_at = $4, updated_at = $4
             WHERE id = $1 AND status = 'pending'
             RETURNING order_id, payment_id, store_refund_id, amount, destination, status",
        )
        .await?;
    let Some(row) = tx.query_opt(&settle, &[&id, &status, &error, &now]).await? else {
        return Ok(None);
    };
    Ok(Some(Settled {
        order_id: row.try_get(0)?,
        payment_id: row.try_get(1)?,
        store_refund_id: row.try_get(2)?,
        amount: row.try_get(3)?,
        destination: row.try_get(4)?,
        status: row.try_get(5)?,
    }))
}

async fn refunded_total(tx: &Transaction<'_>, order_id: i64) -> anyhow::Result<i64> {
    let sum = tx
        .prepare_cached(
            "SELECT COALESCE(SUM(amount), 0)::BIGINT FROM store_refunds
             WHERE order_id = $1 AND status = 'refunded'",
        )
        .await?;
    Ok(tx.query_one(&sum, &[&order_id]).await?.try_get(0)?)
}

async fn queue(
    tx: &Transaction<'_>,
    kind: EventType,
    settled: &Settled,
    refunded: i64,
    now: i64,
) -> anyhow::Result<()> {
    let (order_id, order) = event::order_data(tx, settled.payment_id).await?;
    let data = OrderData {
        refund: Some(RefundData {
            refund_id: settled.store_refund_id.clone(),
            amount: settled.amount,
            refunded_amount: refunded,
            destination: settled.destination.clone(),
            status: settled.status.clone(),
        }),
        ..order
    };
    event::insert(tx, order_id, kind, &Event::new(kind, now, data)?, now).await
}
