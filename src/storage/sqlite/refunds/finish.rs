//! A store's refund settled, in one IMMEDIATE transaction with what follows from it: the
//! order partially refunded or refunded (and its payment refunded once all of it was given
//! back, so a later read of the payment queues no second `order.refunded`), and the store's
//! event queued.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::domain::store_event::{Event, EventType, OrderData, RefundData};
use crate::storage::sqlite::outbox;

/// What the event about a settled refund is made of.
struct Settled {
    order_id: i64,
    payment_id: i64,
    store_refund_id: String,
    amount: i64,
    destination: String,
    status: String,
}

pub(super) fn complete(conn: &mut Connection, id: i64, now: i64) -> anyhow::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(settled) = settle(&tx, id, "refunded", None, now)? else {
        return Ok(false);
    };
    let refunded = refunded_total(&tx, settled.order_id)?;
    let captured: i64 = tx.query_row(
        "SELECT amount FROM payments WHERE id = ?1",
        [settled.payment_id],
        |row| row.get(0),
    )?;
    let whole = refunded >= captured;
    tx.execute(
        "UPDATE orders SET status = ?2, updated_at = ?3
         WHERE id = ?1 AND status IN ('paid', 'partially_refunded')",
        params![
            settled.order_id,
            if whole {
                "refunded"
            } else {
                "partially_refunded"
            },
            now
        ],
    )?;
    if whole {
        tx.execute(
            "UPDATE payments SET status = 'refunded', updated_at = ?2
             WHERE id = ?1 AND status = 'paid'",
            params![settled.payment_id, now],
        )?;
    }
    let kind = match whole {
        true => EventType::OrderRefunded,
        false => EventType::OrderPartiallyRefunded,
    };
    queue(&tx, kind, &settled, refunded, now)?;
    tx.commit()?;
    Ok(true)
}

pub(super) fn needs_person(
    conn: &mut Connection,
    id: i64,
    error: &str,
    now: i64,
) -> anyhow::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(settled) = settle(&tx, id, "manual_refund_needed", Some(error), now)? else {
        return Ok(false);
    };
    let refunded = refunded_total(&tx, settled.order_id)?;
    queue(
        &tx,
        EventType::OrderManualRefundNeeded,
        &settled,
        refunded,
        now,
    )?;
    tx.commit()?;
    Ok(true)
}

/// Moves pending refund `id` to `status`; `None` when it was not pending.
fn settle(
    conn: &Connection,
    id: i64,
    status: &str,
    error: Option<&str>,
    now: i64,
) -> anyhow::Result<Option<Settled>> {
    Ok(conn
        .query_row(
            "UPDATE store_refunds SET status = ?2, last_error = ?3, lease_until = NULL,
                 completed_at = ?4, updated_at = ?4
             WHERE id = ?1 AND status = 'pending'
             RETURNING order_id, payment_id, store_refund_id, amount, destination, status",
            params![id, status, error, now],
            |row| {
                Ok(Settled {
                    order_id: row.get(0)?,
                    payment_id: row.get(1)?,
                    store_refund_id: row.get(2)?,
                    amount: row.get(3)?,
                    destination: row.get(4)?,
                    status: row.get(5)?,
                })
            },
        )
        .optional()?)
}

fn refunded_total(conn: &Connection, order_id: i64) -> anyhow::Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(amount), 0) FROM store_refunds
         WHERE order_id = ?1 AND status = 'refunded'",
        [order_id],
        |row| row.get(0),
    )?)
}

fn queue(
    conn: &Connection,
    kind: EventType,
    settled: &Settled,
    refunded: i64,
    now: i64,
) -> anyhow::Result<()> {
    let (order_id, order) = outbox::order_data(conn, settled.payment_id)?;
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
    outbox::insert(conn, order_id, kind, &Event::new(kind, now, data)?, now)?;
    Ok(())
}
