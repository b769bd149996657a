//! The answer to a form submitted again: whatever the first submission led to. A first
//! submission still talking to Voucherly (a double-click) is waited for.

use std::time::Duration;

use super::Payments;
use super::start::Started;
use crate::domain::LocalStatus;
use crate::domain::payment::PaymentRecord;

const POLL_EVERY: Duration = Duration::from_millis(100);
const WAIT_AT_MOST: Duration = Duration::from_secs(15);

impl Payments {
    /// Where the first submission of a form (`record`, for order `order_id`) led.
    pub(super) async fn replay(
        &self,
        mut record: PaymentRecord,
        order_id: i64,
    ) -> anyhow::Result<Started> {
        if record.order_id != order_id {
            return Ok(Started::KeyOfAnotherOrder);
        }
        tracing::Span::current().record("reference", record.reference.as_str());
        if record.status == LocalStatus::Creating {
            // Past the wait, the record as first read (still being created) answers.
            if let Ok(created) = tokio::time::timeout(WAIT_AT_MOST, self.created(&record)).await {
                record = created?;
            }
        }
        Ok(match (record.status, record.checkout_url) {
            (LocalStatus::Authorised | LocalStatus::Paid | LocalStatus::Refunded, _) => {
                Started::AlreadyPaid
            }
            // This attempt is over; a fresh form lets the shopper try again.
            (LocalStatus::Failed | LocalStatus::Abandoned, _) => Started::Over,
            (_, Some(url)) => Started::Checkout { url, new: false },
            _ => Started::StartFailed(None),
        })
    }

    /// The record once its first submission is done talking to Voucherly.
    async fn created(&self, record: &PaymentRecord) -> anyhow::Result<PaymentRecord> {
        loop {
            tokio::time::sleep(POLL_EVERY).await;
            let read = self
                .store
                .payment_by_reference(&record.reference)
                .await?
                .ok_or_else(|| anyhow::anyhow!("payment record {} vanished", record.reference))?;
            if read.status != LocalStatus::Creating {
                return Ok(read);
            }
        }
    }
}
