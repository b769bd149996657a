//! The store's orders ([`OrderStore`] on PostgreSQL). Creation goes through [`create`] only,
//! idempotent on the store's order id, also when several instances receive the same order at
//! once; amounts are fixed then, and every payment takes them from here.

mod cancel;
mod read;
mod store_view;

use async_trait::async_trait;
use tokio_postgres::types::ToSql;

pub(crate) use read::awaiting_payment_on;

use super::{Postgres, now};
use crate::domain::order::{CancelOrder, CreateOrder, NewOrder, Order, StoreOrder};
use crate::storage::{OrderStore, OrderWithRefunds};

#[async_trait]
impl OrderStore for Postgres {
    async fn create_order(&self, shopper_id: i64, order: NewOrder) -> anyhow::Result<CreateOrder> {
        create(self, shopper_id, order).await
    }

    async fn order_for_shopper(
        &self,
        shopper_id: i64,
        order_id: i64,
    ) -> anyhow::Result<Option<Order>> {
        read::find_for_shopper_on(&self.client().await?, shopper_id, order_id).await
    }

    async fn orders_awaiting_payment(&self, shopper_id: i64) -> anyhow::Result<Vec<Order>> {
        awaiting_payment_on(&self.client().await?, shopper_id).await
    }

    async fn store_order(&self, store_order_id: &str) -> anyhow::Result<Option<StoreOrder>> {
        store_view::find_by_store_order_id(self, store_order_id).await
    }

    async fn order_with_refunds(
        &self,
        store_order_id: &str,
    ) -> anyhow::Result<Option<OrderWithRefunds>> {
        self.listen_in_background();
        let read = crate::storage::orders::read_with_refunds(self, store_order_id);
        let pages = &self.inner.hearing.pages;
        pages.order_or_read(store_order_id, read).await
    }

    async fn owner_of_order(&self, store_order_id: &str) -> anyhow::Result<Option<String>> {
        store_view::owner_of(self, store_order_id).await
    }

    async fn order_of_store_user(
        &self,
        store_user_id: &str,
        store_order_id: &str,
    ) -> anyhow::Result<Option<i64>> {
        store_view::order_of(self, store_user_id, store_order_id).await
    }

    async fn cancel_order(
        &self,
        order_id: i64,
        reason: Option<String>,
        now: i64,
    ) -> anyhow::Result<CancelOrder> {
        cancel::cancel(self, order_id, reason, now).await
    }
}

/// Stores `order` for the shopper, unless its store order id is known: then the same order
/// again is [`CreateOrder::AlreadyExists`], anything else a [`CreateOrder::Conflict`].
///
/// The order row is inserted first with `ON CONFLICT DO NOTHING`: of two instances storing the
/// same store order id at once, one inserts it, and the other waits for that transaction to
/// commit and then compares its digest with the stored one.
#[tracing::instrument(skip_all, fields(shopper_id, store_order_id = order.store_order_id()))]
async fn create(db: &Postgres, shopper_id: i64, order: NewOrder) -> anyhow::Result<CreateOrder> {
    let digest = order.digest(shopper_id);
    let totals = order.totals();
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let insert = tx
        .prepare_cached(
            "INSERT INTO orders (shopper_id, store_order_id, total_amount, discount_amount,
                                 final_amount, request_digest, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
             ON CONFLICT (store_order_id) DO NOTHING
             RETURNING id",
        )
        .await?;
    let params: [&(dyn ToSql + Sync); 7] = [
        &shopper_id,
        &order.store_order_id(),
        &totals.total_amount,
        &totals.discount_amount,
        &totals.final_amount,
        &digest,
        &now(),
    ];
    let Some(row) = tx.query_opt(&insert, &params).await? else {
        let known = tx
            .prepare_cached("SELECT id, request_digest FROM orders WHERE store_order_id = $1")
            .await?;
        let Some(row) = tx.query_opt(&known, &[&order.store_order_id()]).await? else {
            anyhow::bail!("the order vanished while it was being stored again");
        };
        let (id, known_digest): (i64, String) = (row.try_get(0)?, row.try_get(1)?);
        return Ok(if known_digest == digest {
            CreateOrder::AlreadyExists(id)
        } else {
            CreateOrder::Conflict
        });
    };
    let id: i64 = row.try_get(0)?;
    let add_line = tx
        .prepare_cached(
            "INSERT INTO order_lines (order_id, position, product_id, product_name,
                 product_description, product_image, quantity, unit_amount,
                 unit_discount_amount, tax_rate, is_food)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .await?;
    for (position, line) in (0i64..).zip(order.lines()) {
        tx.execute(
            &add_line,
            &[
                &id,
                &position,
                &line.product_id,
                &line.product_name.trim(),
                &line.product_description,
                &line.product_image,
                &line.quantity,
                &line.unit_amount,
                &line.unit_discount_amount,
                &line.tax_rate,
                &line.is_food,
            ],
        )
        .await?;
    }
    let add_discount = tx
        .prepare_cached(
            "INSERT INTO order_discounts (order_id, position, name, description, amount)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .await?;
    for (position, discount) in (0i64..).zip(order.discounts()) {
        tx.execute(
            &add_discount,
            &[
                &id,
                &position,
                &discount.name.trim(),
                &discount.description,
                &discount.amount,
            ],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(CreateOrder::Created(id))
}
