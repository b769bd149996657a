//! Recording Voucherly's answer to a create: created (with its id and checkout URL) or failed.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use crate::domain::LocalStatus;
use crate::storage::sqlite::{Database, now};

/// Voucherly created the payment: keep its id and checkout URL, and move to `requested` unless
/// a callback already moved it further. The reconciler is told to look `first_check_after`
/// seconds later, and then as often.
#[tracing::instrument(skip(db, checkout_url))]
pub(super) async fn record_created(
    db: &Database,
    first_check_after: i64,
    reference: &str,
    voucherly_payment_id: &str,
    voucherly_status: Option<&str>,
    checkout_url: &str,
) -> anyhow::Result<()> {
    let (reference, payment_id) = (reference.to_owned(), voucherly_payment_id.to_owned());
    let (voucherly_status, checkout_url) =
        (voucherly_status.map(str::to_owned), checkout_url.to_owned());
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: Option<String> = tx
            .query_row(
                "SELECT status FROM payments WHERE reference = ?1",
                [&reference],
                |row| row.get(0),
            )
            .optional()?;
        let Some(current) = current else {
            anyhow::bail!("no payment record {reference}");
        };
        let moves = LocalStatus::parse(&current)
            .is_some_and(|status| status.can_move_to(LocalStatus::Requested));
        let at = now();
        tx.execute(
            "UPDATE payments SET
                 voucherly_payment_id = COALESCE(voucherly_payment_id, ?2),
                 checkout_url = ?3,
                 status = CASE WHEN ?4 THEN ?5 ELSE status END,
                 voucherly_status = CASE WHEN ?4 THEN ?6 ELSE voucherly_status END,
                 next_check_at = CASE WHEN ?4 THEN ?7 ELSE next_check_at END,
                 check_interval = CASE WHEN ?4 THEN ?8 ELSE check_interval END,
                 updated_at = ?9
             WHERE reference = ?1",
            params![
                reference,
                payment_id,
                checkout_url,
                moves,
                LocalStatus::Requested.as_str(),
                voucherly_status,
                at + first_check_after,
                first_check_after,
                at
            ],
        )?;
        tx.commit()?;
        Ok(())
    })
    .await
}

/// Voucherly could not create the payment: the record says why (for support, never shown to
/// the shopper), and the order can be paid again. A record a callback already moved is left.
#[tracing::instrument(skip(db, error))]
pub(super) async fn record_create_failed(
    db: &Database,
    reference: &str,
    error: &str,
) -> anyhow::Result<()> {
    let (reference, error) = (reference.to_owned(), error.to_owned());
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET status = ?2, error = ?3, updated_at = ?4
             WHERE reference = ?1 AND status = ?5",
            params![
                reference,
                LocalStatus::CreateFailed.as_str(),
                error,
                now(),
                LocalStatus::Creating.as_str()
            ],
        )?;
        Ok(())
    })
    .await
}
