//! The callback inbox: the Voucherly payment ids a callback named, kept durably until the
//! payment was read back and applied. Claiming a batch pushes its rows' next try forward first,
//! so several instances on one database do not read the same payment at once.

use rusqlite::{OptionalExtension, params};

use crate::storage::Database;

/// How long a claimed row is left alone by other workers, in seconds.
const LEASE: i64 = 60;

/// One callback to handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub voucherly_payment_id: String,
    /// How many times it was claimed, this time included.
    pub attempts: i64,
    pub received_at: i64,
}

/// Keeps `voucherly_payment_id` for the worker, due at once. Heard again after it was handled,
/// it is due again: the payment may have moved on (a refund, say).
pub async fn receive(db: &Database, voucherly_payment_id: &str, now: i64) -> anyhow::Result<()> {
    let id = voucherly_payment_id.to_owned();
    db.run(move |conn| {
        conn.execute(
            "INSERT INTO callback_inbox (voucherly_payment_id, received_at, next_try_at)
             VALUES (?1, ?2, ?2)
             ON CONFLICT (voucherly_payment_id) DO UPDATE SET
                 received_at = CASE WHEN done_at IS NULL THEN received_at ELSE ?2 END,
                 attempts = CASE WHEN done_at IS NULL THEN attempts ELSE 0 END,
                 next_try_at = ?2,
                 last_error = NULL,
                 done_at = NULL",
            params![id, now],
        )?;
        Ok(())
    })
    .await
}

/// Up to `limit` callbacks due at `now`, claimed for this worker.
pub async fn claim_due(db: &Database, now: i64, limit: i64) -> anyhow::Result<Vec<Due>> {
    db.run(move |conn| {
        let mut statement = conn.prepare(
            "UPDATE callback_inbox SET attempts = attempts + 1, next_try_at = ?1 + ?3
             WHERE voucherly_payment_id IN (
                 SELECT voucherly_payment_id FROM callback_inbox
                 WHERE done_at IS NULL AND next_try_at <= ?1
                 ORDER BY next_try_at LIMIT ?2)
             RETURNING voucherly_payment_id, attempts, received_at",
        )?;
        let due = statement
            .query_map(params![now, limit, LEASE], |row| {
                Ok(Due {
                    voucherly_payment_id: row.get(0)?,
                    attempts: row.get(1)?,
                    received_at: row.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(due)
    })
    .await
}

/// The callback was handled (or given up, with `error` saying why).
pub async fn done(
    db: &Database,
    voucherly_payment_id: &str,
    error: Option<String>,
    now: i64,
) -> anyhow::Result<()> {
    let id = voucherly_payment_id.to_owned();
    db.run(move |conn| {
        conn.execute(
            "UPDATE callback_inbox SET done_at = ?2, last_error = ?3 WHERE voucherly_payment_id = ?1",
            params![id, now, error],
        )?;
        Ok(())
    })
    .await
}

/// The read-back failed: try again at `next_try_at`.
pub async fn retry_at(
    db: &Database,
    voucherly_payment_id: &str,
    error: String,
    next_try_at: i64,
) -> anyhow::Result<()> {
    let id = voucherly_payment_id.to_owned();
    db.run(move |conn| {
        conn.execute(
            "UPDATE callback_inbox SET next_try_at = ?2, last_error = ?3
             WHERE voucherly_payment_id = ?1 AND done_at IS NULL",
            params![id, next_try_at, error],
        )?;
        Ok(())
    })
    .await
}

/// Whether a payment with this Voucherly id or this reference is one of ours: a callback for
/// neither is certainly not this store's.
pub async fn is_ours(
    db: &Database,
    voucherly_payment_id: &str,
    reference: &str,
) -> anyhow::Result<bool> {
    let (id, reference) = (voucherly_payment_id.to_owned(), reference.to_owned());
    db.run(move |conn| {
        let found: Option<i64> = conn
            .query_row(
                "SELECT id FROM payments WHERE voucherly_payment_id = ?1 OR reference = ?2",
                params![id, reference],
                |row| row.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    })
    .await
}
