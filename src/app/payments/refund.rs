//! Refunding, by itself, a second payment of an order already paid (two checkouts approved in
//! a race no void could stop). The store hears of it: paid twice, then refunded, or a manual
//! refund needed when Voucherly cannot make it (`ImpossibleRefund`, common with meal vouchers).

use super::Payments;
use crate::domain::LocalStatus;
use crate::domain::payment::Applied;
use crate::domain::payment_work::DueRefund;
use crate::storage::signal;
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::Payment;

/// At most this many refunds per run.
const BATCH: i64 = 20;
/// Seconds before a refund Voucherly could not take now is tried again.
const RETRY: i64 = 60;
/// Voucherly's word for a refund it cannot make, on the payment or a transaction.
const IMPOSSIBLE: &str = "ImpossibleRefund";

impl Payments {
    /// Makes the refunds due at `now`; returns how many it tried.
    pub(super) async fn refund_due(&self, now: i64) -> anyhow::Result<usize> {
        let due = self.store.lease_due_refunds(now, BATCH).await?;
        for refund in &due {
            self.refund_one(refund, now).await?;
        }
        Ok(due.len())
    }

    async fn refund_one(&self, due: &DueRefund, now: i64) -> anyhow::Result<()> {
        let id = &due.voucherly_payment_id;
        let answer = match self.voucherly.refund_payment(id).await {
            Ok(payment) => payment,
            // Not refundable in its status: it may be refunded already, else a person must look.
            Err(error) if error.is_conflict() => match self.voucherly.get_payment(id).await {
                Ok(payment) => payment,
                Err(error) => return self.retry(due, now, &error).await,
            },
            Err(error @ (VoucherlyError::Unavailable(_) | VoucherlyError::UnexpectedAnswer(_))) => {
                return self.retry(due, now, &error).await;
            }
            Err(error) => {
                tracing::error!(voucherly_payment_id = %id, %error, "Voucherly refused to refund a second payment");
                return self.manual_refund(due, error.to_string(), now).await;
            }
        };
        if is_impossible(&answer) {
            tracing::error!(voucherly_payment_id = %id, "Voucherly cannot refund a second payment: manual refund needed");
            return self.manual_refund(due, IMPOSSIBLE.to_owned(), now).await;
        }
        let mut answer = answer;
        if answer.id.is_empty() {
            answer.id = id.clone();
        }
        match self.apply(&answer).await? {
            Applied::Known {
                status: LocalStatus::Refunded,
                ..
            } => {
                tracing::info!(voucherly_payment_id = %id, "second payment refunded");
                self.store.refund_done(due.id).await
            }
            // Not refunded yet (Voucherly is still at it): look again later.
            _ => {
                self.store
                    .retry_refund_at(due.id, now + RETRY, "not refunded yet".into())
                    .await
            }
        }
    }

    /// A person must refund it: the store is told.
    async fn manual_refund(&self, due: &DueRefund, error: String, now: i64) -> anyhow::Result<()> {
        if self.store.refund_impossible(due.id, error, now).await? {
            signal::events_queued();
        }
        Ok(())
    }

    async fn retry(&self, due: &DueRefund, now: i64, error: &VoucherlyError) -> anyhow::Result<()> {
        tracing::warn!(voucherly_payment_id = %due.voucherly_payment_id, %error, "could not refund a second payment now; retrying");
        self.store
            .retry_refund_at(due.id, now + RETRY, error.to_string())
            .await
    }
}

fn is_impossible(payment: &Payment) -> bool {
    let status = payment.status.as_ref().map(|s| s.as_str());
    status == Some(IMPOSSIBLE)
        || payment
            .transactions
            .iter()
            .flatten()
            .any(|t| t.status.as_ref().map(|s| s.as_str()) == Some(IMPOSSIBLE))
}
