//! The sandbox's wallet ledger (`sandbox_wallet_movements`): credits (a top-up at the checkout)
//! and debits of a customer's wallet, and the balance they add up to.

use anyhow::Context;
use rusqlite::Connection;

/// The wallet's balance: (total, from meal vouchers, cash), and when it last moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub amount: i64,
    pub voucher_amount: i64,
    pub cash_amount: i64,
    pub last_moved_at: Option<i64>,
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
