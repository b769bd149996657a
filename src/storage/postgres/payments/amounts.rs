//! What Voucherly reported of a payment's money (by method, captured, refunded, and when), kept
//! by applying a reading: a separate step of the same transaction, so the status rules of
//! [`super::apply`] stay as they are. Each figure Voucherly did not report keeps its last value.

use deadpool_postgres::Transaction;

use crate::domain::payment::Breakdown;

/// Keeps `breakdown` on payment `id`, whose status is already updated. Without Voucherly's
/// times, the payment counts as paid when we first saw it hold (or give back) money, and as
/// captured when we first saw it `paid`.
pub(super) async fn record(
    tx: &Transaction<'_>,
    id: i64,
    breakdown: &Breakdown,
    now: i64,
) -> anyhow::Result<()> {
    let update = tx
        .prepare_cached(
            "UPDATE payments SET
                 paid_digital_amount = COALESCE($2::BIGINT, paid_digital_amount),
                 paid_fringe_amount = COALESCE($3::BIGINT, paid_fringe_amount),
                 paid_cash_amount = COALESCE($4::BIGINT, paid_cash_amount),
                 confirmed_amount = COALESCE($5::BIGINT, confirmed_amount),
                 refunded_amount = COALESCE($6::BIGINT, refunded_amount),
                 paid_at = COALESCE(paid_at, $7::BIGINT,
                                    CASE WHEN status IN ('authorised', 'paid', 'refunded')
                                         THEN $9::BIGINT END),
                 confirmed_at = COALESCE($8::BIGINT, confirmed_at,
                                         CASE WHEN status = 'paid' THEN $9::BIGINT END)
             WHERE id = $1",
        )
        .await?;
    tx.execute(
        &update,
        &[
            &id,
            &breakdown.paid_digital,
            &breakdown.paid_fringe,
            &breakdown.paid_cash,
            &breakdown.confirmed,
            &breakdown.refunded,
            &breakdown.paid_at,
            &breakdown.confirmed_at,
            &now,
        ],
    )
    .await?;
    Ok(())
}
