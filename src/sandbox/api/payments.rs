//! `v1/payments`: create, read (with `include=`), confirm and refund.

use actix_web::{HttpRequest, HttpResponse, web};
use anyhow::anyhow;
use rusqlite::TransactionBehavior;

use super::super::error::{ApiError, customer_not_found, parse_json, payment_not_found};
use super::super::store::{self, payments::StoredPayment};
use super::super::{Sandbox, amounts, checkout};
use super::includes;
use super::new_payment::{self, PayingCustomer};
use crate::voucherly::types::{CreatePaymentRequest, Payment, PaymentStatus};

/// Creates a payment in `Requested`. Without `customerId` a customer is created from the
/// request's name and email; an unknown `customerId` answers 404, as for any unknown id, and a
/// `customerPaymentMethodId` that is not one of the customer's methods answers 400.
#[tracing::instrument(name = "sandbox: create payment", skip_all)]
pub async fn create(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let request: CreatePaymentRequest = parse_json(&body)?;
    let priced =
        amounts::price(&request.lines, &request.discounts).map_err(ApiError::BadRequest)?;
    new_payment::check_urls(&request)?;
    let paying = new_payment::paying_customer(&request)?;
    let id = uuid::Uuid::new_v4().to_string();
    let checkout_url = match &sandbox.public_url {
        Some(public_url) => format!("{public_url}/sandbox/checkout/{id}"),
        None => req
            .url_for(checkout::ROUTE_NAME, [&id])
            .map_err(|error| anyhow!("could not build the checkout URL: {error}"))?
            .to_string(),
    };
    let payment = new_payment::requested(&request, priced, id, checkout_url);
    let token = checkout::new_token()?;
    let payment = sandbox
        .db
        .run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let customer = match paying {
                PayingCustomer::New(customer) => {
                    store::insert_customer(&tx, &customer)?;
                    customer
                }
                PayingCustomer::Known(id) => match store::customer(&tx, &id)? {
                    Some(customer) => customer,
                    None => return Ok(Err(customer_not_found(&id))),
                },
            };
            if let Some(method_id) = &request.customer_payment_method_id {
                let methods = store::methods(&tx, &customer.id)?;
                if !methods.iter().any(|method| &method.id == method_id) {
                    return Ok(Err(ApiError::BadRequest(format!(
                        "customerPaymentMethodId {method_id} is not a method of customer {}",
                        customer.id
                    ))));
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
            };
            store::payments::insert(&tx, &stored)?;
            tx.commit()?;
            Ok(Ok(stored.payment))
        })
        .await??;
    tracing::info!(payment_id = %payment.id, "sandbox payment created");
    Ok(HttpResponse::Ok().json(payment))
}

/// Reads a payment. `lines`, `discounts` and `transactions` are left out unless included.
#[tracing::instrument(name = "sandbox: read payment", skip(sandbox, req))]
pub async fn read(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let includes = includes(req.query_string())?;
    let wanted = |name: &str| includes.iter().any(|include| include == name);
    let id = id.into_inner();
    let lookup = id.clone();
    let stored = sandbox
        .db
        .run(move |conn| store::payments::load(conn, &lookup))
        .await?
        .ok_or_else(|| payment_not_found(&id))?;
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

/// Captures a paid payment: `Paid` → `Confirmed`. Confirming twice changes nothing.
#[tracing::instrument(name = "sandbox: confirm payment", skip(sandbox, body))]
pub async fn confirm(
    sandbox: web::Data<Sandbox>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if !body.is_empty() {
        parse_json::<serde_json::Value>(&body)?;
    }
    change_status(&sandbox, id.into_inner(), |payment| {
        match payment.status.as_ref() {
            Some(PaymentStatus::Paid) => {}
            Some(PaymentStatus::Confirmed) => return Ok(()),
            other => return Err(refused("confirmed", other)),
        }
        payment.status = Some(PaymentStatus::Confirmed);
        for transaction in payment.transactions.iter_mut().flatten() {
            transaction.confirmed_amount = transaction.amount;
            transaction.status = Some("Confirmed".into());
        }
        Ok(())
    })
    .await
}

/// Refunds a paid or confirmed payment in full (`{"transactions": null}` or any list).
#[tracing::instrument(name = "sandbox: refund payment", skip(sandbox, body))]
pub async fn refund(
    sandbox: web::Data<Sandbox>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if !body.is_empty() {
        parse_json::<serde_json::Value>(&body)?;
    }
    change_status(&sandbox, id.into_inner(), |payment| {
        match payment.status.as_ref() {
            Some(PaymentStatus::Paid | PaymentStatus::Confirmed) => {}
            other => return Err(refused("refunded", other)),
        }
        payment.status = Some(PaymentStatus::Refunded);
        for transaction in payment.transactions.iter_mut().flatten() {
            transaction.refunded_amount = transaction.amount;
            transaction.status = Some("Refunded".into());
        }
        Ok(())
    })
    .await
}

async fn change_status(
    sandbox: &Sandbox,
    id: String,
    change: impl FnOnce(&mut Payment) -> Result<(), ApiError> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    let lookup = id.clone();
    let stored = sandbox
        .db
        .run(move |conn| {
            store::payments::update(conn, &lookup, |_, stored| Ok(change(&mut stored.payment)))
        })
        .await?
        .ok_or_else(|| payment_not_found(&id))??;
    Ok(HttpResponse::Ok().json(stored.payment))
}

fn refused(action: &str, status: Option<&PaymentStatus>) -> ApiError {
    let status = status.map_or("unknown", PaymentStatus::as_str);
    ApiError::Conflict(format!("a payment in status {status} cannot be {action}"))
}
