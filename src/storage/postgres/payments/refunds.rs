//! The refunds the app owes by itself: second payments of an order already paid. Claiming a
//! refund locks its row, skipping rows another instance is claiming, and pushes its due time
//! forward, so two instances never refund one payment at once.

use crate::domain::payment_work::DueRefund;
use crate::domain::store_event::EventType;
use crate::storage::postgres::Postgres;

use super::event;

/// How long a claimed refund is left alone by other workers, in seconds.
const LEASE: i64 = 120;

/// Up to `limit` refunds due at `now`, claimed for this worker.
pub(super) async fn claim_due(
    db: &Postgres,
    now: i64,
    limit: i64,
) -> anyhow::Result<Vec<DueRefund>> {
    let client = db.client().await?;
    let claim = client
        .prepare_cached(
            "UPDATE payments SET refund_due_at = $1::BIGINT + $3::BIGINT
             WHERE id IN (
                 SELECT id FROM payments
                 WHERE refund_due_at <= $1 AND voucherly_payment_id IS NOT NULL
                 ORDER BY refund_due_at LIMIT $2
                 FOR UPDATE SKIP LOCKED)
             RETURNING id, voucherly_payment_id",
        )
        .await?;
    let rows = client.query(&claim, &[&now, &limit, &LEASE]).await?;
    rows.iter()
        .map(|row| {
            Ok(DueRefund {
                id: row.try_get(0)?,
                voucherly_payment_id: row.try_get(1)?,
            })
        })
        .collect()
}

/// Nothing more to do for this refund: Voucherly refunded it.
pub(super) async fn done(db: &Postgres, id: i64) -> anyhow::Result<()> {
    let client = db.client().await?;
    let done = client
        .prepare_cached(
            "UPDATE payments SET refund_due_at = NULL, refund_error = NULL WHERE id = $1",
        )
        .await?;
    client.execute(&done, &[&id]).await?;
    Ok(())
}

/// Try again at `at`; `error` says what went wrong this time.
pub(super) async fn retry_at(db: &Postgres, id: i64, at: i64, error: String) -> anyhow::Result<()> {
    let client = db.client().await?;
    let retry = client
        .prepare_cached("UPDATE payments SET refund_due_at = $2, refund_error = $3 WHERE id = $1")
        .await?;
    client.execute(&retry, &[&id, &at, &error]).await?;
    Ok(())
}

/// Voucherly cannot refund it (`ImpossibleRefund`, or it refused): a person must, and the
/// store is told so in the same transaction; `true` when that event was queued. Of two
/// instances at once, the second finds the refund no longer due and queues nothing.
pub(super) async fn impossible(
    db: &Postgres,
    id: i64,
    error: String,
    now: i64,
) -> anyhow::Result<bool> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let give_up = tx
        .prepare_cached(
            "UPDATE payments SET refund_due_at = NULL, refund_error = $2
             WHERE id = $1 AND refund_due_at IS NOT NULL",
        )
        .await?;
    let changed = tx.execute(&give_up, &[&id, &error]).await?;
    if changed > 0 {
        event::enqueue(&tx, EventType::OrderManualRefundNeeded, id, now).await?;
    }
    tx.commit().await?;
    Ok(changed > 0)
}
