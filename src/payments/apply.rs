//! Applying Voucherly's word about a payment to our records (see `storage::payments::apply`: one
//! transaction, statuses only move forward, the store's event queued in the same transaction),
//! then waking the notification worker when an event was queued.

pub use crate::storage::payments::apply::{Applied, FIRST_CHECK_INTERVAL};
use crate::storage::{Database, payments};
use crate::voucherly::types::Payment;

/// Applies `payment`, as just read from Voucherly, to our payment record and its order.
#[tracing::instrument(
    name = "payments.apply",
    skip_all,
    fields(voucherly_payment_id = %payment.id, voucherly_status)
)]
pub async fn apply(db: &Database, payment: &Payment) -> anyhow::Result<Applied> {
    let voucherly_status = payment.status.as_ref().map(|s| s.as_str().to_owned());
    if let Some(status) = &voucherly_status {
        tracing::Span::current().record("voucherly_status", status.as_str());
    }
    let (applied, queued) = payments::apply::apply(db, payment.clone(), voucherly_status).await?;
    if queued {
        crate::storage::signal::events_queued();
    }
    Ok(applied)
}
