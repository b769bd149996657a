//! `POST /api/v1/orders/{store_order_id}/refunds`, and `GET` of an order's refunds or of one:
//! the store gives back all or part of a paid order, by amount or by lines, to the methods
//! that paid or to the shopper's Voucherly wallet, idempotently on its own refund id. The
//! refund is recorded before Voucherly is called; when Voucherly cannot make it at once it is
//! answered `pending` (202) and made by the refund worker.

mod body;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::object::JsonObject;
use super::openapi::{
    InvalidRequest, NotFound, PayloadTooLarge, TooManyRequests, Unauthorized, UnsupportedMediaType,
};
use super::orders::method_not_allowed;
use super::{ApiError, ErrorJson, StoreAuth};
use crate::app::refunds::{Asked, RefundError, Refunds};
use crate::domain::refund::{NotRefundable, RefundStatus};

pub use body::{RefundJson, RefundListJson, RefundRequest};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/orders/{store_order_id}/refunds")
            .route(web::post().to(create))
            .route(web::get().to(list))
            .default_service(web::to(|| async { method_not_allowed("GET, POST") })),
    )
    .service(
        web::resource("/orders/{store_order_id}/refunds/{refund_id}")
            .route(web::get().to(read))
            .default_service(web::to(|| async { method_not_allowed("GET") })),
    );
}

/// Refund an order
///
/// Gives back all or part of a paid (captured) order: an `amount`, some `lines`, or (neither)
/// everything still refundable; to the methods that paid (`original_methods`) or as credit to
/// the shopper's Voucherly wallet (`wallet`). Idempotent on `refund_id`: the same id with the
/// same body answers the same refund (200), with another body a 409. The refund is recorded
/// before Voucherly is called: `refunded` (201) when Voucherly made it at once, `pending` (202)
/// when it could not (it is retried until made, never twice). Never more than was captured less
/// what was refunded: a 422 names the maximum. `order.partially_refunded` or `order.refunded`
/// follows; `manual_refund_needed` (and `order.manual_refund_needed`) when Voucherly cannot
/// refund a meal voucher. Sending `amount` and `lines` together is a 400, and so is a line the
/// order does not have or more of its units than are left to refund.
#[utoipa::path(
    post,
    path = "/api/v1/orders/{store_order_id}/refunds",
    tag = "refunds",
    operation_id = "createRefund",
    params(("store_order_id" = String, Path, description = "Percent-encoded.", example = "A-1001")),
    request_body(content = RefundRequest, example = json!({"refund_id": "R-1", "amount": 500, "reason": "one pizza was cold"})),
    responses(
        (status = 201, description = "Made by Voucherly.", body = RefundJson),
        (status = 202, description = "Recorded; Voucherly could not make it yet: it is retried.", body = RefundJson),
        (status = 200, description = "This refund id was sent before with this body: the refund as it stands.", body = RefundJson),
        (status = 400, response = InvalidRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 409, description = "The refund id is used by a different refund (`conflict`), the order is not paid (`order_not_paid`) or only authorised (`order_not_captured`: release or capture it).", body = ErrorJson),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 422, description = "More than can still be refunded (`amount_too_large`); the message names the maximum.", body = ErrorJson),
        (status = 429, response = TooManyRequests),
    ),
    extensions(("x-example-status" = json!(409)))
)]
#[tracing::instrument(skip_all, fields(store_order_id, refund_id))]
pub(super) async fn create(
    _: StoreAuth,
    refunds: web::Data<Refunds>,
    path: web::Path<String>,
    body: web::Json<JsonObject<RefundRequest>>,
) -> Result<HttpResponse, ApiError> {
    let store_order_id = path.into_inner();
    let web::Json(JsonObject(body)) = body;
    let ask = body.parse()?;
    let span = tracing::Span::current();
    span.record("store_order_id", store_order_id.as_str());
    span.record("refund_id", ask.store_refund_id.as_str());
    let refund_id = ask.store_refund_id.clone();
    let asked = refunds
        .refund(&store_order_id, ask)
        .await
        .map_err(|error| refused(error, &store_order_id, &refund_id))?;
    let (status, refund) = match asked {
        Asked::New(refund) if refund.status == RefundStatus::Pending => {
            (StatusCode::ACCEPTED, refund)
        }
        Asked::New(refund) => (StatusCode::CREATED, refund),
        Asked::Again(refund) => (StatusCode::OK, refund),
    };
    Ok(HttpResponse::build(status).json(RefundJson::new(&store_order_id, refund)?))
}

/// List an order's refunds
///
/// Oldest first, with the total given back so far.
#[utoipa::path(
    get,
    path = "/api/v1/orders/{store_order_id}/refunds",
    tag = "refunds",
    operation_id = "listRefunds",
    params(("store_order_id" = String, Path, description = "Percent-encoded.", example = "A-1001")),
    responses(
        (status = 200, description = "The order's refunds.", body = RefundListJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
    )
)]
#[tracing::instrument(skip_all, fields(store_order_id))]
pub(super) async fn list(
    _: StoreAuth,
    refunds: web::Data<Refunds>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let store_order_id = path.into_inner();
    tracing::Span::current().record("store_order_id", store_order_id.as_str());
    let found = refunds
        .of_order(&store_order_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no order {store_order_id:?}")))?;
    Ok(HttpResponse::Ok().json(RefundListJson::new(&store_order_id, found)?))
}

/// Read a refund
#[utoipa::path(
    get,
    path = "/api/v1/orders/{store_order_id}/refunds/{refund_id}",
    tag = "refunds",
    operation_id = "getRefund",
    params(
        ("store_order_id" = String, Path, description = "Percent-encoded.", example = "A-1001"),
        ("refund_id" = String, Path, description = "The store's refund id, percent-encoded.", example = "R-1"),
    ),
    responses(
        (status = 200, description = "The refund.", body = RefundJson),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
    ),
    extensions(("x-example-status" = json!(404)))
)]
#[tracing::instrument(skip_all, fields(store_order_id, refund_id))]
pub(super) async fn read(
    _: StoreAuth,
    refunds: web::Data<Refunds>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (store_order_id, refund_id) = path.into_inner();
    let span = tracing::Span::current();
    span.record("store_order_id", store_order_id.as_str());
    span.record("refund_id", refund_id.as_str());
    let found = refunds
        .of_order(&store_order_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no order {store_order_id:?}")))?
        .into_iter()
        .find(|refund| refund.store_refund_id == refund_id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no refund {refund_id:?} of order {store_order_id:?}"
            ))
        })?;
    Ok(HttpResponse::Ok().json(RefundJson::new(&store_order_id, found)?))
}

/// The store API's answer to a refund that was not recorded.
fn refused(error: RefundError, store_order_id: &str, refund_id: &str) -> ApiError {
    match error {
        RefundError::NoOrder => ApiError::not_found(format!("no order {store_order_id:?}")),
        RefundError::Invalid(problem) => ApiError::invalid(problem),
        RefundError::Conflict => ApiError::conflict(format!(
            "the refund id {refund_id:?} is already used by a different refund of this order; \
             send the very same body to read it again, or use a new id"
        )),
        RefundError::TooMuch { maximum } => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount_too_large",
            format!(
                "at most {maximum} cents of this order can still be refunded (what was captured, \
                 less what was refunded or is being refunded); ask for {maximum} or less"
            ),
        ),
        RefundError::NotRefundable(NotRefundable::OnlyAuthorised) => ApiError::new(
            StatusCode::CONFLICT,
            "order_not_captured",
            "the order's money is only authorised, not captured: release it (POST \
             /api/v1/orders/{id}/release) to give it all back, or capture it (POST \
             /api/v1/orders/{id}/capture) and then refund",
        ),
        RefundError::NotRefundable(NotRefundable::NotPaid { status }) => ApiError::new(
            StatusCode::CONFLICT,
            "order_not_paid",
            format!(
                "the order is {status:?}: only a paid order can be refunded (an open checkout \
                 is cancelled, not refunded)"
            ),
        ),
        RefundError::Unexpected(error) => error.into(),
    }
}
