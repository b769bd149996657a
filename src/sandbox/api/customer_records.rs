//! `v1/customers`: list (an exact `email` filter, cursor pages), create (`201`; with
//! `options.requireUniqueEmail` a second customer with the same email is refused), read
//! (`include=Wallet` adds the wallet's balance) and update (`POST`, any subset of the fields).
//! openapi.yaml `list-customer`, `create-customer`, `retrieve-customer`, `update-customer`,
//! schemas `CreateCustomerRequest`, `UpdateCustomerRequest`, `Customer`; the error code for an
//! email already taken is not documented: the sandbox answers `400 VALIDATION_ERROR` on `Email`.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::super::error::{ApiError, customer_not_found, parse_json};
use super::super::store::customers::{self, Changes, CustomerRecord};
use super::super::store::{Customer, wallet};
use super::super::{Sandbox, callback::MERCHANT_ID};
use super::new_payment::TENANT;
use super::{page_window, query_values};

/// `CreateCustomerRequest`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct NewCustomer {
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    phone_number: Option<String>,
    company_id: Option<String>,
    metadata: Option<BTreeMap<String, String>>,
    options: Option<CreateOptions>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct CreateOptions {
    require_unique_email: bool,
}

/// `UpdateCustomerRequest`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct CustomerUpdate {
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    phone_number: Option<String>,
    metadata: Option<BTreeMap<String, String>>,
}

/// The `Customer` schema; `wallet` only when asked for.
fn answer(record: &CustomerRecord, wallet: Option<wallet::Totals>) -> Value {
    let iso = |at: i64| {
        OffsetDateTime::from_unix_timestamp(at)
            .ok()
            .and_then(|at| at.format(&Rfc3339).ok())
    };
    let customer = &record.customer;
    let mut body = json!({
        "id": customer.id,
        "merchantId": MERCHANT_ID,
        "tenant": TENANT,
        "created": iso(record.created_at),
        "email": customer.email,
        "firstName": customer.first_name,
        "lastName": customer.last_name,
        "phoneNumber": record.phone_number,
        "referenceId": null,
        "companyId": null,
        "metadata": record.metadata,
    });
    if let Some(totals) = wallet {
        body["wallet"] = json!({
            "totalAmount": totals.amount,
            "totalVoucherAmount": totals.voucher_amount,
            "totalCashAmount": totals.cash_amount,
            "lastUpdatedOnUtc": totals.last_moved_at.and_then(iso),
        });
    }
    body
}

fn content_type(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// openapi.yaml `MetadataRequest`: at most 10 pairs, keys up to 40 and values up to 400 characters.
fn check_metadata(metadata: Option<&BTreeMap<String, String>>) -> Result<(), ApiError> {
    let Some(metadata) = metadata else {
        return Ok(());
    };
    if metadata.len() > 10
        || metadata
            .iter()
            .any(|(key, value)| key.chars().count() > 40 || value.chars().count() > 400)
    {
        return Err(ApiError::validation(
            "Metadata",
            "metadata takes at most 10 pairs, keys up to 40 and values up to 400 characters",
        ));
    }
    Ok(())
}

fn check_email(email: Option<&str>) -> Result<(), ApiError> {
    match email {
        Some(email) if !email.contains('@') => Err(ApiError::validation(
            "Email",
            "email is not an email address",
        )),
        _ => Ok(()),
    }
}

#[tracing::instrument(name = "sandbox: list customers", skip_all)]
pub async fn list(sandbox: web::Data<Sandbox>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let (start, length) = page_window(req.query_string(), true)?;
    let email = query_values(req.query_string(), "email")?
        .into_iter()
        .next();
    let all = sandbox
        .db
        .run(move |conn| customers::list(conn, email.as_deref()))
        .await?;
    let end = start.saturating_add(length).min(all.len());
    let has_more = end < all.len();
    let items: Vec<Value> = all
        .iter()
        .skip(start)
        .take(length)
        .map(|record| answer(record, None))
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "items": items,
        "pagination": {"hasMore": has_more, "nextStart": has_more.then(|| end.to_string())},
    })))
}

#[tracing::instrument(name = "sandbox: create customer", skip_all)]
pub async fn create(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let request: NewCustomer = parse_json(content_type(&req), &body)?;
    check_email(request.email.as_deref())?;
    check_metadata(request.metadata.as_ref())?;
    if let Some(company) = &request.company_id {
        // The sandbox has no companies.
        return Err(ApiError::missing("CompanyId", company));
    }
    let text = |value: &Option<String>| value.as_deref().unwrap_or_default().trim().to_owned();
    let mut record = customers::new_record(Customer {
        id: format!("cs_{}", uuid::Uuid::new_v4().simple()),
        first_name: text(&request.first_name),
        last_name: text(&request.last_name),
        email: text(&request.email),
    });
    record.phone_number = request.phone_number;
    record.metadata = request.metadata.unwrap_or_default();
    let unique = request.options.is_some_and(|o| o.require_unique_email);
    let created = sandbox
        .db
        .run(move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let email = &record.customer.email;
            if unique && !email.is_empty() && !customers::list(&tx, Some(email))?.is_empty() {
                return Ok(Err(ApiError::validation(
                    "Email",
                    "a customer with this email already exists",
                )));
            }
            customers::insert(&tx, &record)?;
            tx.commit()?;
            Ok(Ok(record))
        })
        .await??;
    tracing::info!(customer_id = %created.customer.id, "sandbox customer created");
    Ok(HttpResponse::Created().json(answer(&created, None)))
}

#[tracing::instrument(name = "sandbox: read customer", skip(sandbox, req))]
pub async fn read(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let includes = query_values(req.query_string(), "include")?;
    if let Some(unknown) = includes.iter().find(|include| *include != "wallet") {
        return Err(ApiError::validation(
            "include",
            format!("include can be Wallet, not {unknown}"),
        ));
    }
    let with_wallet = !includes.is_empty();
    let lookup = id.clone();
    let found = sandbox
        .db
        .run(move |conn| {
            let Some(record) = customers::find(conn, &lookup)? else {
                return Ok(None);
            };
            let totals = with_wallet
                .then(|| wallet::totals(conn, &lookup))
                .transpose()?;
            Ok(Some((record, totals)))
        })
        .await?;
    let (record, totals) = found.ok_or_else(|| customer_not_found(&id))?;
    Ok(HttpResponse::Ok().json(answer(&record, totals)))
}

#[tracing::instrument(name = "sandbox: update customer", skip(sandbox, req, body))]
pub async fn update(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let request: CustomerUpdate = parse_json(content_type(&req), &body)?;
    check_email(request.email.as_deref())?;
    check_metadata(request.metadata.as_ref())?;
    let trimmed = |value: Option<String>| value.map(|text| text.trim().to_owned());
    let changes = Changes {
        email: trimmed(request.email),
        first_name: trimmed(request.first_name),
        last_name: trimmed(request.last_name),
        phone_number: request.phone_number,
        metadata: request.metadata,
    };
    let lookup = id.clone();
    let updated = sandbox
        .db
        .run(move |conn| {
            if !customers::update(conn, &lookup, changes)? {
                return Ok(None);
            }
            customers::find(conn, &lookup)
        })
        .await?
        .ok_or_else(|| customer_not_found(&id))?;
    tracing::info!(customer_id = %id, "sandbox customer updated");
    Ok(HttpResponse::Ok().json(answer(&updated, None)))
}
