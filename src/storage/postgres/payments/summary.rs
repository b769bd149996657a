//! Reading one of our payments by its reference, with what the return page may show of its order.

use crate::domain::LocalStatus;
use crate::domain::payment::PaymentSummary;
use crate::storage::postgres::Postgres;

/// Our payment whose `referenceId` at Voucherly is `reference`, if there is one.
#[tracing::instrument(name = "payments.summary_by_reference", skip_all)]
pub(super) async fn summary_by_reference(
    db: &Postgres,
    reference: &str,
) -> anyhow::Result<Option<PaymentSummary>> {
    let client = db.client().await?;
    let summary = client
        .prepare_cached(
            "SELECT p.id, p.shopper_id, p.status, p.voucherly_payment_id, o.store_order_id,
                    p.amount
             FROM payments p JOIN orders o ON o.id = p.order_id
             WHERE p.reference = $1",
        )
        .await?;
    let Some(row) = client.query_opt(&summary, &[&reference]).await? else {
        return Ok(None);
    };
    let id: i64 = row.try_get(0)?;
    let status: String = row.try_get(2)?;
    let status = LocalStatus::parse(&status)
        .ok_or_else(|| anyhow::anyhow!("payment {id} has an unknown status {status:?}"))?;
    Ok(Some(PaymentSummary {
        id,
        reference: reference.to_owned(),
        shopper_id: row.try_get(1)?,
        status,
        voucherly_payment_id: row.try_get(3)?,
        store_order_id: row.try_get(4)?,
        amount: row.try_get(5)?,
    }))
}
