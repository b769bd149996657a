//! Cancelling an order the store no longer wants paid. The order is cancelled in our records
//! first, at once (the shopper's page stops offering it, the pay form refuses it, the store's
//! `order.cancelled` event is queued with the change); only then is each checkout of it still
//! open at Voucherly voided. A checkout Voucherly cannot void now (down, slow) is voided by the
//! reconciler later; one the shopper paid as it was cancelled is refunded by itself, as a
//! second payment of an order is, and the store hears of it (`order.paid_after_cancel`).

use tokio::task::JoinSet;

use super::Payments;
use super::refresh::RefreshError;
use crate::domain::LocalStatus;
use crate::domain::order::CancelOrder;
use crate::domain::payment::Applied;
use crate::storage::signal;
use crate::voucherly::VoucherlyError;

impl Payments {
    /// Cancels order `order_id` (unless it was paid) and closes its checkouts at Voucherly,
    /// waiting for Voucherly at most as long as the pay button does; what is not closed by
    /// then is closed by the reconciler.
    #[tracing::instrument(name = "payments.cancel_order", skip(self, reason))]
    pub async fn cancel_order(
        &self,
        order_id: i64,
        reason: Option<String>,
    ) -> anyhow::Result<CancelOrder> {
        let now = self.clock.now();
        let outcome = self.orders.cancel_order(order_id, reason, now).await?;
        let CancelOrder::Cancelled { first, .. } = &outcome else {
            return Ok(outcome);
        };
        if *first {
            signal::events_queued();
        }
        let within = self.config.earlier_checks_within;
        match tokio::time::timeout(within, self.close_cancelled(order_id)).await {
            Ok(Ok(())) => {}
            // The order is cancelled all the same: the reconciler closes what is left.
            Ok(Err(error)) => {
                tracing::error!(error = ?error, "could not close a cancelled order's checkouts");
            }
            Err(_) => {
                tracing::warn!("Voucherly did not answer in time: the reconciler closes the rest")
            }
        }
        Ok(outcome)
    }

    /// Voids each checkout of the cancelled order still open at Voucherly, concurrently; one
    /// found paid is due for its refund, which is made at once.
    async fn close_cancelled(&self, order_id: i64) -> anyhow::Result<()> {
        let open = self.store.unsettled_for_order(order_id).await?;
        let mut voids = JoinSet::new();
        for voucherly_payment_id in open {
            let payments = self.clone();
            voids.spawn(async move { payments.void_cancelled(&voucherly_payment_id).await });
        }
        let mut paid = false;
        while let Some(done) = voids.join_next().await {
            paid |= matches!(done, Ok(Some(status)) if status.holds_money());
        }
        if paid {
            self.refund_due(self.clock.now()).await?;
        }
        Ok(())
    }

    /// Voids one checkout of a cancelled order and applies Voucherly's answer; where the
    /// payment stands after, or `None` when Voucherly could not be asked now.
    async fn void_cancelled(&self, voucherly_payment_id: &str) -> Option<LocalStatus> {
        let applied = match self.voucherly.void_payment(voucherly_payment_id).await {
            Ok(payment) => self.apply_answer(voucherly_payment_id, payment).await,
            // Not voidable: it moved on (paid as it was cancelled, say). Read where it went.
            Err(error) if error.is_conflict() => self.refresh(voucherly_payment_id).await,
            Err(error) => Err(error.into()),
        };
        match applied {
            Ok(Applied::Known { status, .. }) => {
                tracing::info!(
                    voucherly_payment_id,
                    status = status.as_str(),
                    "checkout of a cancelled order closed"
                );
                Some(status)
            }
            Ok(Applied::Unknown) => None,
            Err(RefreshError::Voucherly(VoucherlyError::NotFound)) => {
                tracing::warn!(
                    voucherly_payment_id,
                    "Voucherly does not know the cancelled order's checkout; the reconciler keeps looking"
                );
                None
            }
            Err(error) => {
                tracing::warn!(voucherly_payment_id, %error, "could not void a cancelled order's checkout now; the reconciler retries");
                None
            }
        }
    }
}
