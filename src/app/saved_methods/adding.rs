//! Adding a card or meal voucher: a Voucherly checkout that only saves a method.
//!
//! The mode: Voucherly documents no endpoint that adds a method, and no description of `Setup`;
//! openapi.yaml's own example for this ("Wallet: Create a Wallet to save a payment method") is a
//! line-less `mode: Wallet` payment, so that is what is sent (`shared/voucherly-api.md`, "Saving a
//! method without buying"). Like a payment, the set-up is written before Voucherly is called,
//! one per form (its idempotency key), so a resubmitted form gets the same checkout.

use super::SavedMethods;
use crate::storage::{SetupBegun, SetupCheckout};
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::{CreatePaymentRequest, PaymentMode};

/// Where adding a method goes next.
pub enum Adding {
    /// To Voucherly's checkout.
    Checkout(String),
    /// Nowhere: it could not start, and why when Voucherly said.
    Failed(Option<VoucherlyError>),
}

/// What the shopper saved, back from Voucherly.
pub enum Added {
    /// The id of the method saved.
    Method(String),
    NotAdded,
    /// Voucherly could not list the methods to tell.
    Unknown,
}

impl SavedMethods {
    /// Starts a checkout that saves a method for `customer_id`, once per `idempotency_key`,
    /// in `language`.
    pub async fn begin_adding(
        &self,
        shopper_id: i64,
        customer_id: String,
        idempotency_key: String,
        language: &str,
    ) -> anyhow::Result<Adding> {
        let known = match self.voucherly.list_payment_methods(&customer_id).await {
            Ok(methods) => methods.into_iter().map(|m| m.id).collect(),
            Err(VoucherlyError::NotFound) => Vec::new(),
            Err(error) => return Ok(Adding::Failed(Some(error))),
        };
        let begun = self
            .methods
            .begin_method_setup(shopper_id, self.environment, idempotency_key, known)
            .await?;
        let setup = match begun {
            SetupBegun::New(setup) => setup,
            // The same form again: the same checkout, never a second one.
            SetupBegun::Existing(setup) => {
                return Ok(setup
                    .checkout_url
                    .map_or(Adding::Failed(None), Adding::Checkout));
            }
        };
        let back = format!(
            "{}/account/payment-methods/added/{}",
            self.public_url, setup.reference
        );
        let request = CreatePaymentRequest {
            mode: Some(PaymentMode::Wallet),
            reference_id: Some(setup.reference.clone()),
            customer_id: Some(customer_id),
            redirect_ok_url: Some(back.clone()),
            redirect_ko_url: Some(back),
            language: Some(language.to_owned()),
            country: Some("IT".to_owned()),
            ..Default::default()
        };
        let created = self.voucherly.create_payment(&request).await;
        let checkout = created.as_ref().ok().and_then(|payment| {
            Some(SetupCheckout {
                checkout_url: payment.checkout_url.clone()?,
                voucherly_payment_id: payment.id.clone(),
            })
        });
        let answer = checkout.clone().ok_or_else(|| match &created {
            Err(error) => error.to_string(),
            Ok(_) => "the payment came back without a checkoutUrl".to_owned(),
        });
        self.methods
            .record_setup_answer(&setup.reference, answer)
            .await?;
        Ok(match (checkout, created) {
            (Some(checkout), _) => {
                tracing::info!("shopper sent to Voucherly to save a method");
                Adding::Checkout(checkout.checkout_url)
            }
            (None, Err(error)) => Adding::Failed(Some(error)),
            (None, Ok(_)) => Adding::Failed(None),
        })
    }

    /// Back from the set-up `reference`: the methods listed afresh, and the new one told;
    /// `None` when it is no set-up of the shopper's.
    pub async fn added(&self, shopper_id: i64, reference: &str) -> anyhow::Result<Option<Added>> {
        let setup = self
            .methods
            .method_setup(reference)
            .await?
            .filter(|setup| setup.shopper_id == shopper_id);
        let Some(setup) = setup else {
            return Ok(None);
        };
        self.forget(shopper_id).await;
        let Some(customer_id) = self.customer(shopper_id).await? else {
            return Ok(Some(Added::NotAdded));
        };
        let listed = match self.voucherly.list_payment_methods(&customer_id).await {
            Ok(listed) => listed,
            Err(error) => {
                tracing::warn!(%error, "could not list the methods after saving one");
                return Ok(Some(Added::Unknown));
            }
        };
        Ok(Some(
            listed
                .into_iter()
                .find(|method| !setup.known_methods.contains(&method.id))
                .map_or(Added::NotAdded, |new| Added::Method(new.id)),
        ))
    }
}
