//! `POST /api/v1/orders/{id}/capture` and `…/release`, and `GET /api/v1/authorisations`: for a
//! store that captures later (`--capture later`), the authorised payments it must capture (or
//! release) before Voucherly lets them expire.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::super::openapi::{
    NotAuthorised, NotFound, TooManyRequests, Unauthorized, VoucherlyRefused, VoucherlyUnavailable,
};
use super::super::{ApiError, StoreAuth};
use super::response::OrderJson;
use crate::app::orders::Orders;
use crate::app::payments::{CaptureError, Payments, RefreshError};
use crate::domain::store_event::rfc3339;
use crate::voucherly::VoucherlyError;

#[derive(Clone, Copy)]
enum Action {
    Capture,
    Release,
}

/// Capture an authorised order
///
/// For a store that captures later (`--capture later`): captures the order's authorised payment
/// at Voucherly. The order becomes `paid`. `x-example-status`: the example order is not paid
/// yet, so the example answers 409.
#[utoipa::path(
    post,
    path = "/api/v1/orders/{store_order_id}/capture",
    tag = "orders",
    operation_id = "captureOrder",
    params(("store_order_id" = String, Path, description = "Percent-encoded.", example = "A-1001")),
    responses(
        (status = 200, description = "The order, as after the change.", body = OrderJson),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
        (status = 404, response = NotFound),
        (status = 409, response = NotAuthorised),
        (status = 502, response = VoucherlyRefused),
        (status = 503, response = VoucherlyUnavailable),
    ),
    extensions(("x-example-status" = json!(409)))
)]
#[tracing::instrument(skip_all, fields(store_order_id))]
pub async fn capture(
    _: StoreAuth,
    orders: web::Data<Orders>,
    payments: web::Data<Payments>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    act(&orders, &payments, path.into_inner(), Action::Capture).await
}

/// Release an authorised order
///
/// Gives the shopper's authorised money back without capturing it (Voucherly cancels the
/// authorisation through a refund). The order becomes `refunded`.
#[utoipa::path(
    post,
    path = "/api/v1/orders/{store_order_id}/release",
    tag = "orders",
    operation_id = "releaseOrder",
    params(("store_order_id" = String, Path, description = "Percent-encoded.", example = "A-1001")),
    responses(
        (status = 200, description = "The order, as after the change.", body = OrderJson),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
        (status = 404, response = NotFound),
        (status = 409, response = NotAuthorised),
        (status = 502, response = VoucherlyRefused),
        (status = 503, response = VoucherlyUnavailable),
    ),
    extensions(("x-example-status" = json!(409)))
)]
#[tracing::instrument(skip_all, fields(store_order_id))]
pub async fn release(
    _: StoreAuth,
    orders: web::Data<Orders>,
    payments: web::Data<Payments>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    act(&orders, &payments, path.into_inner(), Action::Release).await
}

async fn act(
    orders: &Orders,
    payments: &Payments,
    store_order_id: String,
    action: Action,
) -> Result<HttpResponse, ApiError> {
    tracing::Span::current().record("store_order_id", store_order_id.as_str());
    let not_found = || ApiError::not_found(format!("no order {store_order_id:?}"));
    let order = orders.read(&store_order_id).await?.ok_or_else(not_found)?;
    let done = match action {
        Action::Capture => payments.capture_order(order.order.id).await,
        Action::Release => payments.release_order(order.order.id).await,
    };
    match done {
        Ok(status) => tracing::info!(
            status = status.as_str(),
            "store asked to capture or release"
        ),
        Err(CaptureError::NothingAuthorised) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "not_authorised",
                format!("order {store_order_id:?} has no authorised payment to capture or release"),
            ));
        }
        Err(CaptureError::Refresh(RefreshError::Voucherly(VoucherlyError::Unavailable(_)))) => {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "voucherly_unavailable",
                "Voucherly is not answering: nothing changed, try again later",
            ));
        }
        Err(CaptureError::Refresh(RefreshError::Storage(error))) => return Err(error.into()),
        Err(CaptureError::Refresh(error)) => {
            tracing::warn!(%error, "Voucherly refused a capture or release");
            return Err(ApiError::new(
                StatusCode::BAD_GATEWAY,
                "voucherly_refused",
                "Voucherly refused: the order is as the answer of GET shows it",
            ));
        }
    }
    let order = orders.read(&store_order_id).await?.ok_or_else(not_found)?;
    Ok(HttpResponse::Ok().json(OrderJson::from_store(order)?))
}

#[derive(Serialize, ToSchema)]
pub struct Authorisations {
    items: Vec<Authorisation>,
}

/// A payment authorised and not yet captured.
#[derive(Serialize, ToSchema)]
pub struct Authorisation {
    store_order_id: String,
    voucherly_payment_id: String,
    /// In cents.
    amount: i64,
    /// When the app learnt of the authorisation. Voucherly voids an authorisation not captured
    /// in time: capture or release the oldest first.
    #[schema(format = DateTime)]
    authorised_at: String,
}

/// List the authorisations to capture
///
/// Every payment authorised and not yet captured, oldest first: capture or release each before
/// Voucherly lets it expire.
#[utoipa::path(
    get,
    path = "/api/v1/authorisations",
    tag = "orders",
    operation_id = "listAuthorisations",
    responses(
        (status = 200, description = "The authorisations.", body = Authorisations),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn authorisations(
    _: StoreAuth,
    payments: web::Data<Payments>,
) -> Result<HttpResponse, ApiError> {
    let items = payments
        .uncaptured()
        .await?
        .into_iter()
        .map(|found| {
            Ok(Authorisation {
                authorised_at: rfc3339(found.authorised_at)?,
                store_order_id: found.store_order_id,
                voucherly_payment_id: found.voucherly_payment_id,
                amount: found.amount,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(HttpResponse::Ok().json(Authorisations { items }))
}
