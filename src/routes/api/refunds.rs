//! `POST /api/v1/orders/{store_order_id}/refunds`, and `GET` of an order's refunds or of one:
//! the store gives back all or part of a paid order, by amount or by lines, to the methods
//! that paid or to the shopper's Voucherly wallet, idempotently on its own refund id. The
//! refund is recorded before Voucherly is called; when Voucherly cannot make it at once it is
//! answered `pending` (202) and made by the refund worker.

mod body;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::orders::method_not_allowed;
use super::{ApiError, StoreAuth};
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

#[tracing::instrument(skip_all, fields(store_order_id, refund_id))]
async fn create(
    _: StoreAuth,
    refunds: web::Data<Refunds>,
    path: web::Path<String>,
    body: web::Json<RefundRequest>,
) -> Result<HttpResponse, ApiError> {
    let store_order_id = path.into_inner();
    let ask = body.into_inner().parse()?;
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

#[tracing::instrument(skip_all, fields(store_order_id))]
async fn list(
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

#[tracing::instrument(skip_all, fields(store_order_id, refund_id))]
async fn read(
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
