//! The callback inbox on PostgreSQL (see the SQLite engine's): the Voucherly payment ids a
//! callback named, kept durably until the payment was read back and applied. Claiming a batch
//! locks its rows, skipping those another instance is claiming, and pushes their next try
//! forward, so several instances do not read the same payment at once. Keeping callbacks takes
//! a transaction-scoped advisory lock, so the inbox's cap holds however many instances keep at
//! once, and spooled entries are replayed by one instance at a time.

use deadpool_postgres::Transaction;

use crate::domain::payment_work::{Callback, DueCallback as Due, Kept, Spooled};
use crate::storage::postgres::Postgres;

/// How long a claimed row is left alone by other workers, in seconds.
const LEASE: i64 = 60;

/// The advisory lock callbacks are kept under: any number, the same in every instance.
const KEEPING: i64 = 0x766f_7563_6862_6f78; // "vouchbox"

/// Keeps `callback` for the worker, due at once, when it names a payment of ours and the inbox
/// has room. The check is a plain read, so a callback for a payment we never created costs no
/// write and waits for no lock.
pub(super) async fn keep(db: &Postgres, callback: Callback, cap: i64) -> anyhow::Result<Kept> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    if !is_ours(&tx, &callback).await? {
        return Ok(Kept::NotOurs);
    }
    take_keeping_lock(&tx).await?;
    let kept = keep_ours(&tx, &callback, cap).await?;
    tx.commit().await?;
    Ok(kept)
}

/// How long an entry's id is remembered once replayed, in seconds: far longer than a spool file
/// can outlive its replay.
const REPLAYED_KEPT_FOR: i64 = 7 * 24 * 60 * 60;

/// Puts spooled callbacks into the inbox, in one transaction that also records each entry as
/// replayed: an entry seen again (the file outlived a replay, or another instance replays the
/// same file) is skipped. Returns what became of each entry not replayed before.
pub(super) async fn replay(
    db: &Postgres,
    entries: Vec<Spooled>,
    cap: i64,
    now: i64,
) -> anyhow::Result<Vec<Kept>> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    // First, so two replays never wait for each other's entries in opposite orders.
    take_keeping_lock(&tx).await?;
    let forget = tx
        .prepare_cached("DELETE FROM callback_spool_replayed WHERE replayed_at < $1")
        .await?;
    tx.execute(&forget, &[&(now - REPLAYED_KEPT_FOR)]).await?;
    let remember = tx
        .prepare_cached(
            "INSERT INTO callback_spool_replayed (entry, replayed_at) VALUES ($1, $2)
             ON CONFLICT (entry) DO NOTHING",
        )
        .await?;
    let mut outcomes = Vec::new();
    for spooled in &entries {
        let first_time = tx.execute(&remember, &[&spooled.entry, &now]).await? == 1;
        if !first_time {
            continue;
        }
        let callback = &spooled.callback;
        outcomes.push(if is_ours(&tx, callback).await? {
            keep_ours(&tx, callback, cap).await?
        } else {
            Kept::NotOurs
        });
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Waits until no other instance keeps callbacks, until the end of the transaction.
async fn take_keeping_lock(tx: &Transaction<'_>) -> anyhow::Result<()> {
    let lock = tx
        .prepare_cached("SELECT pg_advisory_xact_lock($1)")
        .await?;
    tx.execute(&lock, &[&KEEPING]).await?;
    Ok(())
}

/// Whether a payment with the callback's Voucherly id or reference is one of ours: a callback for
/// neither is certainly not this store's (every payment is written before Voucherly is called).
async fn is_ours(tx: &Transaction<'_>, callback: &Callback) -> anyhow::Result<bool> {
    let ours = tx
        .prepare_cached(
            "SELECT id FROM payments WHERE voucherly_payment_id = $1 OR reference = $2 LIMIT 1",
        )
        .await?;
    let found = tx
        .query_opt(
            &ours,
            &[&callback.voucherly_payment_id, &callback.reference],
        )
        .await?;
    Ok(found.is_some())
}

/// Keeps a callback of ours. Heard again after it was handled, it is due again: the payment may
/// have moved on (a refund, say). One already waiting takes no more room.
async fn keep_ours(tx: &Transaction<'_>, callback: &Callback, cap: i64) -> anyhow::Result<Kept> {
    let waiting = tx
        .prepare_cached(
            "SELECT COUNT(*) FROM callback_inbox
             WHERE done_at IS NULL AND voucherly_payment_id <> $1",
        )
        .await?;
    let waiting: i64 = tx
        .query_one(&waiting, &[&callback.voucherly_payment_id])
        .await?
        .try_get(0)?;
    if waiting >= cap {
        return Ok(Kept::Full);
    }
    let keep = tx
        .prepare_cached(
            "INSERT INTO callback_inbox AS kept (voucherly_payment_id, received_at, next_try_at)
             VALUES ($1, $2, $2)
             ON CONFLICT (voucherly_payment_id) DO UPDATE SET
                 received_at = CASE WHEN kept.done_at IS NULL THEN kept.received_at
                                    ELSE EXCLUDED.received_at END,
                 attempts = CASE WHEN kept.done_at IS NULL THEN kept.attempts ELSE 0 END,
                 next_try_at = EXCLUDED.next_try_at,
                 last_error = NULL,
                 done_at = NULL",
        )
        .await?;
    tx.execute(
        &keep,
        &[&callback.voucherly_payment_id, &callback.received_at],
    )
    .await?;
    Ok(Kept::Kept)
}

/// Up to `limit` callbacks due at `now`, claimed for this worker.
pub(super) async fn claim_due(db: &Postgres, now: i64, limit: i64) -> anyhow::Result<Vec<Due>> {
    let client = db.client().await?;
    let claim = client
        .prepare_cached(
            "UPDATE callback_inbox SET attempts = attempts + 1,
                 next_try_at = $1::BIGINT + $3::BIGINT
             WHERE voucherly_payment_id IN (
                 SELECT voucherly_payment_id FROM callback_inbox
                 WHERE done_at IS NULL AND next_try_at <= $1
                 ORDER BY next_try_at LIMIT $2
                 FOR UPDATE SKIP LOCKED)
             RETURNING voucherly_payment_id, attempts, received_at",
        )
        .await?;
    let rows = client.query(&claim, &[&now, &limit, &LEASE]).await?;
    rows.iter()
        .map(|row| {
            Ok(Due {
                voucherly_payment_id: row.try_get(0)?,
                attempts: row.try_get(1)?,
                received_at: row.try_get(2)?,
            })
        })
        .collect()
}

/// The callback was handled (or given up, with `error` saying why).
pub(super) async fn done(
    db: &Postgres,
    voucherly_payment_id: &str,
    error: Option<String>,
    now: i64,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let done = client
        .prepare_cached(
            "UPDATE callback_inbox SET done_at = $2, last_error = $3
             WHERE voucherly_payment_id = $1",
        )
        .await?;
    client
        .execute(&done, &[&voucherly_payment_id, &now, &error])
        .await?;
    Ok(())
}

/// The read-back failed: try again at `next_try_at`.
pub(super) async fn retry_at(
    db: &Postgres,
    voucherly_payment_id: &str,
    error: String,
    next_try_at: i64,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let retry = client
        .prepare_cached(
            "UPDATE callback_inbox SET next_try_at = $2, last_error = $3
             WHERE voucherly_payment_id = $1 AND done_at IS NULL",
        )
        .await?;
    client
        .execute(&retry, &[&voucherly_payment_id, &next_try_at, &error])
        .await?;
    Ok(())
}
