//! The reconciler's schedule: which unsettled payments are due for a re-read, and how the next
//! read is put off, given up or stopped.

use rusqlite::params;

use crate::domain::LocalStatus;
use crate::domain::payment_work::DueCheck as Due;
use crate::storage::sqlite::Database;

/// Up to `limit` unsettled payments due for a re-read at `now`, claimed until `now + lease`.
pub(super) async fn lease_due(
    db: &Database,
    now: i64,
    limit: i64,
    lease: i64,
) -> anyhow::Result<Vec<Due>> {
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut statement = tx.prepare(
            "SELECT id, voucherly_payment_id, status, created_at, check_interval FROM payments
             WHERE voucherly_payment_id IS NOT NULL
               AND status IN ('creating', 'requested', 'create_failed', 'authorised')
               AND (next_check_at <= ?1
                    OR (next_check_at IS NULL AND status IN ('creating', 'requested')))
             ORDER BY next_check_at LIMIT ?2",
        )?;
        let rows = statement.query_map(params![now, limit], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, Option<i64>>(4)?,
            ))
        })?;
        let mut due = Vec::new();
        for row in rows {
            let (id, voucherly_payment_id, status, created_at, check_interval) = row?;
            let Some(status) = LocalStatus::parse(&status) else {
                tracing::error!(payment = id, %status, "payment with an unknown status");
                continue;
            };
            due.push(Due {
                id,
                voucherly_payment_id,
                status,
                created_at,
                check_interval,
            });
        }
        drop(statement);
        let mut claim = tx.prepare("UPDATE payments SET next_check_at = ?1 WHERE id = ?2")?;
        for payment in &due {
            claim.execute(params![now.saturating_add(lease), payment.id])?;
        }
        drop(claim);
        tx.commit()?;
        Ok(due)
    })
    .await
}

/// Payments written but never told Voucherly's answer, long ago: the app stopped mid-way and
/// no callback came. They are marked failed, so the order can be paid again; a late callback
/// matched by reference would still record a success.
pub(super) async fn fail_stuck_creations(
    db: &Database,
    now: i64,
    timeout: i64,
) -> anyhow::Result<Vec<(i64, String)>> {
    let stuck: Vec<(i64, String)> = db
        .run(move |conn| {
            let mut statement = conn.prepare(
                "UPDATE payments SET status = 'create_failed', next_check_at = NULL,
                     error = COALESCE(error, 'unknown outcome: Voucherly''s answer never stored'),
                     updated_at = ?1
                 WHERE status = 'creating' AND voucherly_payment_id IS NULL AND created_at <= ?2
                 RETURNING id, reference",
            )?;
            let rows = statement.query_map(params![now, now - timeout], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    Ok(stuck)
}

pub(super) async fn abandon(db: &Database, id: i64, now: i64) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET status = 'abandoned', next_check_at = NULL, updated_at = ?2
             WHERE id = ?1 AND status IN ('creating', 'requested')",
            params![id, now],
        )?;
        Ok(())
    })
    .await
}

pub(super) async fn stop_checking(db: &Database, id: i64, now: i64) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET next_check_at = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    })
    .await
}

/// The next read of payment `id` in `interval` seconds.
pub(super) async fn back_off(
    db: &Database,
    id: i64,
    interval: i64,
    now: i64,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET check_interval = ?2, next_check_at = ?3 + ?2, updated_at = ?3
             WHERE id = ?1 AND status IN ('creating', 'requested', 'create_failed', 'authorised')",
            params![id, interval, now],
        )?;
        Ok(())
    })
    .await
}
