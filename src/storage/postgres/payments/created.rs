//! Recording Voucherly's answer to a create: created (with its id and checkout URL) or failed.

use crate::domain::LocalStatus;
use crate::storage::postgres::{Postgres, now};

/// Voucherly created the payment: keep its id and checkout URL, and move to `requested` unless
/// a callback already moved it further (the row is locked while that is decided). The
/// reconciler is told to look `first_check_after` seconds later, and then as often.
#[tracing::instrument(skip(db, checkout_url))]
pub(super) async fn record_created(
    db: &Postgres,
    first_check_after: i64,
    reference: &str,
    voucherly_payment_id: &str,
    voucherly_status: Option<&str>,
    checkout_url: &str,
) -> anyhow::Result<()> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let current = tx
        .prepare_cached("SELECT status FROM payments WHERE reference = $1 FOR UPDATE")
        .await?;
    let Some(current) = tx.query_opt(&current, &[&reference]).await? else {
        anyhow::bail!("no payment record {reference}");
    };
    let current: String = current.try_get(0)?;
    let moves = LocalStatus::parse(&current)
        .is_some_and(|status| status.can_move_to(LocalStatus::Requested));
    let update = tx
        .prepare_cached(
            "UPDATE payments SET
                 voucherly_payment_id = COALESCE(voucherly_payment_id, $2),
                 checkout_url = $3,
                 status = CASE WHEN $4::BOOLEAN THEN $5 ELSE status END,
                 voucherly_status = CASE WHEN $4::BOOLEAN THEN $6 ELSE voucherly_status END,
                 next_check_at = CASE WHEN $4::BOOLEAN THEN $7 ELSE next_check_at END,
                 check_interval = CASE WHEN $4::BOOLEAN THEN $8 ELSE check_interval END,
                 updated_at = $9
             WHERE reference = $1",
        )
        .await?;
    let at = now();
    tx.execute(
        &update,
        &[
            &reference,
            &voucherly_payment_id,
            &checkout_url,
            &moves,
            &LocalStatus::Requested.as_str(),
            &voucherly_status,
            &(at + first_check_after),
            &first_check_after,
            &at,
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Voucherly could not create the payment: the record says why (for support, never shown to
/// the shopper), and the order can be paid again. A record a callback already moved is left.
#[tracing::instrument(skip(db, error))]
pub(super) async fn record_create_failed(
    db: &Postgres,
    reference: &str,
    error: &str,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let failed = client
        .prepare_cached(
            "UPDATE payments SET status = $2, error = $3, updated_at = $4
             WHERE reference = $1 AND status = $5",
        )
        .await?;
    client
        .execute(
            &failed,
            &[
                &reference,
                &LocalStatus::CreateFailed.as_str(),
                &error,
                &now(),
                &LocalStatus::Creating.as_str(),
            ],
        )
        .await?;
    Ok(())
}
