//! The store's accounting view of its payments on PostgreSQL: one keyset-paged query.

use tokio_postgres::Row;

use super::Postgres;
use crate::domain::LocalStatus;
use crate::domain::ledger::{LedgerEntry, PaymentFilter};
use crate::domain::payment::Breakdown;
use crate::storage::LedgerStore;

#[async_trait::async_trait]
impl LedgerStore for Postgres {
    async fn list_payments(&self, filter: PaymentFilter) -> anyhow::Result<Vec<LedgerEntry>> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached(
                "SELECT p.id, p.reference, o.store_order_id, s.store_user_id,
                        p.voucherly_payment_id, p.status, p.voucherly_status, p.currency, p.amount,
                        p.paid_amount, p.paid_voucher_amount, p.paid_digital_amount,
                        p.paid_fringe_amount, p.paid_cash_amount, p.confirmed_amount,
                        p.refunded_amount, p.paid_at, p.confirmed_at, p.created_at
                 FROM payments p
                 JOIN orders o ON o.id = p.order_id
                 JOIN shoppers s ON s.id = p.shopper_id
                 WHERE ($1::BIGINT IS NULL OR p.created_at >= $1)
                   AND ($2::BIGINT IS NULL OR p.created_at < $2)
                   AND ($3::TEXT IS NULL OR p.status = $3)
                   AND ($4::TEXT IS NULL OR s.store_user_id = $4)
                   AND ($5::TEXT IS NULL OR p.environment = $5)
                   AND ($6::BIGINT IS NULL OR (p.created_at, p.id) > ($6, $7::BIGINT))
                 ORDER BY p.created_at, p.id
                 LIMIT $8",
            )
            .await?;
        let rows = client
            .query(
                &statement,
                &[
                    &filter.from,
                    &filter.to,
                    &filter.status.map(|status| status.as_str()),
                    &filter.store_user_id,
                    &filter.environment,
                    &filter.after.map(|at| at.created_at),
                    &filter.after.map(|at| at.id),
                    &filter.limit.max(0),
                ],
            )
            .await?;
        rows.iter().map(entry_from_row).collect()
    }
}

fn entry_from_row(row: &Row) -> anyhow::Result<LedgerEntry> {
    let status: String = row.try_get("status")?;
    Ok(LedgerEntry {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        store_order_id: row.try_get("store_order_id")?,
        store_user_id: row.try_get("store_user_id")?,
        voucherly_payment_id: row.try_get("voucherly_payment_id")?,
        status: LocalStatus::parse(&status)
            .ok_or_else(|| anyhow::anyhow!("unknown payment status {status:?}"))?,
        voucherly_status: row.try_get("voucherly_status")?,
        currency: row.try_get("currency")?,
        amount: row.try_get("amount")?,
        paid_amount: row.try_get("paid_amount")?,
        paid_voucher_amount: row.try_get("paid_voucher_amount")?,
        breakdown: Breakdown {
            final_amount: None,
            paid_digital: row.try_get("paid_digital_amount")?,
            paid_fringe: row.try_get("paid_fringe_amount")?,
            paid_cash: row.try_get("paid_cash_amount")?,
            confirmed: row.try_get("confirmed_amount")?,
            refunded: row.try_get("refunded_amount")?,
            paid_at: row.try_get("paid_at")?,
            confirmed_at: row.try_get("confirmed_at")?,
        },
        created_at: row.try_get("created_at")?,
    })
}
