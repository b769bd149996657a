//! The sandbox's wallet ledger (`sandbox_wallet_movements`): credits (a top-up at the checkout)
//! and debits of a customer's wallet, and the balance they add up to.

use anyhow::Context;
use rusqlite::{Connection, params};

/// One row of the ledger, with the running totals after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Movement {
    pub id: i64,
    pub customer_id: String,
    pub action: String,
    pub transaction_id: Option<String>,
    pub amount: i64,
    pub voucher_amount: i64,
    pub cash_amount: i64,
    pub running_amount: i64,
    pub running_voucher_amount: i64,
    pub running_cash_amount: i64,
    /// Unix seconds.
    pub occurred_at: i64,
}

/// The wallet's balance: (total, from meal vouchers, cash), and when it last moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub amount: i64,
    pub voucher_amount: i64,
    pub cash_amount: i64,
    pub last_moved_at: Option<i64>,
}

/// Adds a movement to the customer's ledger.
pub fn record(
    conn: &Connection,
    customer_id: &str,
    action: &str,
    transaction_id: Option<&str>,
    voucher_amount: i64,
    cash_amount: i64,
    occurred_at: i64,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO sandbox_wallet_movements (customer_id, action, transaction_id, amount,
             voucher_amount, cash_amount, occurred_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            customer_id,
            action,
            transaction_id,
            voucher_amount + cash_amount,
            voucher_amount,
            cash_amount,
            occurred_at
        ],
    )
    .context("could not record a sandbox wallet movement")?;
    Ok(())
}

pub fn totals(conn: &Connection, customer_id: &str) -> anyhow::Result<Totals> {
    conn.query_row(
        "SELECT IFNULL(SUM(amount), 0), IFNULL(SUM(voucher_amount), 0),
             IFNULL(SUM(cash_amount), 0), MAX(occurred_at)
         FROM sandbox_wallet_movements WHERE customer_id = ?1",
        [customer_id],
        |row| {
            Ok(Totals {
                amount: row.get(0)?,
                voucher_amount: row.get(1)?,
                cash_amount: row.get(2)?,
                last_moved_at: row.get(3)?,
            })
        },
    )
    .context("could not add up a sandbox wallet")
}

/// The customer's movements between `from` and `to` (inclusive, Unix seconds), newest first,
/// each with the running totals after it.
pub fn movements(
    conn: &Connection,
    customer_id: &str,
    from: Option<i64>,
    to: Option<i64>,
) -> anyhow::Result<Vec<Movement>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, customer_id, action, transaction_id, amount, voucher_amount, cash_amount,
             SUM(amount) OVER running, SUM(voucher_amount) OVER running,
             SUM(cash_amount) OVER running, occurred_at
         FROM sandbox_wallet_movements WHERE customer_id = ?1
         WINDOW running AS (ORDER BY occurred_at, id)
         ORDER BY occurred_at DESC, id DESC",
    )?;
    let all = statement
        .query_map([customer_id], |row| {
            Ok(Movement {
                id: row.get(0)?,
                customer_id: row.get(1)?,
                action: row.get(2)?,
                transaction_id: row.get(3)?,
                amount: row.get(4)?,
                voucher_amount: row.get(5)?,
                cash_amount: row.get(6)?,
                running_amount: row.get(7)?,
                running_voucher_amount: row.get(8)?,
                running_cash_amount: row.get(9)?,
                occurred_at: row.get(10)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()
        .context("could not read a sandbox wallet's movements")?;
    Ok(all
        .into_iter()
        .filter(|m| from.is_none_or(|from| m.occurred_at >= from))
        .filter(|m| to.is_none_or(|to| m.occurred_at <= to))
        .collect())
}
