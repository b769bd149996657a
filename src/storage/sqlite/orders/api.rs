//! Reading an order the way the store API shows it: by the store's order id, with its shopper's
//! store user id, its last change and every attempt to pay it.

use rusqlite::OptionalExtension;

use super::{Order, find_for_shopper_on};
use crate::storage::sqlite::Database;

/// An order with what the store API adds to it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreOrder {
    pub order: Order,
    pub store_user_id: String,
    pub updated_at: i64,
    /// Oldest first.
    pub payments: Vec<StorePayment>,
}

/// One attempt to pay an order, as the store sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorePayment {
    pub reference: String,
    pub voucherly_payment_id: Option<String>,
    /// Our status of the payment (`requested`, `paid`, `failed`, …).
    pub status: String,
    pub amount: i64,
    /// How the saved method read when chosen; `None` when chosen at Voucherly's checkout.
    pub method: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl StoreOrder {
    /// The Voucherly id of the payment that paid the order, or else of the latest payment that
    /// has one.
    pub fn voucherly_payment_id(&self) -> Option<&str> {
        let settled =
            |p: &&StorePayment| matches!(p.status.as_str(), "authorised" | "paid" | "refunded");
        let with_id = |p: &&StorePayment| p.voucherly_payment_id.is_some();
        let newest_first = || self.payments.iter().rev();
        newest_first()
            .filter(with_id)
            .find(settled)
            .or_else(|| newest_first().find(with_id))
            .and_then(|p| p.voucherly_payment_id.as_deref())
    }
}

/// The order the store knows as `store_order_id`, whoever's it is, read in one trip.
#[tracing::instrument(skip(db))]
pub async fn find_by_store_order_id(
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
pub async fn owner_of(db: &Database, store_order_id: &str) -> anyhow::Result<Option<String>> {
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
