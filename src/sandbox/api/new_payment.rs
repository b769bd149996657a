//! Checking a `POST v1/payments` body and turning it into a `Requested` payment.
//!
//! Sources: `create-payment.RequestSchema.json` (fields, `customerEmail` "Required when
//! `customerId` is not provided", `companyId` not with `customerId`, metadata limits,
//! `timeout`, `completionMode`), openapi.yaml (`redirectOkUrl`/`redirectKoUrl` `nullable:
//! false`, `tenant` "sand"), `create-payment.StatusCodes.json` (400 codes and parameters).

use super::super::amounts::{self, Priced};
use super::super::error::ApiError;
use super::super::origins;
use super::super::store::Customer;
use super::super::wire::{Mode, NewPayment, Payment, Status};

/// A sandbox payment's `tenant` (openapi.yaml `TenantMode`: "sand" in test mode).
pub const TENANT: &str = "sand";

/// The new payment, before its customer is filled in.
pub fn requested(
    request: &NewPayment,
    priced: Priced,
    id: String,
    checkout_url: String,
) -> Payment {
    Payment {
        id,
        tenant: TENANT.into(),
        reference_id: request.reference_id.clone(),
        mode: request.mode.unwrap_or_default(),
        customer_payment_method_id: request.customer_payment_method_id.clone(),
        selected_payment_gateway: request
            .selected_payment_gateway_id
            .clone()
            .or_else(|| request.selected_payment_gateway.clone()),
        payment_gateways: request.payment_gateways.clone(),
        checkout_url: Some(checkout_url),
        completion_mode: request.completion_mode(),
        metadata: request.metadata.clone(),
        food_amount: amounts::food_amount(&priced.lines, priced.final_amount),
        total_amount: priced.total_amount,
        discount_amount: priced.discount_amount,
        final_amount: priced.final_amount,
        amount: priced.final_amount,
        status: Status::Requested,
        lines: Some(priced.lines),
        discounts: Some(priced.discounts),
        transactions: Some(Vec::new()),
        ..Default::default()
    }
}

/// The request's rules that need nothing stored: URLs, metadata, timeout, lines for a purchase.
pub fn check(request: &NewPayment, public_url: Option<&str>) -> Result<(), ApiError> {
    for (name, url, required) in [
        ("RedirectOkUrl", &request.redirect_ok_url, true),
        ("RedirectKoUrl", &request.redirect_ko_url, true),
        ("CallbackUrl", &request.callback_url, false),
    ] {
        match url.as_deref().filter(|url| !url.is_empty()) {
            None if required => {
                return Err(ApiError::validation(name, format!("{name} is required")));
            }
            None => {}
            Some(url) if !origins::allowed(url, public_url) => {
                return Err(ApiError::validation(
                    name,
                    format!(
                        "{name} must be an absolute http(s) URL on this app's own origin or on \
                         a loopback address: the embedded sandbox follows no other URL"
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    // RequestSchema: "up to 10 key-value items with a maximum length of 40 for the key and of
    // 400 chars for the value".
    if request.metadata.len() > 10
        || request
            .metadata
            .iter()
            .any(|(key, value)| key.chars().count() > 40 || value.chars().count() > 400)
    {
        return Err(ApiError::validation(
            "Metadata",
            "metadata holds at most 10 pairs, keys of 40 and values of 400 characters",
        ));
    }
    if request.timeout.is_some_and(|timeout| timeout < 1) {
        return Err(ApiError::validation(
            "Timeout",
            "timeout must be a positive number of seconds",
        ));
    }
    let no_lines = request.lines.as_deref().unwrap_or_default().is_empty();
    if request.mode.unwrap_or_default() == Mode::Payment && no_lines {
        return Err(ApiError::validation(
            "Lines",
            "a payment needs at least one line",
        ));
    }
    Ok(())
}

/// Whose payment it is: a customer the sandbox should know, or a new one.
pub enum PayingCustomer {
    Known(String),
    New(Customer),
}

/// A payment without `customerId` creates its customer, as Voucherly does; an email is the
/// least that customer needs.
pub fn paying_customer(request: &NewPayment) -> Result<PayingCustomer, ApiError> {
    if let Some(id) = &request.customer_id {
        if request.company_id.is_some() {
            return Err(ApiError::validation(
                "CompanyId",
                "customerId and companyId cannot both be specified",
            ));
        }
        return Ok(PayingCustomer::Known(id.clone()));
    }
    let text = |value: &Option<String>| value.as_deref().unwrap_or_default().trim().to_owned();
    let email = text(&request.customer_email);
    if !email.contains('@') {
        return Err(ApiError::validation(
            "CustomerEmail",
            "customerEmail is required when customerId is not provided",
        ));
    }
    Ok(PayingCustomer::New(Customer {
        id: format!("cs_{}", uuid::Uuid::new_v4().simple()),
        first_name: text(&request.customer_first_name),
        last_name: text(&request.customer_last_name),
        email,
    }))
}
