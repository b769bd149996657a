//! Recording a store's refund, with every check that decides it, in one IMMEDIATE
//! transaction: two requests at once (the same refund twice, or two refunds of one order)
//! are taken one after the other, so neither doubles nor overdraws.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{by_id, by_store_id};
use crate::domain::refund::{NewRefund, NotRefundable, RecordRefund};

pub(super) fn record(
    conn: &mut Connection,
    refund: &NewRefund,
    now: i64,
    due_at: i64,
) -> anyhow::Result<RecordRefund> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let outcome = record_in(&tx, refund, now, due_at)?;
    tx.commit()?;
    Ok(outcome)
}

fn record_in(
    conn: &Connection,
    refund: &NewRefund,
    now: i64,
    due_at: i64,
) -> anyhow::Result<RecordRefund> {
    if let Some(known) = by_store_id(conn, refund.order_id, &refund.store_refund_id)? {
        return Ok(match known.fingerprint == refund.fingerprint {
            true => RecordRefund::Existing(known),
            false => RecordRefund::Conflict(known),
        });
    }
    let order_status: String = conn.query_row(
        "SELECT status FROM orders WHERE id = ?1",
        [refund.order_id],
        |row| row.get(0),
    )?;
    let payment: Option<(i64, i64, String)> = conn
        .query_row(
            "SELECT id, amount, status FROM payments
             WHERE order_id = ?1 AND NOT is_duplicate
               AND status IN ('authorised', 'paid', 'refunded')
             ORDER BY id DESC LIMIT 1",
            [refund.order_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let refundable = matches!(
        order_status.as_str(),
        "paid" | "partially_refunded" | "refunded"
    );
    let (payment_id, captured, payment_status) = match payment {
        Some((_, _, status)) if status == "authorised" => {
            return Ok(RecordRefund::NotRefundable(NotRefundable::OnlyAuthorised));
        }
        Some(payment) if refundable => payment,
        _ => {
            return Ok(RecordRefund::NotRefundable(NotRefundable::NotPaid {
                status: order_status,
            }));
        }
    };
    let taken: i64 = conn.query_row(
        "SELECT COALESCE(SUM(amount), 0) FROM store_refunds
         WHERE order_id = ?1 AND status IN ('pending', 'refunded')",
        [refund.order_id],
        |row| row.get(0),
    )?;
    let maximum = match payment_status.as_str() {
        // Given back in full already, through Voucherly itself.
        "refunded" if taken == 0 => 0,
        _ => (captured - taken).max(0),
    };
    let amount = refund.amount.unwrap_or(maximum);
    if amount <= 0 || amount > maximum {
        return Ok(RecordRefund::TooMuch { maximum });
    }
    let id: i64 = conn.query_row(
        "INSERT INTO store_refunds (order_id, payment_id, store_refund_id, fingerprint, amount,
             food_amount, destination, reason, lines, status, next_attempt_at, created_at,
             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?11, ?10, ?10)
         RETURNING id",
        params![
            refund.order_id,
            payment_id,
            refund.store_refund_id,
            refund.fingerprint,
            amount,
            refund.food_amount.clamp(0, amount),
            refund.destination.as_str(),
            refund.reason,
            serde_json::to_string(&refund.lines)?,
            now,
            due_at,
        ],
        |row| row.get(0),
    )?;
    let created = by_id(conn, id)?.ok_or_else(|| anyhow::anyhow!("refund {id} not read back"))?;
    Ok(RecordRefund::Created(created))
}
