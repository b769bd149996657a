//! `v1/customers/{customerId}/payment_methods`: list (paginated, the most recent first, as the
//! SDK's spec says) and delete (204, or 404: openapi.yaml `delete-customer-payment-method`) a
//! customer's saved methods.

use actix_web::{HttpRequest, HttpResponse, web};

use super::super::error::{ApiError, customer_not_found};
use super::super::store;
use super::super::wire::{Page, Pagination};
use super::super::{Dialect, Sandbox};
use super::query_values;

/// Where the page starts and how long it is. openapi.yaml's `PageSizeQueryParam` ("between 1
/// and 100, and the default is 10") and `PageStartQueryParam` (a string cursor, "the
/// `nextStart` value returned in a previous response"). The docs' spec declares neither on
/// this operation, yet answers a `pagination` cursor: the docs dialect honours `start` and keeps
/// the default length, whatever `length` says; the SDK's spec declares both. Other lists
/// (customers, wallet movements) declare both in either spec: they pass `honour_length`.
pub fn page_window(query: &str, honour_length: bool) -> Result<(usize, usize), ApiError> {
    let number = |name: &str, default: usize| -> Result<usize, ApiError> {
        match query_values(query, name)?.first() {
            None => Ok(default),
            Some(text) => text
                .parse()
                .map_err(|_| ApiError::validation(name, format!("{name} is not valid here"))),
        }
    };
    let length = match honour_length {
        false => PAGE_LENGTH,
        true => number("length", PAGE_LENGTH)?,
    };
    if !(1..=100).contains(&length) {
        return Err(ApiError::validation(
            "length",
            "length must be between 1 and 100",
        ));
    }
    // The cursor is the offset written as text: opaque to callers, who only echo it.
    Ok((number("start", 0)?, length))
}

/// The documented default page length.
const PAGE_LENGTH: usize = 10;

#[tracing::instrument(name = "sandbox: list payment methods", skip(sandbox, req))]
pub async fn methods(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    customer_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (start, length) = page_window(req.query_string(), matches!(sandbox.dialect, Dialect::Sdk))?;
    let customer_id = customer_id.into_inner();
    let lookup = customer_id.clone();
    let all = sandbox
        .db
        .run(move |conn| match store::customer(conn, &lookup)? {
            Some(customer) => store::methods(conn, &customer.id).map(Some),
            None => Ok(None),
        })
        .await?
        .ok_or_else(|| customer_not_found(&customer_id))?;
    let end = start.saturating_add(length).min(all.len());
    let has_more = end < all.len();
    let items = all.into_iter().skip(start).take(length).collect();
    Ok(HttpResponse::Ok().json(Page {
        items,
        pagination: Some(Pagination {
            has_more,
            next_start: has_more.then(|| end.to_string()),
        }),
    }))
}

/// Removes a saved method: 204 when done, 404 when the customer has no such method.
#[tracing::instrument(name = "sandbox: delete payment method", skip(sandbox))]
pub async fn delete_method(
    sandbox: web::Data<Sandbox>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (customer_id, id) = path.into_inner();
    let (customer, method) = (customer_id.clone(), id.clone());
    let deleted = sandbox
        .db
        .run(move |conn| store::delete_method(conn, &customer, &method))
        .await?;
    if !deleted {
        return Err(ApiError::NotFound(format!(
            "Entity \"PaymentMethod\" ({id}) of customer {customer_id} was not found."
        )));
    }
    tracing::info!(%customer_id, method_id = %id, "sandbox payment method deleted");
    Ok(HttpResponse::NoContent().finish())
}
