//! Finding orders by the store's ids, and reading one the way the store API shows it: with its
//! shopper's store user id, its last change and every attempt to pay it.

use rusqlite::{OptionalExtension, params};

use super::read::find_for_shopper_on;
use crate::domain::order::{StoreOrder, StorePayment};
use crate::storage::sqlite::Database;

/// The order the store knows as `store_order_id`, whoever's it is, read in one trip.
#[tracing::instrument(skip(db))]
pub(super) async fn find_by_store_order_id(
    db: &Database,
    store_order_id: &str,
) -> anyhow::Result<Option<StoreOrder>> {
    let id = store_order_id.to_owned();
    db.run(move |conn| {
        let tx = conn.transaction()?;
        let found: Option<(i64, i64, String, i64)> = tx
            .prepare_cached(
                "SELECT o.id, o.shopper_id, s.store_user_id, o.updated_at FROM orders o
                 JOIN shoppers s ON s.id = o.shopper_id WHERE o.store_order_id = ?1",
            )?
            .query_row([id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .optional()?;
        let Some((order_id, shopper_id, store_user_id, updated_at)) = found else {
            return Ok(None);
        };
        let Some(order) = find_for_shopper_on(&tx, shopper_id, order_id)? else {
            return Ok(None);
        };
        let mut statement = tx.prepare_cached(
            "SELECT reference, voucherly_payment_id, status, amount, method_label,
                    created_at, updated_at
             FROM payments WHERE order_id = ?1 ORDER BY created_at, id",
        )?;
        let payments = statement
            .query_map([order_id], |row| {
                Ok(StorePayment {
                    reference: row.get(0)?,
                    voucherly_payment_id: row.get(1)?,
                    status: row.get(2)?,
                    amount: row.get(3)?,
                    method: row.get(4)?,
                    created_at: row.get(5)?,
                    updated_at: row.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(statement);
        tx.commit()?;
        Ok(Some(StoreOrder {
            order,
            store_user_id,
            updated_at,
            payments,
        }))
    })
    .await
}

/// The store user id of the shopper whose order `store_order_id` is, if there is one.
pub(super) async fn owner_of(
    db: &Database,
    store_order_id: &str,
) -> anyhow::Result<Option<String>> {
    let id = store_order_id.to_owned();
    db.run(move |conn| {
        Ok(conn
            .query_row(
                "SELECT s.store_user_id FROM orders o JOIN shoppers s ON s.id = o.shopper_id
                 WHERE o.store_order_id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?)
    })
    .await
}

/// The id of the order the store knows as `store_order_id`, if it belongs to the shopper the
/// store knows as `store_user_id`.
pub(super) async fn order_of(
    db: &Database,
    store_user_id: &str,
    store_order_id: &str,
) -> anyhow::Result<Option<i64>> {
    let (store_user_id, store_order_id) = (store_user_id.to_owned(), store_order_id.to_owned());
    db.run(move |conn| {
        Ok(conn
            .query_row(
                "SELECT orders.id FROM orders JOIN shoppers ON shoppers.id = orders.shopper_id
                 WHERE orders.store_order_id = ?1 AND shoppers.store_user_id = ?2",
                params![store_order_id, store_user_id],
                |row| row.get(0),
            )
            .optional()?)
    })
    .await
}
