//! Starting a payment at Voucherly for a payment record already written: the request (every
//! amount from the stored order), a stale customer id replaced, and Voucherly's answer recorded
//! whatever it is.

use super::Payments;
use super::config::Capture;
use super::request::{PaymentContext, create_payment_request};
use crate::domain::order::Order;
use crate::domain::payment::{Created, PaymentRecord};
use crate::domain::{FirstPayment, Shopper};
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::{CreatePaymentRequest, Payment};

/// Who pays, at Voucherly.
pub(super) struct Paying<'a> {
    pub shopper: &'a Shopper,
    /// The shopper's customer id; `None` for their first payment (the caller holds the claim).
    pub customer_id: Option<String>,
    /// The saved method chosen; `None` to choose at the checkout.
    pub method_id: Option<String>,
}

/// Asks Voucherly for the payment of `record` and records its answer, whatever it is: the
/// checkout URL to send the shopper to, or why Voucherly could not start it.
impl Payments {
    pub(super) async fn create(
        &self,
        order: &Order,
        payer: Paying<'_>,
        record: &PaymentRecord,
        language: &'static str,
    ) -> anyhow::Result<Result<String, VoucherlyError>> {
        let mut payer = payer;
        if payer.customer_id.is_none() {
            // A first payment here: the customer is found or created first, never left to the
            // payment, which would make a new one each time the database forgot the id.
            match self.find_or_create(payer.shopper).await {
                Ok(id) => payer.customer_id = Some(id),
                Err(error) => {
                    tracing::warn!(%error, "could not find or create the shopper's Voucherly customer");
                    self.store
                        .record_create_failed(&record.reference, &error.to_string())
                        .await?;
                    return Ok(Err(error));
                }
            }
        }
        let request = create_payment_request(
            order,
            PaymentContext {
                reference: &record.reference,
                shopper: payer.shopper,
                customer_id: payer.customer_id.clone(),
                method_id: payer.method_id,
                public_url: &self.public_url,
                language,
                auto_confirm: self.config.capture == Capture::AtPayment,
            },
        );
        let mut created = self.voucherly.create_payment(&request).await;
        if let (Err(error), Some(stale)) = (&created, &payer.customer_id)
            && error.is_resource_missing()
        {
            created = self.with_new_customer(payer.shopper, stale, request).await;
        }
        let payment = match created {
            Ok(payment) => payment,
            Err(error) => {
                tracing::warn!(%error, "Voucherly could not create the payment");
                self.store
                    .record_create_failed(&record.reference, &error.to_string())
                    .await?;
                return Ok(Err(error));
            }
        };
        let Some(checkout_url) = payment
            .checkout_url
            .as_deref()
            .filter(|url| is_web_url(url))
        else {
            let error = format!(
                "payment {} came back without a usable checkoutUrl",
                payment.id
            );
            tracing::error!(payment_id = %payment.id, "{error}");
            self.store
                .record_create_failed(&record.reference, &error)
                .await?;
            return Ok(Err(VoucherlyError::UnexpectedAnswer(error)));
        };
        let created = Created {
            voucherly_payment_id: payment.id.clone(),
            voucherly_status: payment.status.as_ref().map(|s| s.as_str().to_owned()),
            checkout_url: checkout_url.to_owned(),
            first_check_after: self.config.first_check_after,
        };
        // The shopper goes on to the checkout even if this write fails: the callback and the
        // reconciler find the record by its reference and repair it.
        if let Err(error) = self.store.record_created(&record.reference, created).await {
            tracing::error!(error = ?error, "could not record the created payment");
        }
        if let Some(customer_id) = payment.customer_id.filter(|id| !id.trim().is_empty())
            && payer.customer_id.as_deref() != Some(customer_id.as_str())
        {
            let saved = self
                .shoppers
                .save_customer_id(record.shopper_id, self.environment, customer_id)
                .await;
            if let Err(error) = saved {
                tracing::error!(error = ?error, "could not save the Voucherly customer id");
            }
        }
        tracing::info!(payment_id = %payment.id, "payment created; shopper sent to the checkout");
        Ok(Ok(checkout_url.to_owned()))
    }

    /// Voucherly no longer knows the shopper's customer id (`RESOURCE_MISSING`): it is dropped and
    /// the payment asked again as a first payment (the customer found by email or created, the
    /// method chosen at the checkout, as the old customer's methods are gone), under the
    /// first-payment claim.
    async fn with_new_customer(
        &self,
        shopper: &Shopper,
        stale: &str,
        mut request: CreatePaymentRequest,
    ) -> Result<Payment, VoucherlyError> {
        tracing::warn!("Voucherly no longer knows the shopper's customer id: creating it again");
        let unavailable = |error: anyhow::Error| VoucherlyError::Unavailable(format!("{error:#}"));
        let (db, env) = (&self.shoppers, self.environment);
        db.forget_customer_id(shopper.id, env, stale.to_owned())
            .await
            .map_err(unavailable)?;
        let lease = self.config.creating_timeout;
        let claim = db
            .claim_first_payment(shopper.id, env, self.clock.now(), lease)
            .await
            .map_err(unavailable)?;
        request.customer_payment_method_id = None;
        request.customer_id = Some(match claim {
            FirstPayment::Customer(id) => id,
            FirstPayment::Claimed => {
                let found = self.find_or_create(shopper).await;
                self.first_payment_done(shopper.id).await;
                found?
            }
            FirstPayment::Busy => {
                return Err(VoucherlyError::Unavailable(
                    "another first payment of the shopper is under way".into(),
                ));
            }
        });
        self.voucherly.create_payment(&request).await
    }
}

fn is_web_url(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}
