//! `POST /api/v1/orders` and `GET /api/v1/orders/{store_order_id}`: the store tells us what a
//! shopper owes, idempotently on its own order id, and reads back where the order stands.

mod capture;
mod explain;
mod request;
pub(super) mod response;

use actix_web::http::StatusCode;
use actix_web::http::header::{ALLOW, HeaderValue, LOCATION};
use actix_web::{HttpResponse, ResponseError, web};
use serde_json::Value;

use super::refunds::RefundListJson;
use super::{ApiError, StoreAuth};
use crate::app::orders::{CreateError, Created, Orders};
use crate::app::refunds::Refunds;
use response::OrderJson;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/orders")
            .route(web::post().to(create))
            .default_service(web::to(|| async { method_not_allowed("POST") })),
    )
    .service(
        web::resource("/orders/{store_order_id}")
            .route(web::get().to(read))
            .default_service(web::to(|| async { method_not_allowed("GET") })),
    )
    .service(
        web::resource("/orders/{store_order_id}/capture")
            .route(web::post().to(capture::capture))
            .default_service(web::to(|| async { method_not_allowed("POST") })),
    )
    .service(
        web::resource("/orders/{store_order_id}/release")
            .route(web::post().to(capture::release))
            .default_service(web::to(|| async { method_not_allowed("POST") })),
    )
    .service(
        web::resource("/authorisations")
            .route(web::get().to(capture::authorisations))
            .default_service(web::to(|| async { method_not_allowed("GET") })),
    );
}

/// A 405 in the store API's JSON, with the methods the resource has.
pub fn method_not_allowed(allow: &'static str) -> HttpResponse {
    let error = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("this endpoint only answers {allow}"),
    );
    let mut response = error.error_response();
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    response
}

#[tracing::instrument(skip_all, fields(store_order_id))]
async fn create(
    _: StoreAuth,
    orders: web::Data<Orders>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let valid = request::parse(body.into_inner())?;
    let store_order_id = valid.order.store_order_id().to_owned();
    tracing::Span::current().record("store_order_id", store_order_id.as_str());
    let (created, order) = match orders.create(valid.shopper, valid.order).await {
        Ok(done) => done,
        Err(CreateError::Conflict) => return Err(conflict(&store_order_id)),
        Err(CreateError::Unexpected(error)) => return Err(error.into()),
    };
    let status = match created {
        Created::New => StatusCode::CREATED,
        Created::Again => StatusCode::OK,
    };
    Ok(HttpResponse::build(status)
        .insert_header((LOCATION, order_path(&store_order_id)))
        .json(OrderJson::from_store(order)?))
}

#[tracing::instrument(skip_all, fields(store_order_id))]
async fn read(
    _: StoreAuth,
    orders: web::Data<Orders>,
    refunds: web::Data<Refunds>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let store_order_id = path.into_inner();
    tracing::Span::current().record("store_order_id", store_order_id.as_str());
    let order = orders
        .read(&store_order_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no order {store_order_id:?}")))?;
    let refunds = refunds.of_order(&store_order_id).await?.unwrap_or_default();
    let refunds = RefundListJson::new(&store_order_id, refunds)?;
    Ok(HttpResponse::Ok().json(OrderJson::from_store(order)?.with_refunds(refunds)))
}

fn conflict(store_order_id: &str) -> ApiError {
    ApiError::conflict(format!(
        "the store order id {store_order_id:?} is already used by a different order or by \
         another shopper; send the very same body to read it again, or use a new id"
    ))
}

/// `/api/v1/orders/{id}` with the id percent-encoded, as a `Location`.
fn order_path(store_order_id: &str) -> String {
    let mut path = String::from("/api/v1/orders/");
    for byte in store_order_id.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            path.push(char::from(byte));
        } else {
            path.push_str(&format!("%{byte:02X}"));
        }
    }
    path
}
