//! Reading one of our payments by its reference, with what the return page may show of its order.

use rusqlite::{OptionalExtension, params};

use crate::domain::LocalStatus;
use crate::domain::payment::PaymentSummary;
use crate::storage::sqlite::Database;

/// Our payment whose `referenceId` at Voucherly is `reference`, if there is one.
#[tracing::instrument(name = "payments.summary_by_reference", skip_all)]
pub(super) async fn summary_by_reference(
    db: &Database,
    reference: &str,
) -> anyhow::Result<Option<PaymentSummary>> {
    let reference = reference.to_owned();
    db.run(move |conn| {
        let found = conn
            .query_row(
                "SELECT p.id, p.shopper_id, p.status, p.voucherly_payment_id, o.store_order_id,
                        p.amount
                 FROM payments p JOIN orders o ON o.id = p.order_id
                 WHERE p.reference = ?1",
                params![reference],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, i64>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, shopper_id, status, voucherly_payment_id, store_order_id, amount)) = found
        else {
            return Ok(None);
        };
        let status = LocalStatus::parse(&status)
            .ok_or_else(|| anyhow::anyhow!("payment {id} has an unknown status {status:?}"))?;
        Ok(Some(PaymentSummary {
            id,
            reference,
            shopper_id,
            status,
            voucherly_payment_id,
            store_order_id,
            amount,
        }))
    })
    .await
}
