//! The callback inbox: the Voucherly payment ids a callback named, kept durably until the
//! payment was read back and applied. Claiming a batch pushes its rows' next try forward first,
//! so several instances on one database do not read the same payment at once.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::domain::payment_work::{Callback, DueCallback as Due, Kept, Spooled};
use crate::storage::sqlite::Database;

/// How long a claimed row is left alone by other workers, in seconds.
const LEASE: i64 = 60;

/// Keeps `callback` for the worker, due at once, when it names a payment of ours and the inbox
/// has room. The check is a plain read (it works while another writer holds the database), so
/// a callback for a payment we never created costs no write.
pub(super) async fn keep(db: &Database, callback: Callback, cap: i64) -> anyhow::Result<Kept> {
    db.run(move |conn| {
        if !is_ours(conn, &callback)? {
            return Ok(Kept::NotOurs);
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let kept = keep_ours(&tx, &callback, cap)?;
        tx.commit()?;
        Ok(kept)
    })
    .await
}

/// How long an entry's id is remembered once replayed, in seconds: far longer than a spool file
/// can outlive its replay.
const REPLAYED_KEPT_FOR: i64 = 7 * 24 * 60 * 60;

/// Puts spooled callbacks into the inbox, in one transaction that also records each entry as
/// replayed: an entry seen again (the file outlived a replay) is skipped. Returns what became
/// of each entry not replayed before.
pub(super) async fn replay(
    db: &Database,
    entries: Vec<Spooled>,
    cap: i64,
    now: i64,
) -> anyhow::Result<Vec<Kept>> {
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM callback_spool_replayed WHERE replayed_at < ?1",
            [now - REPLAYED_KEPT_FOR],
        )?;
        let mut outcomes = Vec::new();
        for spooled in &entries {
            let first_time = tx.execute(
                "INSERT INTO callback_spool_replayed (entry, replayed_at) VALUES (?1, ?2)
                 ON CONFLICT (entry) DO NOTHING",
                params![spooled.entry, now],
            )? == 1;
            if !first_time {
                continue;
            }
            let callback = &spooled.callback;
            outcomes.push(if is_ours(&tx, callback)? {
                keep_ours(&tx, callback, cap)?
            } else {
                Kept::NotOurs
            });
        }
        tx.commit()?;
        Ok(outcomes)
    })
    .await
}

/// Whether a payment with the callback's Voucherly id or reference is one of ours: a callback for
/// neither is certainly not this store's (every payment is written before Voucherly is called).
fn is_ours(conn: &Connection, callback: &Callback) -> rusqlite::Result<bool> {
    let found: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM payments WHERE voucherly_payment_id = ?1 OR reference = ?2 LIMIT 1",
        )?
        .query_row(
            params![callback.voucherly_payment_id, callback.reference],
            |row| row.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

/// Keeps a callback of ours. Heard again after it was handled, it is due again: the payment may
/// have moved on (a refund, say). One already waiting takes no more room.
fn keep_ours(conn: &Connection, callback: &Callback, cap: i64) -> rusqlite::Result<Kept> {
    let waiting: i64 = conn.query_row(
        "SELECT COUNT(*) FROM callback_inbox
         WHERE done_at IS NULL AND voucherly_payment_id <> ?1",
        [&callback.voucherly_payment_id],
        |row| row.get(0),
    )?;
    if waiting >= cap {
        return Ok(Kept::Full);
    }
    conn.execute(
        "INSERT INTO callback_inbox (voucherly_payment_id, received_at, next_try_at)
         VALUES (?1, ?2, ?2)
         ON CONFLICT (voucherly_payment_id) DO UPDATE SET
             received_at = CASE WHEN done_at IS NULL THEN received_at ELSE ?2 END,
             attempts = CASE WHEN done_at IS NULL THEN attempts ELSE 0 END,
             next_try_at = ?2,
             last_error = NULL,
             done_at = NULL",
        params![callback.voucherly_payment_id, callback.received_at],
    )?;
    Ok(Kept::Kept)
}

/// Up to `limit` callbacks due at `now`, claimed for this worker.
pub(super) async fn claim_due(db: &Database, now: i64, limit: i64) -> anyhow::Result<Vec<Due>> {
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
pub(super) async fn done(
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
pub(super) async fn retry_at(
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
