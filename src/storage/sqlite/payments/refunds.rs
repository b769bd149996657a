//! The refunds the app owes by itself: second payments of an order already paid. Claiming a
//! refund pushes its due time forward first, so two instances never refund one payment at once.

use rusqlite::params;

use crate::domain::payment_work::DueRefund;
use crate::domain::store_event::EventType;
use crate::storage::sqlite::Database;
use crate::storage::sqlite::outbox;

/// How long a claimed refund is left alone by other workers, in seconds.
const LEASE: i64 = 120;

/// Up to `limit` refunds due at `now`, claimed for this worker.
pub(super) async fn claim_due(
    db: &Database,
    now: i64,
    limit: i64,
) -> anyhow::Result<Vec<DueRefund>> {
    db.run(move |conn| {
        let mut statement = conn.prepare(
            "UPDATE payments SET refund_due_at = ?1 + ?3
             WHERE id IN (
                 SELECT id FROM payments
                 WHERE refund_due_at <= ?1 AND voucherly_payment_id IS NOT NULL
                 ORDER BY refund_due_at LIMIT ?2)
             RETURNING id, voucherly_payment_id",
        )?;
        let due = statement
            .query_map(params![now, limit, LEASE], |row| {
                Ok(DueRefund {
                    id: row.get(0)?,
                    voucherly_payment_id: row.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(due)
    })
    .await
}

/// Nothing more to do for this refund: Voucherly refunded it.
pub(super) async fn done(db: &Database, id: i64) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET refund_due_at = NULL, refund_error = NULL WHERE id = ?1",
            [id],
        )?;
        Ok(())
    })
    .await
}

/// Try again at `at`; `error` says what went wrong this time.
pub(super) async fn retry_at(db: &Database, id: i64, at: i64, error: String) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET refund_due_at = ?2, refund_error = ?3 WHERE id = ?1",
            params![id, at, error],
        )?;
        Ok(())
    })
    .await
}

/// Voucherly cannot refund it (`ImpossibleRefund`, or it refused): a person must, and the
/// store is told so in the same transaction; `true` when that event was queued.
pub(super) async fn impossible(
    db: &Database,
    id: i64,
    error: String,
    now: i64,
) -> anyhow::Result<bool> {
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE payments SET refund_due_at = NULL, refund_error = ?2
             WHERE id = ?1 AND refund_due_at IS NOT NULL",
            params![id, error],
        )?;
        if changed > 0 {
            outbox::enqueue(&tx, EventType::OrderManualRefundNeeded, id, now)?;
        }
        tx.commit()?;
        Ok(changed > 0)
    })
    .await
}
