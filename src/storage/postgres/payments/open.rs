//! The payments of an order that Voucherly created and that have not settled yet.

use crate::domain::LocalStatus;
use crate::storage::postgres::{Postgres, now};

/// Voucherly ids of the order's payments that may still be open or paid at Voucherly: those
/// `requested`, and those whose outcome is unknown (`create_failed` with an id) that the
/// reconciler still watches; oldest first.
pub(super) async fn unsettled_for_order(
    db: &Postgres,
    order_id: i64,
) -> anyhow::Result<Vec<String>> {
    let client = db.client().await?;
    let unsettled = client
        .prepare_cached(
            "SELECT voucherly_payment_id FROM payments
             WHERE order_id = $1 AND voucherly_payment_id IS NOT NULL
               AND (status = $2 OR (status = $3 AND next_check_at IS NOT NULL))
             ORDER BY id",
        )
        .await?;
    let rows = client
        .query(
            &unsettled,
            &[
                &order_id,
                &LocalStatus::Requested.as_str(),
                &LocalStatus::CreateFailed.as_str(),
            ],
        )
        .await?;
    rows.iter().map(|row| Ok(row.try_get(0)?)).collect()
}

/// An open payment Voucherly says it does not know: no longer open for us, its outcome
/// unknown (`create_failed`), so the order can be paid again and the reconciler keeps looking.
pub(super) async fn unknown_outcome(
    db: &Postgres,
    voucherly_payment_id: &str,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let unknown = client
        .prepare_cached(
            "UPDATE payments SET status = $2, updated_at = $3,
                 error = COALESCE(error, 'unknown to Voucherly when the order was paid again')
             WHERE voucherly_payment_id = $1 AND status IN ($4, $5)",
        )
        .await?;
    client
        .execute(
            &unknown,
            &[
                &voucherly_payment_id,
                &LocalStatus::CreateFailed.as_str(),
                &now(),
                &LocalStatus::Creating.as_str(),
                &LocalStatus::Requested.as_str(),
            ],
        )
        .await?;
    Ok(())
}

/// An authorised payment could not be captured now: the reconciler tries again at `at`.
pub(super) async fn retry_capture_at(
    db: &Postgres,
    voucherly_payment_id: &str,
    at: i64,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let retry = client
        .prepare_cached(
            "UPDATE payments SET next_check_at = $2, check_interval = COALESCE(check_interval, 60)
             WHERE voucherly_payment_id = $1 AND status = $3",
        )
        .await?;
    client
        .execute(
            &retry,
            &[
                &voucherly_payment_id,
                &at,
                &LocalStatus::Authorised.as_str(),
            ],
        )
        .await?;
    Ok(())
}
