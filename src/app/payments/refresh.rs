//! Reading a payment back from Voucherly and applying it: the one way any part of the app (the
//! return page, the callback worker, the reconciler, the pay route) learns how a payment went.

use super::Payments;
use super::config::Capture;
use crate::domain::LocalStatus;
use crate::domain::payment::Applied;
use crate::metrics;
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::{Payment, PaymentStatus};

/// Seconds before a capture that could not be made is tried again by the reconciler.
const CAPTURE_RETRY: i64 = 60;

/// Why a payment could not be refreshed now. Each is worth another try later.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Voucherly(#[from] VoucherlyError),
    /// A 2xx answer without a status teaches nothing: it is not taken as "no change".
    #[error("Voucherly's answer carries no status")]
    NoStatus,
    #[error(transparent)]
    Storage(#[from] anyhow::Error),
}

impl Payments {
    /// Reads Voucherly's payment `voucherly_payment_id` back and applies it to our records.
    #[tracing::instrument(name = "payments.refresh", skip(self))]
    pub(super) async fn refresh(
        &self,
        voucherly_payment_id: &str,
    ) -> Result<Applied, RefreshError> {
        let mut payment = self.voucherly.get_payment(voucherly_payment_id).await?;
        if payment.id.is_empty() {
            payment.id = voucherly_payment_id.to_owned();
        } else if payment.id != voucherly_payment_id {
            return Err(VoucherlyError::UnexpectedAnswer(format!(
                "asked for payment {voucherly_payment_id}, got {}",
                payment.id
            ))
            .into());
        }
        if payment.status.is_none() {
            return Err(RefreshError::NoStatus);
        }
        let applied = self.apply(&payment).await?;
        if let Applied::Known { status, .. } = applied {
            if status == LocalStatus::Authorised && self.config.capture == Capture::AtPayment {
                return self.capture(voucherly_payment_id, applied).await;
            }
            if status.is_given_up() && payment.status == Some(PaymentStatus::Requested) {
                return self.void_orphan(voucherly_payment_id).await;
            }
        }
        Ok(applied)
    }

    /// Captures an authorised payment (`POST …/confirm`) and applies the answer. When Voucherly
    /// cannot be reached the reconciler is told to try again, and the payment stays authorised.
    pub(super) async fn capture(
        &self,
        voucherly_payment_id: &str,
        authorised: Applied,
    ) -> Result<Applied, RefreshError> {
        let payment = match self.voucherly.confirm_payment(voucherly_payment_id).await {
            Ok(payment) => payment,
            // Not capturable any more (captured meanwhile, expired, refunded): read what it is.
            Err(error) if error.is_conflict() => {
                self.voucherly.get_payment(voucherly_payment_id).await?
            }
            // A 400 or 422 that the same `{}` sent again cannot change: no quick retry; what the
            // payment is now is read back (the reconciler still looks at it, backing off).
            Err(error @ VoucherlyError::Refused { .. }) => {
                tracing::error!(%error, voucherly_payment_id, "Voucherly refuses this capture");
                self.voucherly.get_payment(voucherly_payment_id).await?
            }
            // Unavailable, or `Interrupted` (part done, the rest to resend as is): try again.
            Err(error) => {
                tracing::warn!(%error, voucherly_payment_id, "could not capture; retrying later");
                let at = self.clock.now() + CAPTURE_RETRY;
                self.store
                    .retry_capture_at(voucherly_payment_id, at)
                    .await?;
                return Ok(authorised);
            }
        };
        tracing::info!(voucherly_payment_id, status = ?payment.status, "payment captured");
        self.apply_answer(voucherly_payment_id, payment).await
    }

    /// Applies Voucherly's answer to an action on a payment (confirm, void, refund).
    pub(super) async fn apply_answer(
        &self,
        voucherly_payment_id: &str,
        mut payment: Payment,
    ) -> Result<Applied, RefreshError> {
        if payment.id.is_empty() {
            payment.id = voucherly_payment_id.to_owned();
        }
        if payment.status.is_none() {
            return Err(RefreshError::NoStatus);
        }
        Ok(self.apply(&payment).await?)
    }

    /// A checkout still open at Voucherly for a payment we gave up on (its creation timed out, the
    /// app stopped, or a newer payment of the order replaced it): nobody will finish it, so it is
    /// voided before anyone can pay it twice.
    async fn void_orphan(&self, voucherly_payment_id: &str) -> Result<Applied, RefreshError> {
        tracing::warn!(
            voucherly_payment_id,
            "open checkout of a payment we gave up on: voiding it"
        );
        let payment = match self.voucherly.void_payment(voucherly_payment_id).await {
            Ok(payment) => {
                tracing::info!(voucherly_payment_id, "orphan checkout voided");
                metrics::record_orphan("voided");
                payment
            }
            // It moved on meanwhile (paid, say): what it is now is what counts (a payment is
            // adopted by `apply`).
            Err(error) if error.is_conflict() => {
                self.voucherly.get_payment(voucherly_payment_id).await?
            }
            Err(error) => {
                tracing::warn!(voucherly_payment_id, %error, "orphan checkout not voided yet; tried again later");
                metrics::record_orphan("void_failed");
                return Err(error.into());
            }
        };
        self.apply_answer(voucherly_payment_id, payment).await
    }
}
