//! Cancelling an order before it is paid, in one IMMEDIATE transaction: a payment being begun
//! at the same time (also IMMEDIATE) either comes first, and its record is given up here, or
//! comes after, and finds the order cancelled.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::domain::LocalStatus;
use crate::domain::order::{CancelOrder, OrderStatus};
use crate::domain::payment::FIRST_CHECK_INTERVAL;
use crate::domain::store_event::EventType;
use crate::storage::sqlite::{Database, outbox};

/// Cancels order `order_id` at `now` if it awaits payment; see
/// [`OrderStore::cancel_order`](crate::storage::OrderStore::cancel_order).
#[tracing::instrument(skip(db, reason))]
pub(super) async fn cancel(
    db: &Database,
    order_id: i64,
    reason: Option<String>,
    now: i64,
) -> anyhow::Result<CancelOrder> {
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let outcome = cancel_in(&tx, order_id, reason, now)?;
        tx.commit()?;
        Ok(outcome)
    })
    .await
}

fn cancel_in(
    conn: &Connection,
    order_id: i64,
    reason: Option<String>,
    now: i64,
) -> anyhow::Result<CancelOrder> {
    let found: Option<(String, Option<i64>, Option<String>)> = conn
        .query_row(
            "SELECT status, cancelled_at, cancel_reason FROM orders WHERE id = ?1",
            [order_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((status, cancelled_at, first_reason)) = found else {
        anyhow::bail!("no order {order_id} to cancel");
    };
    let status = OrderStatus::parse(&status)
        .ok_or_else(|| anyhow::anyhow!("order {order_id} has an unknown status {status:?}"))?;
    match status {
        OrderStatus::AwaitingPayment => {}
        OrderStatus::Cancelled => {
            return Ok(CancelOrder::Cancelled {
                first: false,
                reason: first_reason,
                cancelled_at: cancelled_at.unwrap_or_default(),
            });
        }
        other => return Ok(CancelOrder::NotAwaitingPayment(other)),
    }
    conn.execute(
        "UPDATE orders SET status = ?2, cancelled_at = ?3, cancel_reason = ?4, updated_at = ?3
         WHERE id = ?1",
        params![order_id, OrderStatus::Cancelled.as_str(), now, reason],
    )?;
    // No longer open for us: the reconciler reads each again from now on and voids the
    // checkout still open at Voucherly (or refunds one paid meanwhile).
    let given_up = conn.execute(
        "UPDATE payments SET status = ?2, next_check_at = ?3,
             check_interval = COALESCE(check_interval, ?4),
             error = COALESCE(error, 'order cancelled by the store'), updated_at = ?3
         WHERE order_id = ?1 AND status IN (?5, ?6)",
        params![
            order_id,
            LocalStatus::CreateFailed.as_str(),
            now,
            FIRST_CHECK_INTERVAL,
            LocalStatus::Creating.as_str(),
            LocalStatus::Requested.as_str()
        ],
    )?;
    outbox::enqueue_for_order(conn, EventType::OrderCancelled, order_id, now)?;
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
