//! `POST /api/v1/orders` and `GET /api/v1/orders/{store_order_id}`: the store tells us what a
//! shopper owes, idempotently on its own order id, and reads back where the order stands.

pub(super) mod capture;
mod explain;
pub(super) mod request;
pub(super) mod response;

use actix_web::http::StatusCode;
use actix_web::http::header::{ALLOW, HeaderValue, LOCATION};
use actix_web::{HttpResponse, ResponseError, web};
use serde_json::Value;

use super::openapi::{
    Conflict, InvalidRequest, NotFound, PayloadTooLarge, TooManyRequests, Unauthorized,
    UnsupportedMediaType,
};
use super::refunds::RefundListJson;
use super::{ApiError, StoreAuth};
use crate::app::orders::{CreateError, Created, Orders};
use request::OrderBody;
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

/// Create an order awaiting payment
///
/// Creates (or updates) the shopper, then the order. Idempotent on `store_order_id`: the same
/// body again answers 200 with the same order; a different body, or the id used by another
/// shopper, answers 409. Unknown fields are refused. An order must come to more than zero after
/// its discounts and to at most 99999999 cents: a zero-total order is a 400 (`discounts: the
/// order must come to more than zero after its discounts`).
///
/// The body is read as JSON first and then as an [`OrderBody`], so that a refusal can name the
/// field at fault (`lines[0].quantity: …`); the document describes that same type.
#[utoipa::path(
    post,
    path = "/api/v1/orders",
    tag = "orders",
    operation_id = "createOrder",
    request_body(content = OrderBody, example = json!({
        "store_order_id": "A-1001",
        "shopper": {
            "store_user_id": "user-42",
            "email": "anna.neri@example.com",
            "first_name": "Anna",
            "last_name": "Neri",
            "language": "it"
        },
        "lines": [{
            "product_id": "pizza-margherita",
            "product_name": "Pizza margherita",
            "product_image": "https://shop.example/img/margherita.jpg",
            "quantity": 2,
            "unit_amount": 750,
            "tax_rate": 10,
            "is_food": true
        }],
        "discounts": [{"name": "Welcome", "description": "First order", "amount": 200}],
        "currency": "EUR"
    })),
    responses(
        (status = 201, description = "Created.", body = OrderJson, headers(
            ("Location" = String, description = "`/api/v1/orders/{store_order_id}`")
        )),
        (status = 200, description = "The same order was already created by the same body.",
            body = OrderJson),
        (status = 400, response = InvalidRequest),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
#[tracing::instrument(skip_all, fields(store_order_id))]
pub(super) async fn create(
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

/// Read an order
#[utoipa::path(
    get,
    path = "/api/v1/orders/{store_order_id}",
    tag = "orders",
    operation_id = "getOrder",
    params(("store_order_id" = String, Path, description = "Percent-encoded.", example = "A-1001")),
    responses(
        (status = 200, description = "The order.", body = OrderJson),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
        (status = 404, response = NotFound),
    )
)]
pub(super) async fn read(
    _: StoreAuth,
    orders: web::Data<Orders>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let store_order_id = path.into_inner();
    // The store's most frequent call opens no span of its own (one cost a tenth of it): the
    // order's id goes on the request's span.
    tracing::Span::current().record("store_order_id", store_order_id.as_str());
    let found = orders
        .read_with_refunds(&store_order_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no order {store_order_id:?}")))?;
    let refunds = RefundListJson::new(&store_order_id, found.refunds)?;
    Ok(HttpResponse::Ok().json(OrderJson::from_store(found.order)?.with_refunds(refunds)))
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
