//! `POST /api/v1/orders/{store_order_id}/cancel`: the store cancels an order it no longer wants
//! paid. It stops being payable at once; its checkout still open at Voucherly is voided (later,
//! by a worker, when Voucherly is down), and a payment the shopper made as it was cancelled is
//! refunded by itself. Cancelling again answers the same. A paid order is refused (409): it
//! must be refunded, or released when only authorised.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use super::object::JsonObject;
use super::openapi::{InvalidRequest, NotFound, TooManyRequests, Unauthorized};
use super::orders::method_not_allowed;
use super::orders::response::OrderJson;
use super::{ApiError, ErrorJson, StoreAuth};
use crate::app::orders::Orders;
use crate::app::payments::Payments;
use crate::domain::order::{CancelOrder, OrderStatus, StoreOrder, StorePayment};
use crate::domain::store_event::rfc3339;

/// The longest reason kept, in characters.
const MAX_REASON: usize = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/orders/{store_order_id}/cancel")
            .route(web::post().to(cancel))
            .default_service(web::to(|| async { method_not_allowed("POST") })),
    );
}

/// The body of a cancel: `{}`, or `{"reason": "…"}`. No body at all, or `null`, is the same as
/// `{}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "a cancel object")]
pub struct CancelRequest {
    /// Why the store cancels the order (up to 500 characters), kept and answered back; the
    /// first cancellation's reason stays. One line: no control characters.
    #[schema(max_length = 500, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")]
    pub reason: Option<String>,
}

/// The answer to a cancel, the same for every repetition of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CancelResponse {
    /// The order as `GET /api/v1/orders/{store_order_id}` shows it: `status` is `cancelled`.
    pub order: OrderJson,
    pub cancellation: Cancellation,
}

/// When and why the order was cancelled, and what became of its payments.
#[derive(Debug, Serialize, ToSchema)]
pub struct Cancellation {
    /// RFC 3339, UTC: when the order was first cancelled.
    #[schema(format = DateTime)]
    pub cancelled_at: String,
    /// The reason the first cancellation gave, if any.
    pub reason: Option<String>,
    /// Each attempt to pay the order, oldest first, with what the cancellation made of it.
    pub payments: Vec<PaymentOutcome>,
}

/// What the cancellation made of one attempt to pay the order.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentOutcome {
    /// Our reference, the payment's `referenceId` at Voucherly.
    pub reference: String,
    pub voucherly_payment_id: Option<String>,
    /// `closed`: no money was or can be taken; `voiding`: still open at Voucherly, which could
    /// not void it now: the app voids it as soon as it can; `refunding`: the shopper paid as the
    /// order was cancelled, and the app refunds the payment by itself (`order.paid_after_cancel`,
    /// then `order.duplicate_refunded`, or `order.manual_refund_needed` if Voucherly cannot);
    /// `refunded`: that refund is made.
    #[schema(schema_with = outcome)]
    pub outcome: &'static str,
}

fn outcome() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["closed", "voiding", "refunding", "refunded"]))
        .build()
}

/// Cancel an order
///
/// Cancels an order the shopper has not paid, at once: it leaves the shopper's page and can no
/// longer be paid; `order.cancelled` follows. Its checkout still open at Voucherly is voided
/// (later, by the app, when Voucherly is down: `voiding`); a payment the shopper made as it was
/// cancelled is refunded by the app itself (`refunding`). The body is `{}`, empty, or a
/// `reason`. Sending it again answers the same. An order already paid is a 409: `order_paid`
/// (refund it instead), `order_authorised` (release it), `order_not_payable` (refunded).
#[utoipa::path(
    post,
    path = "/api/v1/orders/{store_order_id}/cancel",
    tag = "orders",
    operation_id = "cancelOrder",
    params(("store_order_id" = String, Path, description = "Percent-encoded.", example = "A-1001")),
    request_body(content = Option<CancelRequest>, example = json!({"reason": "out of stock"})),
    responses(
        (status = 200, description = "The order is cancelled; what became of its payments.", body = CancelResponse),
        (status = 400, response = InvalidRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 409, description = "The order is paid, authorised or refunded: it is not cancelled.", body = ErrorJson),
        (status = 429, response = TooManyRequests),
    )
)]
#[tracing::instrument(skip_all, fields(store_order_id))]
pub(super) async fn cancel(
    _: StoreAuth,
    orders: web::Data<Orders>,
    payments: web::Data<Payments>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let store_order_id = path.into_inner();
    tracing::Span::current().record("store_order_id", store_order_id.as_str());
    let request = parse(&body)?;
    let not_found = || ApiError::not_found(format!("no order {store_order_id:?}"));
    let order = orders.read(&store_order_id).await?.ok_or_else(not_found)?;
    let outcome = payments
        .cancel_order(order.order.id, request.reason)
        .await?;
    let (reason, cancelled_at) = match outcome {
        CancelOrder::Cancelled {
            reason,
            cancelled_at,
            ..
        } => (reason, cancelled_at),
        CancelOrder::NotAwaitingPayment(status) => {
            return Err(not_cancellable(&store_order_id, status, &order));
        }
    };
    let order = orders.read(&store_order_id).await?.ok_or_else(not_found)?;
    let cancellation = Cancellation {
        cancelled_at: rfc3339(cancelled_at)?,
        reason,
        payments: order.payments.iter().map(PaymentOutcome::of).collect(),
    };
    Ok(HttpResponse::Ok().json(CancelResponse {
        order: OrderJson::from_store(order)?,
        cancellation,
    }))
}

/// Reads the body strictly; an empty one is `{}`.
fn parse(body: &[u8]) -> Result<CancelRequest, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(CancelRequest::default());
    }
    // `null` is as if nothing were sent, as the document says.
    let request: Option<JsonObject<CancelRequest>> =
        serde_json::from_slice(body).map_err(|error| {
            ApiError::invalid(format!(
                "the body must be {{}} or {{\"reason\": \"…\"}} and nothing else: {error}"
            ))
        })?;
    let reason = request
        .map(|request| request.0)
        .unwrap_or_default()
        .reason
        .map(|reason| reason.trim().to_owned());
    if reason.as_deref().is_some_and(|reason| {
        reason.chars().count() > MAX_REASON || reason.contains(char::is_control)
    }) {
        return Err(ApiError::invalid(format!(
            "reason: at most {MAX_REASON} characters on one line"
        )));
    }
    Ok(CancelRequest {
        reason: reason.filter(|reason| !reason.is_empty()),
    })
}

/// The 409 for an order that took money (or gave it back) before it could be cancelled.
fn not_cancellable(store_order_id: &str, status: OrderStatus, order: &StoreOrder) -> ApiError {
    let (code, message) = match (status, order.status()) {
        (OrderStatus::Paid, "authorised") => (
            "order_authorised",
            format!(
                "order {store_order_id:?} is paid (authorised, not captured): it cannot be \
                 cancelled; release it instead with POST /api/v1/orders/{{id}}/release"
            ),
        ),
        (OrderStatus::Paid | OrderStatus::PartiallyRefunded, _) => (
            "order_paid",
            format!("order {store_order_id:?} is paid: it cannot be cancelled; refund it instead"),
        ),
        (_, current) => (
            "order_not_payable",
            format!("order {store_order_id:?} is {current}: there is nothing to cancel"),
        ),
    };
    ApiError::new(StatusCode::CONFLICT, code, message)
}

impl PaymentOutcome {
    fn of(payment: &StorePayment) -> Self {
        let started = payment.voucherly_payment_id.is_some();
        let outcome = match payment.status.as_str() {
            "authorised" | "paid" => "refunding",
            "refunded" => "refunded",
            "creating" | "requested" => "voiding",
            "create_failed" if started => "voiding",
            _ => "closed",
        };
        Self {
            reference: payment.reference.clone(),
            voucherly_payment_id: payment.voucherly_payment_id.clone(),
            outcome,
        }
    }
}
