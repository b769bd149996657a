//! Reading orders back, each with its lines and discounts.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

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

/// The shopper's orders still to pay, oldest first, on a connection or transaction already
/// held.
pub(crate) async fn awaiting_payment_on(
    client: &impl GenericClient,
    shopper_id: i64,
) -> anyhow::Result<Vec<Order>> {
    let statement = client
        .prepare_cached(select_order!(
            "shopper_id = $1 AND status = $2 ORDER BY created_at, id"
        ))
        .await?;
    let rows = client
        .query(
            &statement,
            &[&shopper_id, &OrderStatus::AwaitingPayment.as_str()],
        )
        .await?;
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        orders.push(with_details(client, order_from_row(&row)?).await?);
    }
    Ok(orders)
}

/// One of the shopper's orders; `None` when it does not exist or is someone else's.
pub(super) async fn find_for_shopper_on(
    client: &impl GenericClient,
    shopper_id: i64,
    order_id: i64,
) -> anyhow::Result<Option<Order>> {
    let statement = client
        .prepare_cached(select_order!("id = $1 AND shopper_id = $2"))
        .await?;
    match client
        .query_opt(&statement, &[&order_id, &shopper_id])
        .await?
    {
        Some(row) => Ok(Some(with_details(client, order_from_row(&row)?).await?)),
        None => Ok(None),
    }
}

fn order_from_row(row: &Row) -> anyhow::Result<Order> {
    let status: String = row.try_get("status")?;
    let status = OrderStatus::parse(&status)
        .ok_or_else(|| anyhow::anyhow!("unknown order status {status:?}"))?;
    Ok(Order {
        id: row.try_get("id")?,
        shopper_id: row.try_get("shopper_id")?,
        store_order_id: row.try_get("store_order_id")?,
        currency: row.try_get("currency")?,
        status,
        total_amount: row.try_get("total_amount")?,
        discount_amount: row.try_get("discount_amount")?,
        final_amount: row.try_get("final_amount")?,
        created_at: row.try_get("created_at")?,
        lines: Vec::new(),
        discounts: Vec::new(),
    })
}

async fn with_details(client: &impl GenericClient, mut order: Order) -> anyhow::Result<Order> {
    let lines = client
        .prepare_cached(
            "SELECT product_id, product_name, product_description, product_image, quantity,
                    unit_amount, unit_discount_amount, tax_rate, is_food
             FROM order_lines WHERE order_id = $1 ORDER BY position",
        )
        .await?;
    order.lines = client
        .query(&lines, &[&order.id])
        .await?
        .iter()
        .map(|row| {
            Ok(OrderLine {
                product_id: row.try_get(0)?,
                product_name: row.try_get(1)?,
                product_description: row.try_get(2)?,
                product_image: row.try_get(3)?,
                quantity: row.try_get(4)?,
                unit_amount: row.try_get(5)?,
                unit_discount_amount: row.try_get(6)?,
                tax_rate: row.try_get(7)?,
                is_food: row.try_get(8)?,
            })
        })
        .collect::<Result<_, tokio_postgres::Error>>()?;
    let discounts = client
        .prepare_cached(
            "SELECT name, description, amount FROM order_discounts
             WHERE order_id = $1 ORDER BY position",
        )
        .await?;
    order.discounts = client
        .query(&discounts, &[&order.id])
        .await?
        .iter()
        .map(|row| {
            Ok(OrderDiscount {
                name: row.try_get(0)?,
                description: row.try_get(1)?,
                amount: row.try_get(2)?,
            })
        })
        .collect::<Result<_, tokio_postgres::Error>>()?;
    Ok(order)
}
