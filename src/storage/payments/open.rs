//! The payments of an order that Voucherly created and that have not settled yet.

use crate::domain::LocalStatus;
use crate::storage::Database;

/// Voucherly ids of the order's payments still `requested`, oldest first.
pub async fn unsettled_for_order(db: &Database, order_id: i64) -> anyhow::Result<Vec<String>> {
    db.run(move |conn| {
        let mut statement = conn.prepare(
            "SELECT voucherly_payment_id FROM payments
             WHERE order_id = ?1 AND status = ?2 AND voucherly_payment_id IS NOT NULL
             ORDER BY id",
        )?;
        let ids = statement
            .query_map(
                rusqlite::params![order_id, LocalStatus::Requested.as_str()],
                |row| row.get(0),
            )?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    })
    .await
}
