//! Reading orders back, each with its lines and discounts.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::order::{Order, OrderDiscount, OrderLine, OrderStatus};

macro_rules! select_order {
    ($condition:literal) => {
        concat!(
            "SELECT id, shopper_id, store_order_id, currency, status, total_amount,
                    discount_amount, final_amount, created_at FROM orders WHERE ",
            $condition
        )
    };
}

/// The shopper's orders still to pay, oldest first.
pub(crate) fn awaiting_payment_on(
    conn: &Connection,
    shopper_id: i64,
) -> anyhow::Result<Vec<Order>> {
    let mut statement = conn.prepare_cached(select_order!(
        "shopper_id = ?1 AND status = ?2 ORDER BY created_at, id"
    ))?;
    let orders = statement
        .query_map(
            params![shopper_id, OrderStatus::AwaitingPayment.as_str()],
            order_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    orders
        .into_iter()
        .map(|order| with_details(conn, order))
        .collect()
}

/// One of the shopper's orders; `None` when it does not exist or is someone else's.
pub(super) fn find_for_shopper_on(
    conn: &Connection,
    shopper_id: i64,
    order_id: i64,
) -> anyhow::Result<Option<Order>> {
    let order = conn
        .prepare_cached(select_order!("id = ?1 AND shopper_id = ?2"))?
        .query_row(params![order_id, shopper_id], order_from_row)
        .optional()?;
    order.map(|order| with_details(conn, order)).transpose()
}

fn order_from_row(row: &Row<'_>) -> rusqlite::Result<Order> {
    let status: String = row.get("status")?;
    let status = OrderStatus::parse(&status).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            4,
            rusqlite::types::Type::Text,
            format!("unknown order status {status:?}").into(),
        )
    })?;
    Ok(Order {
        id: row.get("id")?,
        shopper_id: row.get("shopper_id")?,
        store_order_id: row.get("store_order_id")?,
        currency: row.get("currency")?,
        status,
        total_amount: row.get("total_amount")?,
        discount_amount: row.get("discount_amount")?,
        final_amount: row.get("final_amount")?,
        created_at: row.get("created_at")?,
        lines: Vec::new(),
        discounts: Vec::new(),
    })
}

fn with_details(conn: &Connection, mut order: Order) -> anyhow::Result<Order> {
    let mut lines = conn.prepare_cached(
        "SELECT product_id, product_name, product_description, product_image, quantity,
                unit_amount, unit_discount_amount, tax_rate, is_food
         FROM order_lines WHERE order_id = ?1 ORDER BY position",
    )?;
    order.lines = lines
        .query_map([order.id], |row| {
            Ok(OrderLine {
                product_id: row.get(0)?,
                product_name: row.get(1)?,
                product_description: row.get(2)?,
                product_image: row.get(3)?,
                quantity: row.get(4)?,
                unit_amount: row.get(5)?,
                unit_discount_amount: row.get(6)?,
                tax_rate: row.get(7)?,
                is_food: row.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut discounts = conn.prepare_cached(
        "SELECT name, description, amount FROM order_discounts
         WHERE order_id = ?1 ORDER BY position",
    )?;
    order.discounts = discounts
        .query_map([order.id], |row| {
            Ok(OrderDiscount {
                name: row.get(0)?,
                description: row.get(1)?,
                amount: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(order)
}
