//! The store's orders awaiting payment. Creation goes through [`create`] only, idempotent on the
//! store's order id; amounts are fixed then, and every payment takes them from here.

pub mod api;
mod read;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

pub use crate::domain::order::{InvalidOrder, NewOrder, NewOrderDiscount, NewOrderLine, Totals};
pub use read::{awaiting_payment, awaiting_payment_on, find_for_shopper, find_for_shopper_on};

use super::{Database, now};

/// What [`create`] did with a new order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateOrder {
    /// Stored under this id.
    Created(i64),
    /// The very same order was already stored, for the same shopper, under this id.
    AlreadyExists(i64),
    /// The store order id is taken by a different order, or by another shopper's.
    Conflict,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    AwaitingPayment,
    Paid,
    Refunded,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "awaiting_payment",
            Self::Paid => "paid",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::AwaitingPayment, Self::Paid, Self::Refunded]
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

/// A stored order with its lines and discounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: i64,
    pub shopper_id: i64,
    pub store_order_id: String,
    pub currency: String,
    pub status: OrderStatus,
    pub total_amount: i64,
    pub discount_amount: i64,
    pub final_amount: i64,
    pub created_at: i64,
    pub lines: Vec<OrderLine>,
    pub discounts: Vec<OrderDiscount>,
}

impl Order {
    /// Whether any line is food: only then may meal vouchers pay part of it.
    pub fn has_food(&self) -> bool {
        self.lines.iter().any(|line| line.is_food)
    }

    /// How much of the order meal vouchers may pay: its food, less its share of the discounts.
    pub fn food_amount(&self) -> i64 {
        let lines: Vec<(i64, bool)> = self
            .lines
            .iter()
            .map(|line| (line.final_amount(), line.is_food))
            .collect();
        crate::domain::food_share(&lines, self.final_amount)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderLine {
    pub product_id: Option<String>,
    pub product_name: String,
    pub product_description: Option<String>,
    pub product_image: Option<String>,
    pub quantity: i64,
    pub unit_amount: i64,
    pub unit_discount_amount: i64,
    pub tax_rate: Option<f64>,
    pub is_food: bool,
}

impl OrderLine {
    /// quantity × (unit amount − unit discount): what the line comes to. Checked when the
    /// order was created, so it cannot overflow here.
    pub fn final_amount(&self) -> i64 {
        self.quantity
            .saturating_mul(self.unit_amount.saturating_sub(self.unit_discount_amount))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDiscount {
    pub name: String,
    pub description: Option<String>,
    pub amount: i64,
}

/// Stores `order` for the shopper, unless its store order id is known: then the same order
/// again is [`CreateOrder::AlreadyExists`], anything else a [`CreateOrder::Conflict`].
#[tracing::instrument(skip_all, fields(shopper_id, store_order_id = order.store_order_id()))]
pub async fn create(
    db: &Database,
    shopper_id: i64,
    order: NewOrder,
) -> anyhow::Result<CreateOrder> {
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
