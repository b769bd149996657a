//! `GET /api/v1/payments`: the store's payments as we recorded them, for its accounting, oldest
//! first, a page at a time: as JSON, or as CSV for an accountant (`Accept: text/csv` or
//! `?format=csv`).

mod csv;
mod json;
pub(super) mod utc;

use actix_web::http::header::{ACCEPT, HeaderValue, LINK};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::openapi::{InvalidRequest, TooManyRequests, Unauthorized};
use super::orders::method_not_allowed;
use super::{ApiError, StoreAuth};
use crate::app::ledger::{Ledger, Page};
use crate::domain::ledger::{DEFAULT_LIMIT, MAX_LIMIT, PaymentFilter, Position};
use crate::domain::{LocalStatus, StoreUserId};

pub use json::{PaymentJson, PaymentList};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/payments")
            .route(web::get().to(list))
            .default_service(web::to(|| async { method_not_allowed("GET") })),
    );
}

/// The list's query parameters, all optional.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Payments created at or after this instant (RFC 3339) or UTC date (`2026-12-03`: from the
    /// start of that day). A date that does not exist is a 400.
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$",
        example = "2025-03-01"
    )]
    pub from: Option<String>,
    /// Payments created before this instant, or up to the end of this UTC date. Not before
    /// `from` (a 400).
    #[param(
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$",
        example = "2025-03-31"
    )]
    pub to: Option<String>,
    /// Only payments in this status.
    #[param(
        pattern = r"^(creating|create_failed|requested|failed|abandoned|authorised|paid|refunded)$",
        example = "paid"
    )]
    pub status: Option<String>,
    /// Only the payments of this shopper (the store's own user id).
    #[param(pattern = r"^[!-~]{1,128}$", example = "user-42")]
    pub store_user_id: Option<String>,
    /// Rows on a page: 1 to 500, 100 when not given.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, example = 100)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page, as it came (any other is a 400).
    #[param(pattern = r"^[0-9a-f]+$")]
    pub cursor: Option<String>,
    /// `json` (the default) or `csv`; without it, `Accept: text/csv` asks for CSV.
    #[param(pattern = r"^(json|csv)$", example = "json")]
    pub format: Option<String>,
}

/// List payments
///
/// Every payment attempt recorded, oldest first, filtered and paged for the store's accounting:
/// the order, Voucherly's payment id, the status, and the amounts Voucherly reported when we last
/// read the payment (by method: meal vouchers, card, wallet, cash; captured; refunded), in cents.
/// Voucherly reports no fees. Send `next_cursor` back as `cursor` for the next page. As CSV for
/// an accountant with `format=csv` or `Accept: text/csv` (amounts in euros, the next page in the
/// `Link` header).
#[utoipa::path(
    get,
    path = "/api/v1/payments",
    tag = "reconciliation",
    operation_id = "listPayments",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of payments.", content(
            (PaymentList = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, response = InvalidRequest),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
    )
)]
#[tracing::instrument(skip_all)]
pub(super) async fn list(
    _: StoreAuth,
    req: HttpRequest,
    ledger: web::Data<Ledger>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let as_csv = wants_csv(&req, query.format.as_deref())?;
    let page = ledger.list(filter(query)?).await?;
    if as_csv {
        let mut response = csv::response(&page.entries)?;
        if let Some(next) = page.next {
            let link = next_link(&req, next);
            if let Ok(value) = HeaderValue::from_str(&link) {
                response.headers_mut().insert(LINK, value);
            }
        }
        return Ok(response);
    }
    Ok(HttpResponse::Ok().json(PaymentList::of(page)?))
}

/// Whether the answer is CSV: `format` says, else the `Accept` header.
fn wants_csv(req: &HttpRequest, format: Option<&str>) -> Result<bool, ApiError> {
    match format {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(ApiError::invalid(format!(
            "format must be json or csv, not {other:?}"
        ))),
        None => Ok(req
            .headers()
            .get(ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/csv"))),
    }
}

/// The filter `query` asks for, or a 400 saying what is expected.
fn filter(query: ListQuery) -> Result<PaymentFilter, ApiError> {
    let from = query
        .from
        .as_deref()
        .map(|text| utc::instant("from", text, false))
        .transpose()?;
    let to = query
        .to
        .as_deref()
        .map(|text| utc::instant("to", text, true))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(ApiError::invalid("from must not be after to"));
    }
    let status = query
        .status
        .as_deref()
        .map(|text| {
            LocalStatus::parse(text).ok_or_else(|| {
                ApiError::invalid(format!(
                    "status must be one of creating, create_failed, requested, failed, \
                     abandoned, authorised, paid, refunded; not {text:?}"
                ))
            })
        })
        .transpose()?;
    let store_user_id = query
        .store_user_id
        .as_deref()
        .map(|text| {
            StoreUserId::parse(text)
                .map(|id| id.as_str().to_owned())
                .map_err(|problem| ApiError::invalid(format!("store_user_id: {problem}")))
        })
        .transpose()?;
    Ok(PaymentFilter {
        from,
        to,
        status,
        store_user_id,
        environment: None,
        after: cursor(query.cursor.as_deref())?,
        limit: limit(query.limit.as_deref())?,
    })
}

/// `limit`, 1 to [`MAX_LIMIT`], [`DEFAULT_LIMIT`] when not given.
pub(super) fn limit(text: Option<&str>) -> Result<i64, ApiError> {
    let Some(text) = text else {
        return Ok(DEFAULT_LIMIT);
    };
    text.parse()
        .ok()
        .filter(|limit| (1..=MAX_LIMIT).contains(limit))
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "limit must be a whole number from 1 to {MAX_LIMIT}, not {text:?}"
            ))
        })
}

/// The position a `cursor` of ours names.
pub(super) fn cursor(text: Option<&str>) -> Result<Option<Position>, ApiError> {
    text.map(|text| {
        Position::from_cursor(text).ok_or_else(|| {
            ApiError::invalid(
                "cursor is not one of ours: send the next_cursor of the previous page as it came",
            )
        })
    })
    .transpose()
}

/// The next page's address, as an RFC 8288 `Link` (the CSV has no room for a cursor).
fn next_link(req: &HttpRequest, next: Position) -> String {
    let mut pairs: Vec<&str> = req
        .query_string()
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("cursor="))
        .collect();
    let cursor = format!("cursor={}", next.to_cursor());
    pairs.push(&cursor);
    format!("<{}?{}>; rel=\"next\"", req.path(), pairs.join("&"))
}

impl PaymentList {
    fn of(page: Page) -> anyhow::Result<Self> {
        Ok(Self {
            items: page
                .entries
                .iter()
                .map(PaymentJson::of)
                .collect::<anyhow::Result<_>>()?,
            next_cursor: page.next.map(Position::to_cursor),
        })
    }
}
