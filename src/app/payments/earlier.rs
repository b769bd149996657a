//! Before another payment of an order is started, the order's earlier open checkouts are
//! closed: each is read back from Voucherly and, while still `Requested`, voided, so an order
//! has at most one open Voucherly payment. One that turns out paid (another tab, a late
//! callback) makes the order paid and nothing new starts. The checks run concurrently under
//! one deadline, so the pay button answers in time whatever Voucherly does.

use std::time::Duration;

use tokio::task::JoinSet;

use super::Payments;
use super::refresh::RefreshError;
use crate::domain::LocalStatus;
use crate::domain::payment::Applied;
use crate::voucherly::VoucherlyError;

/// What became of the order's earlier checkouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Earlier {
    /// None is open any more: a new payment may start.
    Closed,
    /// One of them was paid: the order is paid.
    Paid,
    /// Voucherly could not tell (or void) in time: starting another could pay twice.
    Unsure,
}

impl Payments {
    /// Closes the order's open checkouts, waiting at most `within` for all of them.
    pub(super) async fn close_earlier(
        &self,
        order_id: i64,
        within: Duration,
    ) -> anyhow::Result<Earlier> {
        let open = self.store.unsettled_for_order(order_id).await?;
        let mut checks = JoinSet::new();
        for voucherly_payment_id in open {
            let payments = self.clone();
            checks.spawn(async move { payments.close(&voucherly_payment_id).await });
        }
        let deadline = tokio::time::Instant::now() + within;
        let (mut paid, mut unsure) = (false, false);
        loop {
            match tokio::time::timeout_at(deadline, checks.join_next()).await {
                Ok(None) => break,
                Ok(Some(Ok(Earlier::Paid))) => paid = true,
                Ok(Some(Ok(Earlier::Closed))) => {}
                Ok(Some(Ok(Earlier::Unsure) | Err(_))) => unsure = true,
                Err(_) => {
                    tracing::warn!("earlier payments not settled within the deadline");
                    unsure = true;
                    break;
                }
            }
        }
        Ok(match (paid, unsure) {
            (true, _) => Earlier::Paid,
            (false, true) => Earlier::Unsure,
            (false, false) => Earlier::Closed,
        })
    }

    /// Reads one earlier payment back and voids it if the shopper is still at its checkout.
    async fn close(&self, voucherly_payment_id: &str) -> Earlier {
        match self.refresh(voucherly_payment_id).await {
            Ok(Applied::Known { status, .. }) => match status {
                LocalStatus::Authorised | LocalStatus::Paid | LocalStatus::Refunded => {
                    return Earlier::Paid;
                }
                LocalStatus::Creating | LocalStatus::Requested => {}
                _ => return Earlier::Closed,
            },
            Ok(Applied::Unknown) => return Earlier::Closed,
            Err(RefreshError::Voucherly(VoucherlyError::NotFound)) => {
                return self.set_aside(voucherly_payment_id).await;
            }
            Err(error) => {
                tracing::warn!(%error, voucherly_payment_id, "could not re-read an earlier payment");
                return Earlier::Unsure;
            }
        }
        match self.voucherly.void_payment(voucherly_payment_id).await {
            Ok(mut payment) => {
                if payment.id.is_empty() {
                    payment.id = voucherly_payment_id.to_owned();
                }
                tracing::info!(
                    voucherly_payment_id,
                    "open checkout voided before starting again"
                );
                after_void(self.apply(&payment).await)
            }
            Err(VoucherlyError::NotFound) => self.set_aside(voucherly_payment_id).await,
            // Not voidable any more: it moved on meanwhile (paid, say). Read where it went.
            Err(error) if error.is_conflict() => {
                after_void(self.refresh(voucherly_payment_id).await.map_err(Into::into))
            }
            Err(error) => {
                tracing::warn!(%error, voucherly_payment_id, "could not void an earlier payment");
                Earlier::Unsure
            }
        }
    }

    /// Voucherly does not know the payment (now): it is no longer counted as open, and the
    /// reconciler keeps reading it, so a late "paid" still counts and a late checkout is voided.
    async fn set_aside(&self, voucherly_payment_id: &str) -> Earlier {
        match self.store.mark_outcome_unknown(voucherly_payment_id).await {
            Ok(()) => Earlier::Closed,
            Err(error) => {
                tracing::error!(error = ?error, "could not set an unknown payment aside");
                Earlier::Unsure
            }
        }
    }
}

fn after_void(applied: anyhow::Result<Applied>) -> Earlier {
    match applied {
        Ok(Applied::Known { status, .. }) => match status {
            LocalStatus::Authorised | LocalStatus::Paid | LocalStatus::Refunded => Earlier::Paid,
            LocalStatus::Creating | LocalStatus::Requested => Earlier::Unsure,
            _ => Earlier::Closed,
        },
        Ok(Applied::Unknown) => Earlier::Closed,
        Err(error) => {
            tracing::error!(error = ?error, "could not apply a voided payment");
            Earlier::Unsure
        }
    }
}
