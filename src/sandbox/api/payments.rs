//! `v1/payments`: create (201), read (with `include=`), confirm, void and refund.
//!
//! Sources: openapi.yaml (`create-payment` 201, `retrieve-payment` `include`), the
//! `*-payment.StatusCodes.json` pages (400, 404, 409), `void-payment.api.mdx`; the money moves
//! themselves are in [`crate::sandbox::lifecycle`].

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use rusqlite::TransactionBehavior;

use super::super::error::{ApiError, parse_json, payment_not_found};
use super::super::lifecycle::{self, RefundRequest};
use super::super::store::payments::{State, StoredPayment};
use super::super::store::{self};
use super::super::wire::{NewPayment, Payment};
use super::super::{Sandbox, amounts, checkout, dialect};
use super::new_payment::{self, PayingCustomer};
use super::query_values;
use crate::storage;

fn content_type(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// Creates a payment in `Requested`: 201 with the Payment. Without `customerId` a customer is
/// created from the request's name and email; an unknown `customerId`,
/// `customerPaymentMethodId` or gateway is a 400 `RESOURCE_MISSING` naming it.
#[tracing::instrument(name = "sandbox: create payment", skip_all)]
pub async fn create(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let mut request: NewPayment = parse_json(content_type(&req), &body)?;
    dialect::check_new_payment(&request, sandbox.dialect, sandbox.strict)?;
    new_payment::check(&request, sandbox.public_url.as_deref())?;
    let priced = amounts::price(
        request.lines.as_deref().unwrap_or_default(),
        request.discounts.as_deref().unwrap_or_default(),
    )?;
    let paying = new_payment::paying_customer(&request)?;
    let id = format!("pay_{}", uuid::Uuid::new_v4().simple());
    let checkout_url = format!("{}/sandbox/checkout/{id}", sandbox.base_url(&req));
    let mut payment = new_payment::requested(&request, priced, id, checkout_url);
    let token = checkout::new_token()?;
    let open_for = request
        .timeout
        .map_or(sandbox.timings.checkout.as_secs(), |seconds| {
            seconds.unsigned_abs()
        });
    let state = State {
        checkout_deadline: Some(
            storage::now().saturating_add(i64::try_from(open_for).unwrap_or(i64::MAX)),
        ),
        ..Default::default()
    };
    let payment = sandbox
        .db
        .run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let gateways = store::gateways(&tx)?;
            // Gateway ids are matched ignoring case: the RequestSchema's own examples write
            // them in capitals (`"selectedPaymentGatewayId": "SATISPAY"`), the sandbox's are
            // lower case; the payment then carries the sandbox's spelling.
            let canonical = |id: &mut String| match gateways
                .iter()
                .find(|g| g.is_active && g.id.eq_ignore_ascii_case(id))
            {
                Some(gateway) => {
                    id.clone_from(&gateway.id);
                    Ok(())
                }
                None => Err(ApiError::missing("PaymentGateway", id)),
            };
            let wanted = request.payment_gateways.iter_mut().flatten();
            let selected = payment.selected_payment_gateway.iter_mut();
            if let Err(unknown) = wanted.chain(selected).try_for_each(canonical) {
                return Ok(Err(unknown));
            }
            payment
                .payment_gateways
                .clone_from(&request.payment_gateways);
            let customer = match paying {
                PayingCustomer::New(customer) => {
                    store::insert_customer(&tx, &customer)?;
                    customer
                }
                PayingCustomer::Known(id) => match store::customer(&tx, &id)? {
                    Some(customer) => customer,
                    None => return Ok(Err(ApiError::missing("CustomerId", &id))),
                },
            };
            if let Some(method_id) = &request.customer_payment_method_id {
                let methods = store::methods(&tx, &customer.id)?;
                if !methods.iter().any(|method| &method.id == method_id) {
                    return Ok(Err(ApiError::missing("CustomerPaymentMethodId", method_id)));
                }
            }
            let payment = Payment {
                customer_id: Some(customer.id),
                customer_first_name: Some(customer.first_name),
                customer_last_name: Some(customer.last_name),
                customer_email: Some(customer.email),
                ..payment
            };
            let stored = StoredPayment {
                payment,
                request,
                token,
                state,
            };
            store::payments::insert(&tx, &stored)?;
            tx.commit()?;
            Ok(Ok(stored.payment))
        })
        .await??;
    tracing::info!(payment_id = %payment.id, "sandbox payment created");
    Ok(HttpResponse::Created().json(payment))
}

/// Reads a payment. `lines`, `discounts` and `transactions` are left out unless included. With
/// `Voucherly-Wait-Time: <seconds>` the call hangs until the payment's status changes or the
/// time is up (openapi.yaml `retrieve-payment`: "Maximum value is 60 seconds").
#[tracing::instrument(name = "sandbox: read payment", skip(sandbox, req))]
pub async fn read(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let includes = query_values(req.query_string(), "include")?;
    // openapi.yaml: `include` is an enum of Lines, Discounts, Transactions.
    if let Some(unknown) = includes
        .iter()
        .find(|include| !["lines", "discounts", "transactions"].contains(&include.as_str()))
    {
        return Err(ApiError::validation(
            "include",
            format!("include can be Lines, Discounts or Transactions, not {unknown}"),
        ));
    }
    let wanted = |name: &str| includes.iter().any(|include| include == name);
    let wait = wait_time(&req)?;
    let id = id.into_inner();
    let deadline = tokio::time::Instant::now() + wait;
    let mut first = None;
    let stored = loop {
        let lookup = id.clone();
        let stored = sandbox
            .db
            .run(move |conn| store::payments::current(conn, &lookup))
            .await?
            .ok_or_else(|| payment_not_found(&id))?;
        let initial = *first.get_or_insert(stored.status());
        if stored.status() != initial || tokio::time::Instant::now() >= deadline {
            break stored;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let mut payment = stored.payment;
    if !wanted("lines") {
        payment.lines = None;
    }
    if !wanted("discounts") {
        payment.discounts = None;
    }
    if !wanted("transactions") {
        payment.transactions = None;
    }
    Ok(HttpResponse::Ok().json(payment))
}

fn wait_time(req: &HttpRequest) -> Result<std::time::Duration, ApiError> {
    let Some(value) = req.headers().get("Voucherly-Wait-Time") else {
        return Ok(std::time::Duration::ZERO);
    };
    match value
        .to_str()
        .ok()
        .and_then(|text| text.trim().parse::<u64>().ok())
    {
        Some(seconds) if seconds <= 60 => Ok(std::time::Duration::from_secs(seconds)),
        _ => Err(ApiError::validation(
            "Voucherly-Wait-Time",
            "Voucherly-Wait-Time is a number of seconds, at most 60",
        )),
    }
}

/// A confirm or void body: empty, `{}`, or `[]` (the PHP SDK's `json_encode([])`). The other
/// ways to confirm (`transactions`, `lines`, `finalAmount`) are not emulated, and say so.
fn no_options(req: &HttpRequest, body: &[u8], operation: &str) -> Result<(), ApiError> {
    let value: serde_json::Value = match body.is_empty() {
        true => {
            parse_json::<serde_json::Value>(content_type(req), b"{}")?;
            return Ok(());
        }
        false => parse_json(content_type(req), body)?,
    };
    let empty = match &value {
        serde_json::Value::Object(map) => map.is_empty(),
        serde_json::Value::Array(items) => items.is_empty(),
        _ => false,
    };
    match empty {
        true => Ok(()),
        false => Err(ApiError::validation(
            "body",
            format!("the embedded sandbox {operation}s whole payments only: send {{}}"),
        )),
    }
}

#[tracing::instrument(name = "sandbox: confirm payment", skip(sandbox, req, body))]
pub async fn confirm(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    no_options(&req, &body, "confirm")?;
    change(&sandbox, id.into_inner(), lifecycle::confirm).await
}

#[tracing::instrument(name = "sandbox: void payment", skip(sandbox, req, body))]
pub async fn void(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    no_options(&req, &body, "void")?;
    change(&sandbox, id.into_inner(), lifecycle::void).await
}

/// Refunds: `{}` (or an empty body, or `{"transactions": null}`) gives everything back. Wallet
/// credit is asked with `asCredit` (docs) or `refundMode` (SDK): both are read unless strict.
#[tracing::instrument(name = "sandbox: refund payment", skip(sandbox, req, body))]
pub async fn refund(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let body: &[u8] = if body.is_empty() { b"{}" } else { &body };
    let request: RefundRequest = parse_json(content_type(&req), body)?;
    if sandbox.strict && request.uses_foreign_field(sandbox.dialect) {
        let field = sandbox.dialect.foreign_refund_field();
        return Err(ApiError::validation(
            field,
            format!("{field} is not in this refund schema (the sandbox is strict)"),
        ));
    }
    change(&sandbox, id.into_inner(), move |stored| {
        lifecycle::refund(stored, &request)
    })
    .await
}

async fn change(
    sandbox: &Sandbox,
    id: String,
    change: impl FnOnce(&mut StoredPayment) -> Result<(), ApiError> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    let lookup = id.clone();
    let (stored, ()) = sandbox
        .db
        .run(move |conn| store::payments::update(conn, &lookup, |_, stored| Ok(change(stored))))
        .await?
        .ok_or_else(|| payment_not_found(&id))??;
    tracing::info!(payment_id = %stored.payment.id, status = %stored.status(), "sandbox payment changed");
    Ok(HttpResponse::Ok().json(stored.payment))
}
