//! What Voucherly says of a payment, put in our terms, and applied to our records (one unit of
//! work in storage: statuses only move forward, the store's event queued with the change); the
//! notification worker is woken when an event was queued.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Payments;
use crate::domain::LocalStatus;
use crate::domain::payment::{Applied, Breakdown, Reading};
use crate::storage::signal;
use crate::voucherly::types::{Payment, PaymentStatus, Transaction};

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
        breakdown: breakdown_of(payment),
    }
}

/// The payment's money as Voucherly reported it. Captured and refunded totals missing on the
/// payment (older answers) are the sums of its transactions' own, when they carry them.
fn breakdown_of(payment: &Payment) -> Breakdown {
    let transactions = payment.transactions.as_deref().unwrap_or_default();
    let sum = |field: fn(&Transaction) -> Option<i64>| {
        transactions
            .iter()
            .filter_map(field)
            .reduce(|a, b| a.saturating_add(b))
    };
    Breakdown {
        final_amount: payment.final_amount,
        paid_digital: payment.paid_digital_amount,
        paid_fringe: payment.paid_fringe_amount,
        paid_cash: payment.paid_cash_amount,
        confirmed: payment
            .confirmed_amount
            .or_else(|| sum(|t| t.confirmed_amount)),
        refunded: payment
            .refunded_amount
            .or_else(|| sum(|t| t.refunded_amount)),
        paid_at: transactions
            .iter()
            .filter_map(|t| unix_seconds(t.paid_on_utc.as_deref()))
            .min(),
        confirmed_at: unix_seconds(payment.confirmed_on_utc.as_deref()),
    }
}

/// An RFC 3339 time as Unix seconds; `None` when absent or not a time.
fn unix_seconds(text: Option<&str>) -> Option<i64> {
    OffsetDateTime::parse(text?, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
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
                breakdown: Breakdown::default(),
            }
        );
    }

    #[test]
    fn a_reading_carries_the_amounts_by_method_and_sums_transactions_where_the_payment_is_silent() {
        let payment = Payment {
            id: "pay_1".into(),
            final_amount: Some(1500),
            paid_digital_amount: Some(700),
            paid_fringe_amount: Some(0),
            confirmed_on_utc: Some("2026-12-03T10:00:00Z".into()),
            transactions: Some(vec![
                Transaction {
                    confirmed_amount: Some(800),
                    refunded_amount: Some(100),
                    paid_on_utc: Some("2026-12-03T09:59:00Z".into()),
                    ..Default::default()
                },
                Transaction {
                    confirmed_amount: Some(700),
                    paid_on_utc: Some("2026-12-03T09:58:00+01:00".into()),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        assert_eq!(
            reading_of(&payment).breakdown,
            Breakdown {
                final_amount: Some(1500),
                paid_digital: Some(700),
                paid_fringe: Some(0),
                paid_cash: None,
                confirmed: Some(1500),
                refunded: Some(100),
                paid_at: Some(1_796_288_280),
                confirmed_at: Some(1_796_292_000),
            }
        );
        let told = Payment {
            confirmed_amount: Some(0),
            ..payment
        };
        assert_eq!(reading_of(&told).breakdown.confirmed, Some(0));
    }
}
