//! Authorisations a store that captures later still has to capture or release.

use rusqlite::{OptionalExtension, params};

use crate::domain::LocalStatus;
use crate::domain::payment::Uncaptured;
use crate::storage::sqlite::Database;

/// The Voucherly id of the order's authorised (uncaptured) payment, not a duplicate.
pub(super) async fn authorised_for_order(
    db: &Database,
    order_id: i64,
) -> anyhow::Result<Option<String>> {
    db.run(move |conn| {
        Ok(conn
            .query_row(
                "SELECT voucherly_payment_id FROM payments
                 WHERE order_id = ?1 AND status = ?2 AND is_duplicate = 0
                   AND voucherly_payment_id IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
                params![order_id, LocalStatus::Authorised.as_str()],
                |row| row.get(0),
            )
            .optional()?)
    })
    .await
}

/// Every authorised, uncaptured payment (duplicates, refunded by the app, left out), oldest
/// first: the first in the list are the first to expire.
pub(super) async fn uncaptured(db: &Database) -> anyhow::Result<Vec<Uncaptured>> {
    db.run(move |conn| {
        let mut statement = conn.prepare(
            "SELECT o.store_order_id, p.voucherly_payment_id, p.amount, p.updated_at
             FROM payments p JOIN orders o ON o.id = p.order_id
             WHERE p.status = ?1 AND p.is_duplicate = 0 AND p.voucherly_payment_id IS NOT NULL
             ORDER BY p.updated_at, p.id",
        )?;
        let rows = statement
            .query_map([LocalStatus::Authorised.as_str()], |row| {
                Ok(Uncaptured {
                    store_order_id: row.get(0)?,
                    voucherly_payment_id: row.get(1)?,
                    amount: row.get(2)?,
                    authorised_at: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })
    .await
}
