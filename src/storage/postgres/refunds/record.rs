//! Recording a store's refund, with every check that decides it, in one transaction that
//! first locks the order's row: two requests at once (the same refund twice, or two refunds
//! of one order, on any instances) are taken one after the other, so neither doubles nor
//! overdraws.

use super::{by_id, by_store_id};
use crate::domain::refund::{NewRefund, NotRefundable, RecordRefund};
use crate::storage::postgres::Postgres;

pub(super) async fn record(
    db: &Postgres,
    refund: &NewRefund,
    now: i64,
    due_at: i64,
) -> anyhow::Result<RecordRefund> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let lock = tx
        .prepare_cached("SELECT status FROM orders WHERE id = $1 FOR UPDATE")
        .await?;
    let order_status: String = tx.query_one(&lock, &[&refund.order_id]).await?.try_get(0)?;
    if let Some(known) = by_store_id(&tx, refund.order_id, &refund.store_refund_id).await? {
        return Ok(match known.fingerprint == refund.fingerprint {
            true => RecordRefund::Existing(known),
            false => RecordRefund::Conflict(known),
        });
    }
    let read_payment = tx
        .prepare_cached(
            "SELECT id, amount, status FROM payments
             WHERE order_id = $1 AND NOT is_duplicate
               AND status IN ('authorised', 'paid', 'refunded')
             ORDER BY id DESC LIMIT 1",
        )
        .await?;
    let payment = match tx.query_opt(&read_payment, &[&refund.order_id]).await? {
        Some(row) => Some((
            row.try_get::<_, i64>(0)?,
            row.try_get::<_, i64>(1)?,
            row.try_get::<_, String>(2)?,
        )),
        None => None,
    };
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
    let sum = tx
        .prepare_cached(
            "SELECT COALESCE(SUM(amount), 0)::BIGINT FROM store_refunds
             WHERE order_id = $1 AND status IN ('pending', 'refunded')",
        )
        .await?;
    let taken: i64 = tx.query_one(&sum, &[&refund.order_id]).await?.try_get(0)?;
    let maximum = match payment_status.as_str() {
        // Given back in full already, through Voucherly itself.
        "refunded" if taken == 0 => 0,
        _ => (captured - taken).max(0),
    };
    let amount = refund.amount.unwrap_or(maximum);
    if amount <= 0 || amount > maximum {
        return Ok(RecordRefund::TooMuch { maximum });
    }
    let insert = tx
        .prepare_cached(
            "INSERT INTO store_refunds (order_id, payment_id, store_refund_id, fingerprint,
                 amount, food_amount, destination, reason, lines, status, next_attempt_at,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $11, $10, $10)
             RETURNING id",
        )
        .await?;
    let lines = serde_json::to_string(&refund.lines)?;
    let id: i64 = tx
        .query_one(
            &insert,
            &[
                &refund.order_id,
                &payment_id,
                &refund.store_refund_id,
                &refund.fingerprint,
                &amount,
                &refund.food_amount.clamp(0, amount),
                &refund.destination.as_str(),
                &refund.reason,
                &lines,
                &now,
                &due_at,
            ],
        )
        .await?
        .try_get(0)?;
    let created = by_id(&tx, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("refund {id} not read back"))?;
    tx.commit().await?;
    Ok(RecordRefund::Created(created))
}
