//! The store's accounting view of its payments on SQLite: one keyset-paged query.

use rusqlite::{Row, params};

use super::Database;
use super::payments::status_from_row;
use crate::domain::ledger::{LedgerEntry, PaymentFilter};
use crate::domain::payment::Breakdown;
use crate::storage::LedgerStore;

#[async_trait::async_trait]
impl LedgerStore for Database {
    async fn list_payments(&self, filter: PaymentFilter) -> anyhow::Result<Vec<LedgerEntry>> {
        self.run(move |conn| {
            let mut statement = conn.prepare_cached(
                "SELECT p.id, p.reference, o.store_order_id, s.store_user_id,
                        p.voucherly_payment_id, p.status, p.voucherly_status, p.currency, p.amount,
                        p.paid_amount, p.paid_voucher_amount, p.paid_digital_amount,
                        p.paid_fringe_amount, p.paid_cash_amount, p.confirmed_amount,
                        p.refunded_amount, p.paid_at, p.confirmed_at, p.created_at
                 FROM payments p
                 JOIN orders o ON o.id = p.order_id
                 JOIN shoppers s ON s.id = p.shopper_id
                 WHERE (?1 IS NULL OR p.created_at >= ?1)
                   AND (?2 IS NULL OR p.created_at < ?2)
                   AND (?3 IS NULL OR p.status = ?3)
                   AND (?4 IS NULL OR s.store_user_id = ?4)
                   AND (?5 IS NULL OR p.environment = ?5)
                   AND (?6 IS NULL OR p.created_at > ?6 OR (p.created_at = ?6 AND p.id > ?7))
                 ORDER BY p.created_at, p.id
                 LIMIT ?8",
            )?;
            let rows = statement
                .query_map(
                    params![
                        filter.from,
                        filter.to,
                        filter.status.map(|status| status.as_str()),
                        filter.store_user_id,
                        filter.environment,
                        filter.after.map(|at| at.created_at),
                        filter.after.map(|at| at.id),
                        filter.limit.max(0),
                    ],
                    entry_from_row,
                )?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .await
    }
}

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<LedgerEntry> {
    Ok(LedgerEntry {
        id: row.get("id")?,
        reference: row.get("reference")?,
        store_order_id: row.get("store_order_id")?,
        store_user_id: row.get("store_user_id")?,
        voucherly_payment_id: row.get("voucherly_payment_id")?,
        status: status_from_row(row, "status")?,
        voucherly_status: row.get("voucherly_status")?,
        currency: row.get("currency")?,
        amount: row.get("amount")?,
        paid_amount: row.get("paid_amount")?,
        paid_voucher_amount: row.get("paid_voucher_amount")?,
        breakdown: Breakdown {
            final_amount: None,
            paid_digital: row.get("paid_digital_amount")?,
            paid_fringe: row.get("paid_fringe_amount")?,
            paid_cash: row.get("paid_cash_amount")?,
            confirmed: row.get("confirmed_amount")?,
            refunded: row.get("refunded_amount")?,
            paid_at: row.get("paid_at")?,
            confirmed_at: row.get("confirmed_at")?,
        },
        created_at: row.get("created_at")?,
    })
}
