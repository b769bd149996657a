//! The PostgreSQL side of [`PageStore`]: everything the profile page reads, in one read-only
//! `REPEATABLE READ` transaction, so its parts agree with each other even while other instances
//! write (see the SQLite engine's `account_page.rs` and `payments/history.rs`); kept in memory
//! until this instance's listener hears that it changed (see `fence`).

use std::collections::HashMap;

use anyhow::Context;
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::IsolationLevel;
use tokio_postgres::Row;

use super::Postgres;
use crate::domain::order::{Order, OrderDiscount, OrderLine, OrderStatus};
use crate::domain::payment::{HistoryEntry, HistoryPage, HistoryRefund};
use crate::domain::{LocalStatus, Shopper, last_page};
use crate::storage::{AccountPage, PageStore};

#[async_trait]
impl PageStore for Postgres {
    async fn profile_page(
        &self,
        shopper_id: i64,
        environment: &'static str,
        history_page: u32,
        per_page: u32,
    ) -> anyhow::Result<Option<AccountPage>> {
        self.listen_in_background();
        let read = self.read_profile_page(shopper_id, environment, history_page, per_page);
        let key = (environment, history_page, per_page);
        self.inner
            .hearing
            .pages
            .profile_or_read(shopper_id, key, read)
            .await
    }

    async fn payment_history(
        &self,
        shopper_id: i64,
        page: u32,
        per_page: u32,
    ) -> anyhow::Result<HistoryPage> {
        let client = self.client().await?;
        history(&client, shopper_id, page, per_page).await
    }
}

impl Postgres {
    async fn read_profile_page(
        &self,
        shopper_id: i64,
        environment: &'static str,
        history_page: u32,
        per_page: u32,
    ) -> anyhow::Result<Option<AccountPage>> {
        let mut client = self.client().await?;
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let Some(shopper) = shopper(&tx, shopper_id).await? else {
            return Ok(None);
        };
        let mut page = history_page.max(1);
        let mut history = history(&tx, shopper_id, page, per_page).await?;
        let last = last_page(history.total, per_page);
        if page > last {
            page = last;
            history = self::history(&tx, shopper_id, page, per_page).await?;
        }
        let found = AccountPage {
            customer_id: customer_id(&tx, shopper_id, environment).await?,
            orders: awaiting_payment(&tx, shopper_id).await?,
            open_checkouts: open_checkouts(&tx, shopper_id).await?,
            preferred: preferred(&tx, shopper_id, environment).await?,
            last_used: last_used(&tx, shopper_id, environment).await?,
            shopper,
            history,
            history_page: page,
        };
        tx.commit().await?;
        Ok(Some(found))
    }
}

async fn shopper(db: &impl GenericClient, shopper_id: i64) -> anyhow::Result<Option<Shopper>> {
    let find = db
        .prepare_cached(
            "SELECT id, store_user_id, email, first_name, last_name, language
             FROM shoppers WHERE id = $1",
        )
        .await?;
    Ok(db
        .query_opt(&find, &[&shopper_id])
        .await?
        .map(|row| Shopper {
            id: row.get(0),
            store_user_id: row.get(1),
            email: row.get(2),
            first_name: row.get(3),
            last_name: row.get(4),
            language: row.get(5),
        }))
}

async fn customer_id(
    db: &impl GenericClient,
    shopper_id: i64,
    environment: &str,
) -> anyhow::Result<Option<String>> {
    let find = db
        .prepare_cached(
            "SELECT customer_id FROM voucherly_customers
             WHERE shopper_id = $1 AND environment = $2",
        )
        .await?;
    let row = db.query_opt(&find, &[&shopper_id, &environment]).await?;
    Ok(row.map(|row| row.get(0)))
}

async fn preferred(
    db: &impl GenericClient,
    shopper_id: i64,
    environment: &str,
) -> anyhow::Result<Option<String>> {
    let find = db
        .prepare_cached(
            "SELECT method_id FROM preferred_methods
             WHERE shopper_id = $1 AND environment = $2",
        )
        .await?;
    let row = db.query_opt(&find, &[&shopper_id, &environment]).await?;
    Ok(row.map(|row| row.get(0)))
}

/// Saved method id → when (Unix seconds) the latest payment with it that was paid began, for the
/// shopper's payments in `environment`.
async fn last_used(
    db: &impl GenericClient,
    shopper_id: i64,
    environment: &str,
) -> anyhow::Result<HashMap<String, i64>> {
    let read = db
        .prepare_cached(
            "SELECT method_id, MAX(created_at) FROM payments
             WHERE shopper_id = $1 AND environment = $2 AND method_id IS NOT NULL
               AND status IN ('paid', 'refunded')
             GROUP BY method_id",
        )
        .await?;
    let rows = db.query(&read, &[&shopper_id, &environment]).await?;
    Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
}

/// For each of the shopper's orders with a payment still at Voucherly's checkout, the newest
/// such payment's checkout URL. Only web addresses are offered as links, whatever Voucherly sent.
async fn open_checkouts(
    db: &impl GenericClient,
    shopper_id: i64,
) -> anyhow::Result<HashMap<i64, String>> {
    let read = db
        .prepare_cached(
            "SELECT order_id, checkout_url FROM payments
             WHERE shopper_id = $1 AND status = $2
               AND (checkout_url LIKE 'https://%' OR checkout_url LIKE 'http://%')
             ORDER BY id",
        )
        .await?;
    let rows = db
        .query(&read, &[&shopper_id, &LocalStatus::Requested.as_str()])
        .await?;
    // Later rows replace earlier ones: the newest payment of each order wins.
    Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
}

/// The shopper's orders still to pay, oldest first, each with its lines and discounts.
async fn awaiting_payment(db: &impl GenericClient, shopper_id: i64) -> anyhow::Result<Vec<Order>> {
    let read = db
        .prepare_cached(
            "SELECT id, shopper_id, store_order_id, currency, status, total_amount,
                    discount_amount, final_amount, created_at
             FROM orders WHERE shopper_id = $1 AND status = $2 ORDER BY created_at, id",
        )
        .await?;
    let rows = db
        .query(
            &read,
            &[&shopper_id, &OrderStatus::AwaitingPayment.as_str()],
        )
        .await?;
    let mut orders = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut order = order_from_row(row)?;
        order.lines = lines(db, order.id).await?;
        order.discounts = discounts(db, order.id).await?;
        orders.push(order);
    }
    Ok(orders)
}

fn order_from_row(row: &Row) -> anyhow::Result<Order> {
    let status: String = row.get("status");
    let status =
        OrderStatus::parse(&status).with_context(|| format!("unknown order status {status:?}"))?;
    Ok(Order {
        id: row.get("id"),
        shopper_id: row.get("shopper_id"),
        store_order_id: row.get("store_order_id"),
        currency: row.get("currency"),
        status,
        total_amount: row.get("total_amount"),
        discount_amount: row.get("discount_amount"),
        final_amount: row.get("final_amount"),
        created_at: row.get("created_at"),
        lines: Vec::new(),
        discounts: Vec::new(),
    })
}

async fn lines(db: &impl GenericClient, order_id: i64) -> anyhow::Result<Vec<OrderLine>> {
    let read = db
        .prepare_cached(
            "SELECT product_id, product_name, product_description, product_image, quantity,
                    unit_amount, unit_discount_amount, tax_rate, is_food
             FROM order_lines WHERE order_id = $1 ORDER BY position",
        )
        .await?;
    let rows = db.query(&read, &[&order_id]).await?;
    Ok(rows
        .iter()
        .map(|row| OrderLine {
            product_id: row.get(0),
            product_name: row.get(1),
            product_description: row.get(2),
            product_image: row.get(3),
            quantity: row.get(4),
            unit_amount: row.get(5),
            unit_discount_amount: row.get(6),
            tax_rate: row.get(7),
            is_food: row.get(8),
        })
        .collect())
}

async fn discounts(db: &impl GenericClient, order_id: i64) -> anyhow::Result<Vec<OrderDiscount>> {
    let read = db
        .prepare_cached(
            "SELECT name, description, amount FROM order_discounts
             WHERE order_id = $1 ORDER BY position",
        )
        .await?;
    let rows = db.query(&read, &[&order_id]).await?;
    Ok(rows
        .iter()
        .map(|row| OrderDiscount {
            name: row.get(0),
            description: row.get(1),
            amount: row.get(2),
        })
        .collect())
}

/// Page `page` (from 1) of the shopper's payments, `per_page` to a page, newest first.
async fn history(
    db: &impl GenericClient,
    shopper_id: i64,
    page: u32,
    per_page: u32,
) -> anyhow::Result<HistoryPage> {
    let per_page = i64::from(per_page.max(1));
    let offset = i64::from(page.max(1) - 1).saturating_mul(per_page);
    let count = db
        .prepare_cached("SELECT COUNT(*) FROM payments WHERE shopper_id = $1")
        .await?;
    let total: i64 = db.query_one(&count, &[&shopper_id]).await?.get(0);
    let read = db
        .prepare_cached(
            "SELECT p.reference, p.created_at, o.store_order_id, p.amount, p.currency,
                    p.method_label, p.status, p.is_duplicate,
                    p.refund_error IS NOT NULL AND p.refund_due_at IS NULL AS manual,
                    p.paid_voucher_amount
             FROM payments p JOIN orders o ON o.id = p.order_id
             WHERE p.shopper_id = $1
             ORDER BY p.created_at DESC, p.id DESC
             LIMIT $2 OFFSET $3",
        )
        .await?;
    let rows = db.query(&read, &[&shopper_id, &per_page, &offset]).await?;
    let entries = rows
        .iter()
        .map(|row| {
            let status: String = row.get("status");
            Ok(HistoryEntry {
                reference: row.get("reference"),
                created_at: row.get("created_at"),
                store_order_id: row.get("store_order_id"),
                amount: row.get("amount"),
                currency: row.get("currency"),
                method_label: row.get("method_label"),
                status: LocalStatus::parse(&status)
                    .with_context(|| format!("unknown payment status {status:?}"))?,
                is_duplicate: row.get("is_duplicate"),
                needs_manual_refund: row.get("manual"),
                voucher_amount: row.get("paid_voucher_amount"),
                refunds: Vec::new(),
            })
        })
        .collect::<anyhow::Result<Vec<HistoryEntry>>>()?;
    let refunds = db
        .prepare_cached(
            "SELECT r.amount, r.completed_at, r.destination
             FROM store_refunds r JOIN payments p ON p.id = r.payment_id
             WHERE p.reference = $1 AND r.status = 'refunded'
             ORDER BY r.id",
        )
        .await?;
    let mut entries = entries;
    for entry in &mut entries {
        entry.refunds = db
            .query(&refunds, &[&entry.reference])
            .await?
            .iter()
            .map(|row| {
                Ok(HistoryRefund {
                    amount: row.try_get(0)?,
                    refunded_at: row.try_get(1)?,
                    destination: row.try_get(2)?,
                })
            })
            .collect::<anyhow::Result<_>>()?;
    }
    Ok(HistoryPage { entries, total })
}
