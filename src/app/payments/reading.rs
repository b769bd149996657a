//! What Voucherly says of a payment, put in our terms, and applied to our records (one unit of
//! work in storage: statuses only move forward, the store's event queued with the change); the
//! notification worker is woken when an event was queued.

use super::Payments;
use crate::domain::LocalStatus;
use crate::domain::payment::{Applied, Reading};
use crate::storage::signal;
use crate::voucherly::types::{Payment, PaymentStatus};

/// What Voucherly's status means for us; `None` for a status we do not know, which changes
/// nothing.
pub fn local_status(status: &PaymentStatus) -> Option<LocalStatus> {
    match status {
        PaymentStatus::Requested => Some(LocalStatus::Requested),
        // Read the status, never assume it from the method: only `Paid` is authorised.
        PaymentStatus::Paid => Some(LocalStatus::Authorised),
        s if s.is_paid() => Some(LocalStatus::Paid),
        PaymentStatus::Refunded => Some(LocalStatus::Refunded),
        PaymentStatus::Cancelled | PaymentStatus::Voided | PaymentStatus::Expired => {
            Some(LocalStatus::Failed)
        }
        PaymentStatus::Other(text) if text.eq_ignore_ascii_case("canceled") => {
            Some(LocalStatus::Failed)
        }
        _ => None,
    }
}

/// `payment`, as Voucherly reported it, in our terms.
pub fn reading_of(payment: &Payment) -> Reading {
    Reading {
        voucherly_payment_id: payment.id.clone(),
        reference: payment.reference_id.clone(),
        status: payment.status.as_ref().and_then(local_status),
        voucherly_status: payment.status.as_ref().map(|s| s.as_str().to_owned()),
        checkout_url: payment.checkout_url.clone(),
        paid_amount: payment.paid_amount,
        paid_voucher_amount: payment.paid_voucher_amount,
    }
}

impl Payments {
    /// Applies `payment`, as just read from Voucherly, to our payment record and its order.
    #[tracing::instrument(
        name = "payments.apply",
        skip_all,
        fields(voucherly_payment_id = %payment.id, voucherly_status)
    )]
    pub(super) async fn apply(&self, payment: &Payment) -> anyhow::Result<Applied> {
        let reading = reading_of(payment);
        if let Some(status) = &reading.voucherly_status {
            tracing::Span::current().record("voucherly_status", status.as_str());
        }
        let (applied, queued) = self.store.apply_reading(reading).await?;
        if queued {
            signal::events_queued();
        }
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LocalStatus::*;

    #[test]
    fn voucherly_statuses_map_and_unknown_ones_change_nothing() {
        assert_eq!(local_status(&PaymentStatus::Captured), Some(Paid));
        assert_eq!(local_status(&PaymentStatus::Confirmed), Some(Paid));
        assert_eq!(local_status(&PaymentStatus::Paid), Some(Authorised));
        assert_eq!(local_status(&PaymentStatus::Requested), Some(Requested));
        assert_eq!(local_status(&PaymentStatus::Refunded), Some(Refunded));
        for failed in [
            PaymentStatus::Cancelled,
            PaymentStatus::Voided,
            PaymentStatus::Expired,
            PaymentStatus::Other("CANCELED".into()),
        ] {
            assert_eq!(local_status(&failed), Some(Failed), "{failed:?}");
        }
        assert_eq!(local_status(&PaymentStatus::Other("Weird".into())), None);
    }

    #[test]
    fn a_reading_keeps_voucherly_s_words_beside_ours() {
        let payment = Payment {
            id: "pay_1".into(),
            reference_id: Some("ref".into()),
            status: Some(PaymentStatus::Paid),
            checkout_url: Some("https://checkout.example/1".into()),
            paid_amount: Some(1200),
            paid_voucher_amount: Some(800),
            ..Default::default()
        };
        assert_eq!(
            reading_of(&payment),
            Reading {
                voucherly_payment_id: "pay_1".into(),
                reference: Some("ref".into()),
                status: Some(Authorised),
                voucherly_status: Some("Paid".into()),
                checkout_url: Some("https://checkout.example/1".into()),
                paid_amount: Some(1200),
                paid_voucher_amount: Some(800),
            }
        );
    }
}
