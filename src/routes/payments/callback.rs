//! `POST /payments/callback`: Voucherly's server-to-server notice that a payment changed. The
//! body is only a hint of which payment: its id is kept in the callback inbox and answered
//! `{"ok": true}` at once, whatever Voucherly's API is doing (Voucherly cancels and refunds a
//! payment whose callbacks all fail); the inbox worker reads it back from the API and applies
//! it, so a forged or replayed callback can do no more than make us look again. No session, no
//! CSRF token: it carries no cookie and acts on nothing it says. `"stop": true` only for a
//! payment certainly not this store's; other modes than `Payment` get `ok` as the plugins do.

use actix_web::error::{InternalError, JsonPayloadError};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::payments;
use crate::state::AppState;
use crate::storage::now;
use crate::storage::payments::inbox;
use crate::voucherly::types::{CallbackNotice, PaymentMode};

/// A callback is a small subset of a payment (ids, amounts, status): anything bigger is not one.
const BODY_LIMIT: usize = 8 * 1024;
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
pub async fn receive(state: web::Data<AppState>, body: web::Json<CallbackNotice>) -> HttpResponse {
    let body = body.into_inner();
    let id = body.id.trim();
    if id.is_empty() || id.chars().count() > MAX_ID_CHARS {
        return answer(
            StatusCode::BAD_REQUEST,
            "body must be JSON with an id",
            false,
        );
    }
    tracing::Span::current().record("voucherly_payment_id", id);
    // The official plugins answer `ok` to wallet top-ups and any other mode: never ours.
    if body
        .mode
        .as_ref()
        .is_some_and(|mode| *mode != PaymentMode::Payment)
    {
        tracing::info!(mode = ?body.mode, "callback for a payment in another mode: nothing to do");
        return HttpResponse::Ok().json(json!({"ok": true}));
    }
    // Every payment of ours was written, with its reference, before Voucherly was called: a
    // callback naming a reference and an id we never had is certainly someone else's.
    if let Some(reference) = body
        .reference_id
        .as_deref()
        .filter(|r| !r.trim().is_empty())
    {
        match inbox::is_ours(&state.db, id, reference).await {
            Ok(false) => {
                tracing::warn!(%reference, "callback for a payment that is not ours");
                return answer(StatusCode::OK, "unknown payment", true);
            }
            Ok(true) => {}
            Err(error) => return storage_failed(&error),
        }
    }
    if let Err(error) = inbox::receive(&state.db, id, now()).await {
        return storage_failed(&error);
    }
    payments::inbox::wake();
    tracing::info!("callback kept: the payment is read back in the background");
    HttpResponse::Ok().json(json!({"ok": true}))
}

/// Nothing was kept: Voucherly must try again.
fn storage_failed(error: &anyhow::Error) -> HttpResponse {
    tracing::error!(error = ?error, "callback: could not keep it");
    answer(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error, retry later",
        false,
    )
}

fn answer(status: StatusCode, error: &str, stop: bool) -> HttpResponse {
    let body = if stop {
        json!({"ok": false, "error": error, "stop": true})
    } else {
        json!({"ok": false, "error": error})
    };
    HttpResponse::build(status).json(body)
}
