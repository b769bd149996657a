//! Authorisations a store that captures later still has to capture or release.

use crate::domain::LocalStatus;
use crate::domain::payment::Uncaptured;
use crate::storage::postgres::Postgres;

/// The Voucherly id of the order's authorised (uncaptured) payment, not a duplicate.
pub(super) async fn authorised_for_order(
    db: &Postgres,
    order_id: i64,
) -> anyhow::Result<Option<String>> {
    let client = db.client().await?;
    let authorised = client
        .prepare_cached(
            "SELECT voucherly_payment_id FROM payments
             WHERE order_id = $1 AND status = $2 AND NOT is_duplicate
               AND voucherly_payment_id IS NOT NULL
             ORDER BY id DESC LIMIT 1",
        )
        .await?;
    let row = client
        .query_opt(&authorised, &[&order_id, &LocalStatus::Authorised.as_str()])
        .await?;
    Ok(row.map(|row| row.try_get(0)).transpose()?)
}

/// Every authorised, uncaptured payment (duplicates, refunded by the app, left out), oldest
/// first: the first in the list are the first to expire.
pub(super) async fn uncaptured(db: &Postgres) -> anyhow::Result<Vec<Uncaptured>> {
    let client = db.client().await?;
    let uncaptured = client
        .prepare_cached(
            "SELECT o.store_order_id, p.voucherly_payment_id, p.amount, p.updated_at
             FROM payments p JOIN orders o ON o.id = p.order_id
             WHERE p.status = $1 AND NOT p.is_duplicate AND p.voucherly_payment_id IS NOT NULL
             ORDER BY p.updated_at, p.id",
        )
        .await?;
    let rows = client
        .query(&uncaptured, &[&LocalStatus::Authorised.as_str()])
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Uncaptured {
                store_order_id: row.try_get(0)?,
                voucherly_payment_id: row.try_get(1)?,
                amount: row.try_get(2)?,
                authorised_at: row.try_get(3)?,
            })
        })
        .collect()
}
