//! Finding orders by the store's ids, and reading one the way the store API shows it: with its
//! shopper's store user id, its last change and every attempt to pay it.

use deadpool_postgres::GenericClient;
use tokio_postgres::IsolationLevel;

use super::read::find_for_shopper_on;
use crate::domain::order::{StoreOrder, StorePayment};
use crate::storage::postgres::Postgres;

/// The order the store knows as `store_order_id`, whoever's it is, read in one read-only
/// repeatable-read transaction: the order, its lines and its payments as of one moment.
#[tracing::instrument(skip(db))]
pub(super) async fn find_by_store_order_id(
    db: &Postgres,
    store_order_id: &str,
) -> anyhow::Result<Option<StoreOrder>> {
    let mut client = db.client().await?;
    let tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let find = tx
        .prepare_cached(
            "SELECT o.id, o.shopper_id, s.store_user_id, o.updated_at FROM orders o
             JOIN shoppers s ON s.id = o.shopper_id WHERE o.store_order_id = $1",
        )
        .await?;
    let Some(row) = tx.query_opt(&find, &[&store_order_id]).await? else {
        return Ok(None);
    };
    let (order_id, shopper_id): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    let (store_user_id, updated_at): (String, i64) = (row.try_get(2)?, row.try_get(3)?);
    let Some(order) = find_for_shopper_on(&tx, shopper_id, order_id).await? else {
        return Ok(None);
    };
    let statement = tx
        .prepare_cached(
            "SELECT reference, voucherly_payment_id, status, amount, method_label,
                    created_at, updated_at
             FROM payments WHERE order_id = $1 ORDER BY created_at, id",
        )
        .await?;
    let payments = tx
        .query(&statement, &[&order_id])
        .await?
        .iter()
        .map(|row| {
            Ok(StorePayment {
                reference: row.try_get(0)?,
                voucherly_payment_id: row.try_get(1)?,
                status: row.try_get(2)?,
                amount: row.try_get(3)?,
                method: row.try_get(4)?,
                created_at: row.try_get(5)?,
                updated_at: row.try_get(6)?,
            })
        })
        .collect::<Result<Vec<_>, tokio_postgres::Error>>()?;
    tx.commit().await?;
    Ok(Some(StoreOrder {
        order,
        store_user_id,
        updated_at,
        payments,
    }))
}

/// The store user id of the shopper whose order `store_order_id` is, if there is one.
pub(super) async fn owner_of(
    db: &Postgres,
    store_order_id: &str,
) -> anyhow::Result<Option<String>> {
    let client = db.client().await?;
    let statement = client
        .prepare_cached(
            "SELECT s.store_user_id FROM orders o JOIN shoppers s ON s.id = o.shopper_id
             WHERE o.store_order_id = $1",
        )
        .await?;
    Ok(
        match client.query_opt(&statement, &[&store_order_id]).await? {
            Some(row) => Some(row.try_get(0)?),
            None => None,
        },
    )
}

/// The id of the order the store knows as `store_order_id`, if it belongs to the shopper the
/// store knows as `store_user_id`.
pub(super) async fn order_of(
    db: &Postgres,
    store_user_id: &str,
    store_order_id: &str,
) -> anyhow::Result<Option<i64>> {
    let client = db.client().await?;
    let statement = client
        .prepare_cached(
            "SELECT orders.id FROM orders JOIN shoppers ON shoppers.id = orders.shopper_id
             WHERE orders.store_order_id = $1 AND shoppers.store_user_id = $2",
        )
        .await?;
    Ok(
        match client
            .query_opt(&statement, &[&store_order_id, &store_user_id])
            .await?
        {
            Some(row) => Some(row.try_get(0)?),
            None => None,
        },
    )
}
