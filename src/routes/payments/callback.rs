//! `POST /payments/callback`: Voucherly's server-to-server notice that a payment changed. The
//! body is only a hint of which payment: it is read back from Voucherly's API and applied, so a
//! forged or replayed callback can do no more than make us look again. No session, no CSRF
//! token: it carries no cookie and acts on nothing it says. Answers follow the plugins' habit:
//! `{"ok": true}`, or `{"ok": false, "error": …}` with `"stop": true` when retrying is useless.

use actix_web::error::{InternalError, JsonPayloadError};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::payments::{self, Applied};
use crate::state::AppState;
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::CallbackBody;

/// A callback is `{"id": "…"}`: anything bigger is not one.
const BODY_LIMIT: usize = 4 * 1024;
/// Longer than any payment id Voucherly gives.
const MAX_ID_CHARS: usize = 200;

/// The JSON extractor of this route: a small body, any content type (senders differ), and
/// errors answered in JSON rather than as an HTML page.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(BODY_LIMIT)
        .content_type_required(false)
        .error_handler(|error, _req| {
            let status = match &error {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            };
            tracing::info!(%error, "callback body refused");
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "body too large"
            } else {
                "body must be JSON with an id"
            };
            InternalError::from_response(error, answer(status, message, false)).into()
        })
}

#[tracing::instrument(name = "payments: callback", skip_all, fields(voucherly_payment_id))]
pub async fn receive(state: web::Data<AppState>, body: web::Json<CallbackBody>) -> HttpResponse {
    let id = body.into_inner().id;
    let id = id.trim();
    if id.is_empty() || id.chars().count() > MAX_ID_CHARS {
        return answer(
            StatusCode::BAD_REQUEST,
            "body must be JSON with an id",
            false,
        );
    }
    tracing::Span::current().record("voucherly_payment_id", id);
    let mut payment = match state.voucherly.get_payment(id).await {
        Ok(payment) => payment,
        Err(VoucherlyError::NotFound) => {
            tracing::warn!("callback for a payment Voucherly does not know");
            return unknown();
        }
        Err(error) => {
            if error.is_configuration_problem() {
                tracing::error!(%error, "callback: Voucherly refused the API key");
            } else {
                tracing::warn!(%error, "callback: could not read the payment back");
            }
            return answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "Voucherly unavailable, retry later",
                false,
            );
        }
    };
    if payment.id.is_empty() {
        payment.id = id.to_owned();
    }
    match payments::apply(&state.db, &payment).await {
        Ok(Applied::Known { status, .. }) => {
            tracing::info!(status = status.as_str(), "callback applied");
            HttpResponse::Ok().json(json!({"ok": true}))
        }
        Ok(Applied::Unknown) => unknown(),
        Err(error) => {
            tracing::error!(error = ?error, "callback: could not apply the payment");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error, retry later",
                false,
            )
        }
    }
}

/// Not one of ours: nothing changed, and asking again will not change that.
fn unknown() -> HttpResponse {
    answer(StatusCode::OK, "unknown payment", true)
}

fn answer(status: StatusCode, error: &str, stop: bool) -> HttpResponse {
    let body = if stop {
        json!({"ok": false, "error": error, "stop": true})
    } else {
        json!({"ok": false, "error": error})
    };
    HttpResponse::build(status).json(body)
}
