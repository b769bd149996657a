//! The reconciler's schedule: which unsettled payments are due for a re-read, and how the next
//! read is put off, given up or stopped.

use crate::domain::LocalStatus;
use crate::domain::payment_work::DueCheck as Due;
use crate::storage::postgres::Postgres;

/// Up to `limit` unsettled payments due for a re-read at `now`, those never scheduled first (as
/// SQLite sorts them), claimed until `now + lease`: rows another instance is claiming are
/// skipped, and one it claimed is no longer due.
pub(super) async fn lease_due(
    db: &Postgres,
    now: i64,
    limit: i64,
    lease: i64,
) -> anyhow::Result<Vec<Due>> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let due = tx
        .prepare_cached(
            "SELECT id, voucherly_payment_id, status, created_at, check_interval FROM payments
             WHERE voucherly_payment_id IS NOT NULL
               AND status IN ('creating', 'requested', 'create_failed', 'authorised')
               AND (next_check_at <= $1
                    OR (next_check_at IS NULL AND status IN ('creating', 'requested')))
             ORDER BY next_check_at NULLS FIRST LIMIT $2
             FOR UPDATE SKIP LOCKED",
        )
        .await?;
    let rows = tx.query(&due, &[&now, &limit]).await?;
    let mut due = Vec::new();
    for row in rows {
        let id: i64 = row.try_get(0)?;
        let status: String = row.try_get(2)?;
        let Some(status) = LocalStatus::parse(&status) else {
            tracing::error!(payment = id, %status, "payment with an unknown status");
            continue;
        };
        due.push(Due {
            id,
            voucherly_payment_id: row.try_get(1)?,
            status,
            created_at: row.try_get(3)?,
            check_interval: row.try_get(4)?,
        });
    }
    let ids: Vec<i64> = due.iter().map(|payment| payment.id).collect();
    let claim = tx
        .prepare_cached("UPDATE payments SET next_check_at = $1 WHERE id = ANY($2)")
        .await?;
    tx.execute(&claim, &[&now.saturating_add(lease), &ids])
        .await?;
    tx.commit().await?;
    Ok(due)
}

/// Payments written but never told Voucherly's answer, long ago: the app stopped mid-way and
/// no callback came. They are marked failed, so the order can be paid again; a late callback
/// matched by reference would still record a success.
pub(super) async fn fail_stuck_creations(
    db: &Postgres,
    now: i64,
    timeout: i64,
) -> anyhow::Result<Vec<(i64, String)>> {
    let client = db.client().await?;
    let stuck = client
        .prepare_cached(
            "UPDATE payments SET status = 'create_failed', next_check_at = NULL,
                 error = COALESCE(error, 'unknown outcome: Voucherly''s answer never stored'),
                 updated_at = $1
             WHERE status = 'creating' AND voucherly_payment_id IS NULL AND created_at <= $2
             RETURNING id, reference",
        )
        .await?;
    let rows = client.query(&stuck, &[&now, &(now - timeout)]).await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect()
}

/// Payment `id` never settled: abandoned, no longer checked (unless it settled meanwhile).
pub(super) async fn abandon(db: &Postgres, id: i64, now: i64) -> anyhow::Result<()> {
    let client = db.client().await?;
    let abandon = client
        .prepare_cached(
            "UPDATE payments SET status = 'abandoned', next_check_at = NULL, updated_at = $2
             WHERE id = $1 AND status IN ('creating', 'requested')",
        )
        .await?;
    client.execute(&abandon, &[&id, &now]).await?;
    Ok(())
}

/// Payment `id` needs no more re-reads.
pub(super) async fn stop_checking(db: &Postgres, id: i64, now: i64) -> anyhow::Result<()> {
    let client = db.client().await?;
    let stop = client
        .prepare_cached("UPDATE payments SET next_check_at = NULL, updated_at = $2 WHERE id = $1")
        .await?;
    client.execute(&stop, &[&id, &now]).await?;
    Ok(())
}

/// The next read of payment `id` in `interval` seconds.
pub(super) async fn back_off(
    db: &Postgres,
    id: i64,
    interval: i64,
    now: i64,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let back_off = client
        .prepare_cached(
            "UPDATE payments SET check_interval = $2, next_check_at = $3::BIGINT + $2::BIGINT,
                 updated_at = $3
             WHERE id = $1 AND status IN ('creating', 'requested', 'create_failed', 'authorised')",
        )
        .await?;
    client.execute(&back_off, &[&id, &interval, &now]).await?;
    Ok(())
}
