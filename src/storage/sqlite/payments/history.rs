//! The shopper's payments, newest first, a page at a time.

use rusqlite::{Connection, params};

use crate::domain::payment::{HistoryEntry, HistoryPage, HistoryRefund};
use crate::storage::sqlite::Database;

/// Page `page` (from 1) of the shopper's payments, `per_page` to a page, newest first.
pub(in crate::storage::sqlite) async fn history(
    db: &Database,
    shopper_id: i64,
    page: u32,
    per_page: u32,
) -> anyhow::Result<HistoryPage> {
    db.run(move |conn| history_on(conn, shopper_id, page, per_page))
        .await
}

/// The history on a connection already held.
pub(in crate::storage::sqlite) fn history_on(
    conn: &Connection,
    shopper_id: i64,
    page: u32,
    per_page: u32,
) -> anyhow::Result<HistoryPage> {
    let per_page = i64::from(per_page.max(1));
    let offset = i64::from(page.max(1) - 1).saturating_mul(per_page);
    let total: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM payments WHERE shopper_id = ?1")?
        .query_row([shopper_id], |row| row.get(0))?;
    let mut statement = conn.prepare_cached(
        "SELECT p.reference, p.created_at, o.store_order_id, p.amount, p.currency,
                p.method_label, p.status, p.is_duplicate,
                p.refund_error IS NOT NULL AND p.refund_due_at IS NULL AS manual,
                p.paid_voucher_amount
         FROM payments p JOIN orders o ON o.id = p.order_id
         WHERE p.shopper_id = ?1
         ORDER BY p.created_at DESC, p.id DESC
         LIMIT ?2 OFFSET ?3",
    )?;
    let entries = statement
        .query_map(params![shopper_id, per_page, offset], |row| {
            Ok(HistoryEntry {
                reference: row.get("reference")?,
                created_at: row.get("created_at")?,
                store_order_id: row.get("store_order_id")?,
                amount: row.get("amount")?,
                currency: row.get("currency")?,
                method_label: row.get("method_label")?,
                status: super::status_from_row(row, "status")?,
                is_duplicate: row.get("is_duplicate")?,
                needs_manual_refund: row.get("manual")?,
                voucher_amount: row.get("paid_voucher_amount")?,
                refunds: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<HistoryEntry>>>()?;
    let mut refunds = conn.prepare_cached(
        "SELECT r.amount, r.completed_at, r.destination
         FROM store_refunds r JOIN payments p ON p.id = r.payment_id
         WHERE p.reference = ?1 AND r.status = 'refunded'
         ORDER BY r.id",
    )?;
    let mut entries = entries;
    for entry in &mut entries {
        entry.refunds = refunds
            .query_map([&entry.reference], |row| {
                Ok(HistoryRefund {
                    amount: row.get(0)?,
                    refunded_at: row.get(1)?,
                    destination: row.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(HistoryPage { entries, total })
}
