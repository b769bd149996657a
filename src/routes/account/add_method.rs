//! "Add a card or meal voucher": `POST /account/payment-methods/add` starts a Voucherly checkout
//! that only saves a method, and `GET /account/payment-methods/added/{reference}` is where
//! Voucherly sends the shopper back, to the profile with a notice saying which method was added,
//! or that none was.
//!
//! The mode: Voucherly documents no endpoint that adds a method, and no description of `Setup`;
//! openapi.yaml's own example for this ("Wallet: Create a Wallet to save a payment method") is a
//! line-less `mode: Wallet` payment, so that is what is sent (`shared/voucherly-api.md`, "Saving a
//! method without buying"). Like the pay form, the attempt is written before Voucherly is called,
//! one per form (its idempotency key), behind the CSRF check.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::pay::problem;
use crate::app::payments::Payments;
use crate::app::payments::customer::Payer;
use crate::i18n::Lang;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::storage::method_setups::{self, Begun};
use crate::storage::shoppers;
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::{CreatePaymentRequest, PaymentMode};
use crate::web::{PageError, see_other};

pub const PATH: &str = "/account/payment-methods/add";

#[derive(Deserialize)]
pub struct AddForm {
    csrf_token: String,
    idempotency_key: String,
}

#[tracing::instrument(name = "add method", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn start(
    req: HttpRequest,
    signed_in: SignedIn,
    state: web::Data<AppState>,
    payments: web::Data<Payments>,
    form: web::Form<AddForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.session.check_csrf(&form.csrf_token)?;
    let key = form.idempotency_key.trim().to_ascii_lowercase();
    if !(32..=64).contains(&key.len()) || !key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(PageError::BadRequest("malformed idempotency key".into()));
    }
    let shopper_id = signed_in.shopper_id;
    let Some(shopper) = shoppers::find(&state.db, shopper_id).await? else {
        signed_in.session.sign_out();
        return Err(PageError::NotSignedIn);
    };
    let within = state.payments.earlier_checks_within;
    let customer_id = match payments.payer(shopper_id, within).await? {
        Some(Payer::Customer(id)) => id,
        Some(Payer::First) => {
            let found = payments.find_or_create(&shopper).await;
            payments.first_payment_done(shopper_id).await;
            match found {
                Ok(id) => id,
                Err(error) => return problem::start_failed(&req, Some(&error)),
            }
        }
        None => return problem::start_failed(&req, None),
    };
    let known = match state.voucherly.list_payment_methods(&customer_id).await {
        Ok(methods) => methods.into_iter().map(|m| m.id).collect(),
        Err(VoucherlyError::NotFound) => Vec::new(),
        Err(error) => return problem::start_failed(&req, Some(&error)),
    };
    let setup =
        match method_setups::begin(&state.db, shopper_id, state.environment, key, known).await? {
            Begun::New(setup) => setup,
            // The same form again: the same checkout, never a second one.
            Begun::Existing(setup) => {
                return match setup.checkout_url {
                    Some(url) => Ok(see_other(&url)),
                    None => problem::start_failed(&req, None),
                };
            }
        };
    let back = format!(
        "{}/account/payment-methods/added/{}",
        state.public_url, setup.reference
    );
    let request = CreatePaymentRequest {
        mode: Some(PaymentMode::Wallet),
        reference_id: Some(setup.reference.clone()),
        customer_id: Some(customer_id),
        redirect_ok_url: Some(back.clone()),
        redirect_ko_url: Some(back),
        language: Some(Lang::of(&req).code().to_owned()),
        country: Some("IT".to_owned()),
        ..Default::default()
    };
    let created = state.voucherly.create_payment(&request).await;
    let checkout = created.as_ref().ok().and_then(|payment| {
        let url = payment.checkout_url.clone()?;
        Some((payment.id.clone(), url))
    });
    let answer = checkout.clone().ok_or_else(|| match &created {
        Err(error) => error.to_string(),
        Ok(_) => "the payment came back without a checkoutUrl".to_owned(),
    });
    method_setups::record_answer(&state.db, &setup.reference, answer).await?;
    match (checkout, created) {
        (Some((_, url)), _) => {
            tracing::info!("shopper sent to Voucherly to save a method");
            Ok(see_other(&url))
        }
        (None, Err(error)) => problem::start_failed(&req, Some(&error)),
        (None, Ok(_)) => problem::start_failed(&req, None),
    }
}

/// Back from Voucherly: the methods listed afresh, and the new one named on the profile.
#[tracing::instrument(name = "method added", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn back(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    reference: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let shopper_id = signed_in.shopper_id;
    let setup = method_setups::find(&state.db, &reference)
        .await?
        .filter(|setup| setup.shopper_id == shopper_id)
        .ok_or(PageError::NotFound)?;
    state.saved_methods.forget(shopper_id);
    let not_added = "/account?notice=method_not_added#methods-heading";
    let Some(customer_id) = shoppers::customer_id(&state.db, shopper_id, state.environment).await?
    else {
        return Ok(see_other(not_added));
    };
    let listed = match state.voucherly.list_payment_methods(&customer_id).await {
        Ok(listed) => listed,
        Err(error) => {
            tracing::warn!(%error, "could not list the methods after saving one");
            return Ok(see_other(
                "/account?notice=method_added_unknown#methods-heading",
            ));
        }
    };
    match listed
        .iter()
        .find(|method| !setup.known_methods.contains(&method.id))
    {
        Some(new) => {
            let query = serde_urlencoded::to_string([("added", new.id.as_str())])
                .map_err(anyhow::Error::from)?;
            Ok(see_other(&format!("/account?{query}#methods-heading")))
        }
        None => Ok(see_other(not_added)),
    }
}
