//! `v1/customers/{id}/wallet/movements` (openapi.yaml `list-customer-wallet-movement`: the
//! ledger newest first, `fromDate`/`toDate` inclusive UTC date-times, cursor pages) and
//! `v1/customers/{customerId}/prepaid?date=` (`retrieve-customer-prepaid-balance`: the daily
//! quota a customer's Company grants; the sandbox has no companies, so no customer has one).

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

use super::super::Sandbox;
use super::super::error::{ApiError, customer_not_found};
use super::super::store::{customers, wallet};
use super::{page_window, query_values};

/// A date-time as openapi.yaml's `format: date-time`, with or without an offset (none: UTC).
fn date_time(query: &str, name: &str) -> Result<Option<i64>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|error| ApiError::validation(name, format!("the query is not valid: {error}")))?;
    let Some((_, text)) = pairs.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)) else {
        return Ok(None);
    };
    let local = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let parsed = OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| PrimitiveDateTime::parse(text, local).map(PrimitiveDateTime::assume_utc))
        .map_err(|_| ApiError::validation(name, format!("{name} must be a UTC date-time")))?;
    Ok(Some(parsed.unix_timestamp()))
}

fn iso(at: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|at| at.format(&Rfc3339).ok())
}

/// `Customers.CustomerWalletMovement`.
fn movement(m: &wallet::Movement) -> Value {
    json!({
        "customerId": m.customer_id,
        "action": m.action,
        "transactionId": m.transaction_id,
        "amount": m.amount,
        "voucherAmount": m.voucher_amount,
        "cashAmount": m.cash_amount,
        "runningTotalAmount": m.running_amount,
        "runningTotalVoucherAmount": m.running_voucher_amount,
        "runningTotalCashAmount": m.running_cash_amount,
        "occurredAtUtc": iso(m.occurred_at),
    })
}

#[tracing::instrument(name = "sandbox: wallet movements", skip(sandbox, req))]
pub async fn movements(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query = req.query_string();
    let (start, length) = page_window(query, true)?;
    let (from, to) = (date_time(query, "fromDate")?, date_time(query, "toDate")?);
    let lookup = id.clone();
    let all = sandbox
        .db
        .run(move |conn| match customers::find(conn, &lookup)? {
            Some(_) => wallet::movements(conn, &lookup, from, to).map(Some),
            None => Ok(None),
        })
        .await?
        .ok_or_else(|| customer_not_found(&id))?;
    let end = start.saturating_add(length).min(all.len());
    let has_more = end < all.len();
    let items: Vec<Value> = all.iter().skip(start).take(length).map(movement).collect();
    Ok(HttpResponse::Ok().json(json!({
        "items": items,
        "pagination": {"hasMore": has_more, "nextStart": has_more.then(|| end.to_string())},
    })))
}

#[tracing::instrument(name = "sandbox: prepaid balance", skip(sandbox, req))]
pub async fn prepaid(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let date = query_values(req.query_string(), "date")?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::validation("date", "date is required"))?;
    let date = Date::parse(&date, format_description!("[year]-[month]-[day]"))
        .map_err(|_| ApiError::validation("date", "date must be YYYY-MM-DD"))?;
    let lookup = id.clone();
    sandbox
        .db
        .run(move |conn| customers::find(conn, &lookup))
        .await?
        .ok_or_else(|| customer_not_found(&id))?;
    let date = date
        .format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default();
    Ok(HttpResponse::Ok().json(json!({
        "paymentGatewayIsActive": false,
        "policy": null,
        "availableAmount": null,
        "usedAmount": 0,
        "date": date,
    })))
}
