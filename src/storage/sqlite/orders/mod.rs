//! The store's orders ([`OrderStore`] on SQLite). Creation goes through [`create`] only,
//! idempotent on the store's order id; amounts are fixed then, and every payment takes them
//! from here.

mod cancel;
mod read;
mod store_view;

use async_trait::async_trait;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

pub(crate) use read::awaiting_payment_on;

use super::{Database, now};
use crate::domain::order::{CancelOrder, CreateOrder, NewOrder, Order, StoreOrder};
use crate::storage::{OrderStore, OrderWithRefunds};

#[async_trait]
impl OrderStore for Database {
    async fn create_order(&self, shopper_id: i64, order: NewOrder) -> anyhow::Result<CreateOrder> {
        create(self, shopper_id, order).await
    }

    async fn order_for_shopper(
        &self,
        shopper_id: i64,
        order_id: i64,
    ) -> anyhow::Result<Option<Order>> {
        self.run(move |conn| read::find_for_shopper_on(conn, shopper_id, order_id))
            .await
    }

    async fn orders_awaiting_payment(&self, shopper_id: i64) -> anyhow::Result<Vec<Order>> {
        self.run(move |conn| awaiting_payment_on(conn, shopper_id))
            .await
    }

    async fn store_order(&self, store_order_id: &str) -> anyhow::Result<Option<StoreOrder>> {
        store_view::find_by_store_order_id(self, store_order_id).await
    }

    async fn order_with_refunds(
        &self,
        store_order_id: &str,
    ) -> anyhow::Result<Option<OrderWithRefunds>> {
        let read = crate::storage::orders::read_with_refunds(self, store_order_id);
        self.inner.pages.order_or_read(store_order_id, read).await
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
#[tracing::instrument(skip_all, fields(shopper_id, store_order_id = order.store_order_id()))]
async fn create(db: &Database, shopper_id: i64, order: NewOrder) -> anyhow::Result<CreateOrder> {
    let digest = order.digest(shopper_id);
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, request_digest FROM orders WHERE store_order_id = ?1",
                [order.store_order_id()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        if let Some((id, known_digest)) = known {
            return Ok(if known_digest == digest {
                CreateOrder::AlreadyExists(id)
            } else {
                CreateOrder::Conflict
            });
        }
        let totals = order.totals();
        let at = now();
        let id: i64 = tx.query_row(
            "INSERT INTO orders (shopper_id, store_order_id, total_amount, discount_amount,
                                 final_amount, request_digest, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
            params![
                shopper_id,
                order.store_order_id(),
                totals.total_amount,
                totals.discount_amount,
                totals.final_amount,
                digest,
                at
            ],
            |row| row.get(0),
        )?;
        for (position, line) in (0i64..).zip(order.lines()) {
            tx.execute(
                "INSERT INTO order_lines (order_id, position, product_id, product_name,
                     product_description, product_image, quantity, unit_amount,
                     unit_discount_amount, tax_rate, is_food)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    id,
                    position,
                    line.product_id,
                    line.product_name.trim(),
                    line.product_description,
                    line.product_image,
                    line.quantity,
                    line.unit_amount,
                    line.unit_discount_amount,
                    line.tax_rate,
                    line.is_food
                ],
            )?;
        }
        for (position, discount) in (0i64..).zip(order.discounts()) {
            tx.execute(
                "INSERT INTO order_discounts (order_id, position, name, description, amount)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    id,
                    position,
                    discount.name.trim(),
                    discount.description,
                    discount.amount
                ],
            )?;
        }
        tx.commit()?;
        Ok(CreateOrder::Created(id))
    })
    .await
}

#[cfg(test)]
mod tests;
