//! Checking a `POST v1/payments` body and turning it into a `Requested` payment.

use super::super::amounts::Priced;
use super::super::error::ApiError;
use super::super::store::Customer;
use crate::voucherly::types::{CreatePaymentRequest, Payment, PaymentMode, PaymentStatus};

/// The new payment, before its customer is filled in.
pub fn requested(
    request: &CreatePaymentRequest,
    priced: Priced,
    id: String,
    checkout_url: String,
) -> Payment {
    Payment {
        id,
        tenant: Some("sandbox".into()),
        reference_id: request.reference_id.clone(),
        mode: Some(request.mode.clone().unwrap_or(PaymentMode::Payment)),
        selected_payment_gateway: request.selected_payment_gateway.clone(),
        payment_gateways: Some(request.payment_gateways.clone()),
        checkout_url: Some(checkout_url),
        metadata: Some(request.metadata.clone()),
        total_amount: Some(priced.total_amount),
        discount_amount: Some(priced.discount_amount),
        final_amount: Some(priced.final_amount),
        paid_amount: Some(0),
        paid_voucher_amount: Some(0),
        amount: Some(priced.final_amount),
        status: Some(PaymentStatus::Requested),
        lines: Some(priced.lines),
        discounts: Some(priced.discounts),
        transactions: Some(Vec::new()),
        ..Default::default()
    }
}

/// The redirect and callback URLs, when given, must be absolute http(s) URLs: the checkout
/// sends browsers and posts callbacks there.
pub fn check_urls(request: &CreatePaymentRequest) -> Result<(), ApiError> {
    for (name, url) in [
        ("redirectOkUrl", &request.redirect_ok_url),
        ("redirectKoUrl", &request.redirect_ko_url),
        ("callbackUrl", &request.callback_url),
    ] {
        check_url(name, url.as_deref())?;
    }
    Ok(())
}

fn check_url(name: &str, url: Option<&str>) -> Result<(), ApiError> {
    let Some(url) = url else { return Ok(()) };
    match reqwest::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(()),
        _ => Err(ApiError::BadRequest(format!(
            "{name} must be an absolute http or https URL"
        ))),
    }
}

/// Whose payment it is: a customer the sandbox should know, or a new one.
pub enum PayingCustomer {
    Known(String),
    New(Customer),
}

/// A payment without `customerId` creates its customer, as Voucherly does; an email is the
/// least that customer needs.
pub fn paying_customer(request: &CreatePaymentRequest) -> Result<PayingCustomer, ApiError> {
    if let Some(id) = &request.customer_id {
        return Ok(PayingCustomer::Known(id.clone()));
    }
    let text = |value: &Option<String>| value.as_deref().unwrap_or_default().trim().to_owned();
    let email = text(&request.customer_email);
    if !email.contains('@') {
        return Err(ApiError::BadRequest(
            "a payment without customerId needs a customerEmail to create the customer".into(),
        ));
    }
    Ok(PayingCustomer::New(Customer {
        id: uuid::Uuid::new_v4().to_string(),
        first_name: text(&request.customer_first_name),
        last_name: text(&request.customer_last_name),
        email,
    }))
}
