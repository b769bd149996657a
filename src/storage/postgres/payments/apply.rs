//! Applying Voucherly's word about a payment to our records, in one transaction (see the SQLite
//! engine's): the payment's status moves only forward, and the order follows when money was
//! taken or given back. Applying the same payment again, or an older reading of it, changes
//! nothing. Each change the store hears about queues one event in the outbox, in the same
//! transaction.
//!
//! Several instances may apply readings of one payment, or of two payments of one order, at
//! once (a callback and the reconciler): the payment's row is locked first, then its order's,
//! so the second waits for the first and then sees what it committed.

use deadpool_postgres::Transaction;

use super::event;
use crate::domain::LocalStatus;
use crate::domain::order::OrderStatus;
use crate::domain::payment::{Applied, FIRST_CHECK_INTERVAL, Reading};
use crate::domain::store_event::EventType;
use crate::storage::postgres::{Postgres, now};

struct Row {
    id: i64,
    order_id: i64,
    status: LocalStatus,
    voucherly_payment_id: Option<String>,
    is_duplicate: bool,
}

/// Applies `payment`, as just read from Voucherly, to our payment record and its order, in one
/// transaction; also says whether an event for the store was queued.
pub(super) async fn apply(db: &Postgres, payment: Reading) -> anyhow::Result<(Applied, bool)> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let outcome = apply_in(&tx, &payment).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Applies `payment`; also says whether an event for the store was queued.
async fn apply_in(tx: &Transaction<'_>, payment: &Reading) -> anyhow::Result<(Applied, bool)> {
    let Some(row) = find(tx, payment).await? else {
        tracing::info!(reference_id = ?payment.reference, "not one of our payments");
        return Ok((Applied::Unknown, false));
    };
    // The order's payments are applied one at a time: what the others hold is read settled.
    let lock_order = tx
        .prepare_cached("SELECT status FROM orders WHERE id = $1 FOR NO KEY UPDATE")
        .await?;
    let order_status: String = tx
        .query_one(&lock_order, &[&row.order_id])
        .await?
        .try_get(0)?;
    let heard = payment
        .status
        // Money taken and then voided, cancelled or expired at Voucherly: it was given back.
        .map(|next| match next {
            LocalStatus::Failed if row.status.holds_money() => LocalStatus::Refunded,
            next => next,
        });
    let moves = heard.is_some_and(|next| row.status.can_move_to(next));
    let status = match heard {
        Some(next) if moves => next,
        _ => row.status,
    };
    // An older word than the one we acted on is not kept; a word we do not know is kept.
    let stale = heard.is_some_and(|next| next != row.status && !moves);
    if row.voucherly_payment_id.is_none() {
        tracing::warn!(
            payment = row.id,
            "payment matched by reference: storing Voucherly's id"
        );
    }
    let update = tx
        .prepare_cached(
            "UPDATE payments SET
                 voucherly_payment_id = COALESCE(voucherly_payment_id, NULLIF($2::TEXT, '')),
                 checkout_url = COALESCE(checkout_url, $3::TEXT),
                 voucherly_status = CASE WHEN $4::BOOLEAN THEN voucherly_status
                                         ELSE COALESCE($5::TEXT, voucherly_status) END,
                 status = $6,
                 paid_amount = COALESCE($10::BIGINT, paid_amount),
                 paid_voucher_amount = COALESCE($11::BIGINT, paid_voucher_amount),
                 next_check_at = CASE WHEN $7::BOOLEAN THEN NULL
                                      ELSE COALESCE(next_check_at, $8::BIGINT + $9::BIGINT) END,
                 check_interval = CASE WHEN $7::BOOLEAN THEN check_interval
                                       ELSE COALESCE(check_interval, $9::BIGINT) END,
                 updated_at = $8
             WHERE id = $1",
        )
        .await?;
    let at = now();
    tx.execute(
        &update,
        &[
            &row.id,
            &payment.voucherly_payment_id,
            &payment.checkout_url,
            &stale,
            &payment.voucherly_status,
            &status.as_str(),
            &status.is_settled(),
            &at,
            &FIRST_CHECK_INTERVAL,
            &payment.paid_amount,
            &payment.paid_voucher_amount,
        ],
    )
    .await?;
    super::amounts::record(tx, row.id, &payment.breakdown, at).await?;
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
                if mark_order_paid(tx, &row, at).await? {
                    Some(EventType::OrderPaid)
                } else {
                    mark_duplicate(tx, &row, at).await?;
                    Some(paid_again(&order_status))
                }
            }
            LocalStatus::Refunded => {
                if mark_order_refunded(tx, &row, at).await? {
                    Some(EventType::OrderRefunded)
                } else {
                    row.is_duplicate
                        .then_some(EventType::OrderDuplicateRefunded)
                }
            }
            LocalStatus::Failed => {
                (order_status == "awaiting_payment").then_some(EventType::OrderPaymentFailed)
            }
            _ => None,
        };
    }
    if let Some(kind) = event {
        event::enqueue(tx, kind, row.id, at).await?;
    }
    if status.holds_money() {
        check_paid_amount(tx, &row, payment).await?;
    }
    Ok((Applied::Known { id: row.id, status }, event.is_some()))
}

/// The event for money taken on an order that no longer awaited it, by the order's status:
/// paid after the store cancelled it, or paid twice.
fn paid_again(order_status: &str) -> EventType {
    if order_status == OrderStatus::Cancelled.as_str() {
        EventType::OrderPaidAfterCancel
    } else {
        EventType::OrderPaidTwice
    }
}

/// Our row for `payment`, locked: by Voucherly's id, else by our reference (the app stopped
/// before it stored Voucherly's answer), but never a row already tied to another Voucherly
/// payment.
async fn find(tx: &Transaction<'_>, payment: &Reading) -> anyhow::Result<Option<Row>> {
    let mut found = None;
    if !payment.voucherly_payment_id.is_empty() {
        let by_id = tx
            .prepare_cached(
                "SELECT id, order_id, status, voucherly_payment_id, is_duplicate FROM payments
                 WHERE voucherly_payment_id = $1 FOR UPDATE",
            )
            .await?;
        found = tx
            .query_opt(&by_id, &[&payment.voucherly_payment_id])
            .await?;
    }
    if let (None, Some(reference)) = (&found, &payment.reference) {
        let by_reference = tx
            .prepare_cached(
                "SELECT id, order_id, status, voucherly_payment_id, is_duplicate FROM payments
                 WHERE reference = $1 FOR UPDATE",
            )
            .await?;
        found = tx.query_opt(&by_reference, &[reference]).await?;
    }
    let Some(found) = found else {
        return Ok(None);
    };
    let id: i64 = found.try_get(0)?;
    let voucherly_payment_id: Option<String> = found.try_get(3)?;
    if let Some(other) = &voucherly_payment_id
        && *other != payment.voucherly_payment_id
    {
        tracing::error!(payment = id, %other, "reference already tied to another Voucherly payment");
        return Ok(None);
    }
    let status: String = found.try_get(2)?;
    let status = LocalStatus::parse(&status)
        .ok_or_else(|| anyhow::anyhow!("payment {id} has an unknown status {status:?}"))?;
    Ok(Some(Row {
        id,
        order_id: found.try_get(1)?,
        status,
        voucherly_payment_id,
        is_duplicate: found.try_get(4)?,
    }))
}

/// Voucherly's `paidAmount` should be the amount we asked for; a difference is recorded on the
/// payment and logged for the store's staff, never silently accepted.
async fn check_paid_amount(
    tx: &Transaction<'_>,
    row: &Row,
    payment: &Reading,
) -> anyhow::Result<()> {
    let Some(paid) = payment.paid_amount else {
        return Ok(());
    };
    let amount = tx
        .prepare_cached("SELECT amount FROM payments WHERE id = $1")
        .await?;
    let asked: i64 = tx.query_one(&amount, &[&row.id]).await?.try_get(0)?;
    if paid != asked {
        tracing::error!(
            payment = row.id,
            paid,
            asked,
            "Voucherly's paid amount differs from the order's"
        );
        let note = tx
            .prepare_cached("UPDATE payments SET error = $2 WHERE id = $1")
            .await?;
        let error = format!("paid amount {paid} differs from the amount asked {asked}");
        tx.execute(&note, &[&row.id, &error]).await?;
    }
    Ok(())
}

/// Marks the order paid; `true` when it was awaiting payment (it became paid now).
async fn mark_order_paid(tx: &Transaction<'_>, row: &Row, at: i64) -> anyhow::Result<bool> {
    let paid = tx
        .prepare_cached(
            "UPDATE orders SET status = 'paid', updated_at = $2
             WHERE id = $1 AND status = 'awaiting_payment'",
        )
        .await?;
    Ok(tx.execute(&paid, &[&row.order_id, &at]).await? > 0)
}

/// The payment took money for an order that no longer awaited it: it is due for an
/// automatic refund, at once.
async fn mark_duplicate(tx: &Transaction<'_>, row: &Row, at: i64) -> anyhow::Result<()> {
    let others = other_payments(tx, row, &["authorised", "paid", "refunded"]).await?;
    tracing::warn!(
        order = row.order_id,
        payment = row.id,
        other_payments = ?others,
        "order paid twice: refunding the second payment"
    );
    let duplicate = tx
        .prepare_cached("UPDATE payments SET is_duplicate = TRUE, refund_due_at = $2 WHERE id = $1")
        .await?;
    tx.execute(&duplicate, &[&row.id, &at]).await?;
    Ok(())
}

/// The order is refunded once no payment of it holds money any more; `true` when it became
/// refunded now.
async fn mark_order_refunded(tx: &Transaction<'_>, row: &Row, at: i64) -> anyhow::Result<bool> {
    let still_paid = other_payments(tx, row, &["authorised", "paid"]).await?;
    if !still_paid.is_empty() {
        tracing::warn!(
            order = row.order_id,
            payment = row.id,
            ?still_paid,
            "refund of a double payment: the order stays paid"
        );
        return Ok(false);
    }
    let refunded = tx
        .prepare_cached(
            // An order the store refunds through the store API is that refund's to settle:
            // its completion queues the one `order.refunded`.
            "UPDATE orders SET status = 'refunded', updated_at = $2
             WHERE id = $1 AND status = 'paid'
               AND NOT EXISTS (SELECT 1 FROM store_refunds
                               WHERE order_id = $1 AND status IN ('pending', 'refunded'))",
        )
        .await?;
    Ok(tx.execute(&refunded, &[&row.order_id, &at]).await? > 0)
}

/// The ids of the order's other payments in one of `statuses`.
async fn other_payments(
    tx: &Transaction<'_>,
    row: &Row,
    statuses: &[&str],
) -> anyhow::Result<Vec<i64>> {
    let others = tx
        .prepare_cached(
            "SELECT id FROM payments WHERE order_id = $1 AND id <> $2 AND status = ANY($3)
             ORDER BY id",
        )
        .await?;
    let rows = tx
        .query(&others, &[&row.order_id, &row.id, &statuses])
        .await?;
    rows.iter().map(|found| Ok(found.try_get(0)?)).collect()
}
