//! Applying Voucherly's word about a payment to our records, in one IMMEDIATE transaction: the
//! payment's status moves only forward, and the order follows when money was taken or given
//! back. Applying the same payment again, or an older reading of it, changes nothing. Each
//! change the store hears about (order paid, payment failed, order refunded) queues one event in
//! the notifications outbox, in the same transaction.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::domain::LocalStatus;
use crate::domain::order::OrderStatus;
use crate::domain::payment::{Applied, FIRST_CHECK_INTERVAL, Reading};
use crate::domain::store_event::EventType;
use crate::storage::sqlite::{Database, now, outbox};

struct Row {
    id: i64,
    order_id: i64,
    status: LocalStatus,
    voucherly_payment_id: Option<String>,
    is_duplicate: bool,
}

/// Applies `payment`, as just read from Voucherly (its status as Voucherly words it), to our
/// payment record and its order, in one transaction; also says whether an event for the store
/// was queued.
pub(super) async fn apply(db: &Database, payment: Reading) -> anyhow::Result<(Applied, bool)> {
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let outcome = apply_in(&tx, &payment)?;
        tx.commit()?;
        Ok(outcome)
    })
    .await
}

/// Applies `payment`; also says whether an event for the store was queued.
fn apply_in(conn: &Connection, payment: &Reading) -> anyhow::Result<(Applied, bool)> {
    let Some(row) = find(conn, payment)? else {
        tracing::info!(reference_id = ?payment.reference, "not one of our payments");
        return Ok((Applied::Unknown, false));
    };
    let heard = payment
        .status
        // Money taken and then voided, cancelled or expired at Voucherly (an authorisation
        // not captured in time, a sale Voucherly cancelled and refunded): it was given back.
        .map(|next| match next {
            LocalStatus::Failed if row.status.holds_money() => LocalStatus::Refunded,
            next => next,
        });
    let moves = heard.is_some_and(|next| row.status.can_move_to(next));
    let status = match heard {
        Some(next) if moves => next,
        _ => row.status,
    };
    // An older word than the one we acted on is not kept: the stored text stays in step with
    // our status. A word we do not know is kept, for support.
    let stale = heard.is_some_and(|next| next != row.status && !moves);
    if row.voucherly_payment_id.is_none() {
        tracing::warn!(
            payment = row.id,
            "payment matched by reference: storing Voucherly's id"
        );
    }
    conn.execute(
        "UPDATE payments SET
             voucherly_payment_id = COALESCE(voucherly_payment_id, NULLIF(?2, '')),
             checkout_url = COALESCE(checkout_url, ?3),
             voucherly_status = CASE WHEN ?4 THEN voucherly_status ELSE COALESCE(?5, voucherly_status) END,
             status = ?6,
             paid_amount = COALESCE(?10, paid_amount),
             paid_voucher_amount = COALESCE(?11, paid_voucher_amount),
             next_check_at = CASE WHEN ?7 THEN NULL ELSE COALESCE(next_check_at, ?8 + ?9) END,
             check_interval = CASE WHEN ?7 THEN check_interval ELSE COALESCE(check_interval, ?9) END,
             updated_at = ?8
         WHERE id = ?1",
        params![
            row.id,
            payment.voucherly_payment_id,
            payment.checkout_url,
            stale,
            payment.voucherly_status,
            status.as_str(),
            status.is_settled(),
            now(),
            FIRST_CHECK_INTERVAL,
            payment.paid_amount,
            payment.paid_voucher_amount,
        ],
    )?;
    super::amounts::record(conn, row.id, &payment.breakdown, now())?;
    let mut event = None;
    if moves {
        tracing::info!(
            payment = row.id,
            from = row.status.as_str(),
            to = status.as_str(),
            "payment status moved"
        );
        if status.holds_money() && row.status.is_given_up() {
            tracing::warn!(
                payment = row.id,
                "orphan paid at Voucherly: adopted, its record follows"
            );
            crate::metrics::record_orphan("adopted");
        }
        event = match status {
            // Money taken now: the order is paid, or it already was (two checkouts approved).
            LocalStatus::Authorised | LocalStatus::Paid if !row.status.holds_money() => {
                if mark_order_paid(conn, &row)? {
                    Some(EventType::OrderPaid)
                } else {
                    mark_duplicate(conn, &row)?;
                    Some(paid_again(conn, &row)?)
                }
            }
            LocalStatus::Refunded => {
                if mark_order_refunded(conn, &row)? {
                    Some(EventType::OrderRefunded)
                } else {
                    row.is_duplicate
                        .then_some(EventType::OrderDuplicateRefunded)
                }
            }
            LocalStatus::Failed => {
                order_awaits_payment(conn, &row)?.then_some(EventType::OrderPaymentFailed)
            }
            _ => None,
        };
    }
    if let Some(kind) = event {
        outbox::enqueue(conn, kind, row.id, now())?;
    }
    if status.holds_money() {
        check_paid_amount(conn, &row, payment)?;
    }
    Ok((Applied::Known { id: row.id, status }, event.is_some()))
}

/// Our row for `payment`: by Voucherly's id, else by our reference (the app stopped before it
/// stored Voucherly's answer), but never a row already tied to another Voucherly payment.
fn find(conn: &Connection, payment: &Reading) -> anyhow::Result<Option<Row>> {
    let read = |row: &rusqlite::Row<'_>| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, bool>(4)?,
        ))
    };
    let mut found = None;
    if !payment.voucherly_payment_id.is_empty() {
        found = conn
            .query_row(
                "SELECT id, order_id, status, voucherly_payment_id, is_duplicate FROM payments
                 WHERE voucherly_payment_id = ?1",
                [&payment.voucherly_payment_id],
                read,
            )
            .optional()?;
    }
    if let (None, Some(reference)) = (&found, &payment.reference) {
        found = conn
            .query_row(
                "SELECT id, order_id, status, voucherly_payment_id, is_duplicate FROM payments
                 WHERE reference = ?1",
                [reference],
                read,
            )
            .optional()?;
        if let Some((id, _, _, Some(other), _)) = &found {
            tracing::error!(payment = id, %other, "reference already tied to another Voucherly payment");
            return Ok(None);
        }
    }
    let Some((id, order_id, status, voucherly_payment_id, is_duplicate)) = found else {
        return Ok(None);
    };
    let status = LocalStatus::parse(&status)
        .ok_or_else(|| anyhow::anyhow!("payment {id} has an unknown status {status:?}"))?;
    Ok(Some(Row {
        id,
        order_id,
        status,
        voucherly_payment_id,
        is_duplicate,
    }))
}

/// Voucherly's `paidAmount` should be the amount we asked for; a difference is recorded on the
/// payment and logged for the store's staff, never silently accepted.
fn check_paid_amount(conn: &Connection, row: &Row, payment: &Reading) -> anyhow::Result<()> {
    let Some(paid) = payment.paid_amount else {
        return Ok(());
    };
    let asked: i64 =
        conn.query_row("SELECT amount FROM payments WHERE id = ?1", [row.id], |r| {
            r.get(0)
        })?;
    if paid != asked {
        tracing::error!(
            payment = row.id,
            paid,
            asked,
            "Voucherly's paid amount differs from the order's"
        );
        conn.execute(
            "UPDATE payments SET error = ?2 WHERE id = ?1",
            params![
                row.id,
                format!("paid amount {paid} differs from the amount asked {asked}")
            ],
        )?;
    }
    Ok(())
}

/// Marks the order paid; `true` when it was awaiting payment (it became paid now).
fn mark_order_paid(conn: &Connection, row: &Row) -> anyhow::Result<bool> {
    let changed = conn.execute(
        "UPDATE orders SET status = 'paid', updated_at = ?2
         WHERE id = ?1 AND status = 'awaiting_payment'",
        params![row.order_id, now()],
    )?;
    Ok(changed > 0)
}

/// The payment took money for an order that no longer awaited it: it is due for an
/// automatic refund, at once.
fn mark_duplicate(conn: &Connection, row: &Row) -> anyhow::Result<()> {
    let others = other_payments(conn, row, &["authorised", "paid", "refunded"])?;
    tracing::warn!(
        order = row.order_id,
        payment = row.id,
        other_payments = ?others,
        "order paid twice: refunding the second payment"
    );
    conn.execute(
        "UPDATE payments SET is_duplicate = 1, refund_due_at = ?2 WHERE id = ?1",
        params![row.id, now()],
    )?;
    Ok(())
}

/// The event for money taken on an order that no longer awaited it, by the order's status:
/// paid after the store cancelled it, or paid twice.
fn paid_again(conn: &Connection, row: &Row) -> anyhow::Result<EventType> {
    let status: String = conn.query_row(
        "SELECT status FROM orders WHERE id = ?1",
        [row.order_id],
        |r| r.get(0),
    )?;
    Ok(if status == OrderStatus::Cancelled.as_str() {
        EventType::OrderPaidAfterCancel
    } else {
        EventType::OrderPaidTwice
    })
}

/// The order is refunded once no payment of it holds money any more; `true` when it became
/// refunded now.
fn mark_order_refunded(conn: &Connection, row: &Row) -> anyhow::Result<bool> {
    let still_paid = other_payments(conn, row, &["authorised", "paid"])?;
    if !still_paid.is_empty() {
        tracing::warn!(
            order = row.order_id,
            payment = row.id,
            ?still_paid,
            "refund of a double payment: the order stays paid"
        );
        return Ok(false);
    }
    let changed = conn.execute(
        // An order the store refunds through the store API is that refund's to settle: its
        // completion queues the one `order.refunded`.
        "UPDATE orders SET status = 'refunded', updated_at = ?2 WHERE id = ?1 AND status = 'paid'
             AND NOT EXISTS (SELECT 1 FROM store_refunds
                             WHERE order_id = ?1 AND status IN ('pending', 'refunded'))",
        params![row.order_id, now()],
    )?;
    Ok(changed > 0)
}

/// Whether the payment's order still awaits payment: a failed attempt matters to the store
/// only then.
fn order_awaits_payment(conn: &Connection, row: &Row) -> anyhow::Result<bool> {
    let status: String = conn.query_row(
        "SELECT status FROM orders WHERE id = ?1",
        [row.order_id],
        |r| r.get(0),
    )?;
    Ok(status == "awaiting_payment")
}

/// The ids of the order's other payments in one of `statuses`.
fn other_payments(conn: &Connection, row: &Row, statuses: &[&str]) -> anyhow::Result<Vec<i64>> {
    let mut statement =
        conn.prepare("SELECT id, status FROM payments WHERE order_id = ?1 AND id <> ?2")?;
    let rows = statement.query_map(params![row.order_id, row.id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut ids = Vec::new();
    for found in rows {
        let (id, status) = found?;
        if statuses.contains(&status.as_str()) {
            ids.push(id);
        }
    }
    Ok(ids)
}
