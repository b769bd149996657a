//! Cancelling an order before it is paid, in one transaction on the order's row: a payment
//! being begun at the same time holds the row shared until it commits, so it either comes
//! first, and its record is given up here, or comes after, and finds the order cancelled.

use deadpool_postgres::Transaction;

use crate::domain::LocalStatus;
use crate::domain::order::{CancelOrder, OrderStatus};
use crate::domain::payment::FIRST_CHECK_INTERVAL;
use crate::domain::store_event::EventType;
use crate::storage::postgres::Postgres;
use crate::storage::postgres::payments::event;

/// Cancels order `order_id` at `now` if it awaits payment; see
/// [`OrderStore::cancel_order`](crate::storage::OrderStore::cancel_order).
#[tracing::instrument(skip(db, reason))]
pub(super) async fn cancel(
    db: &Postgres,
    order_id: i64,
    reason: Option<String>,
    now: i64,
) -> anyhow::Result<CancelOrder> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let outcome = cancel_in(&tx, order_id, reason, now).await?;
    tx.commit().await?;
    Ok(outcome)
}

async fn cancel_in(
    tx: &Transaction<'_>,
    order_id: i64,
    reason: Option<String>,
    now: i64,
) -> anyhow::Result<CancelOrder> {
    let open = [
        LocalStatus::Creating.as_str(),
        LocalStatus::Requested.as_str(),
    ];
    // The open payments first, then the order: the order `apply_reading` locks them in.
    let lock_payments = tx
        .prepare_cached(
            "SELECT id FROM payments WHERE order_id = $1 AND status = ANY($2) ORDER BY id
             FOR UPDATE",
        )
        .await?;
    tx.query(&lock_payments, &[&order_id, &&open[..]]).await?;
    let lock_order = tx
        .prepare_cached(
            "SELECT status, cancelled_at, cancel_reason FROM orders WHERE id = $1
             FOR NO KEY UPDATE",
        )
        .await?;
    let Some(row) = tx.query_opt(&lock_order, &[&order_id]).await? else {
        anyhow::bail!("no order {order_id} to cancel");
    };
    let status: String = row.try_get(0)?;
    let status = OrderStatus::parse(&status)
        .ok_or_else(|| anyhow::anyhow!("order {order_id} has an unknown status {status:?}"))?;
    match status {
        OrderStatus::AwaitingPayment => {}
        OrderStatus::Cancelled => {
            let cancelled_at: Option<i64> = row.try_get(1)?;
            return Ok(CancelOrder::Cancelled {
                first: false,
                reason: row.try_get(2)?,
                cancelled_at: cancelled_at.unwrap_or_default(),
            });
        }
        other => return Ok(CancelOrder::NotAwaitingPayment(other)),
    }
    let update = tx
        .prepare_cached(
            "UPDATE orders SET status = $2, cancelled_at = $3, cancel_reason = $4,
                 updated_at = $3
             WHERE id = $1",
        )
        .await?;
    let cancelled = OrderStatus::Cancelled.as_str();
    tx.execute(&update, &[&order_id, &cancelled, &now, &reason])
        .await?;
    // No longer open for us: the reconciler reads each again from now on and voids the
    // checkout still open at Voucherly (or refunds one paid meanwhile).
    let give_up = tx
        .prepare_cached(
            "UPDATE payments SET status = $2, next_check_at = $3,
                 check_interval = COALESCE(check_interval, $4),
                 error = COALESCE(error, 'order cancelled by the store'), updated_at = $3
             WHERE order_id = $1 AND status = ANY($5)",
        )
        .await?;
    let given_up = tx
        .execute(
            &give_up,
            &[
                &order_id,
                &LocalStatus::CreateFailed.as_str(),
                &now,
                &FIRST_CHECK_INTERVAL,
                &&open[..],
            ],
        )
        .await?;
    event::enqueue_for_order(tx, EventType::OrderCancelled, order_id, now).await?;
    tracing::info!(
        order = order_id,
        open_payments = given_up,
        "order cancelled"
    );
    Ok(CancelOrder::Cancelled {
        first: true,
        reason,
        cancelled_at: now,
    })
}
