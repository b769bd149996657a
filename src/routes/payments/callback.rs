//! `POST /payments/callback`: Voucherly's server-to-server notice that a payment changed. The
//! body is only a hint of which payment: its id is kept in the callback inbox and answered
//! `{"ok": true}` at once, whatever Voucherly's API is doing (Voucherly cancels and refunds a
//! payment whose callbacks all fail); the inbox worker reads it back from the API and applies
//! it, so a forged or replayed callback can do no more than make us look again. A callback for
//! a payment we never created (no record by its id nor by its `referenceId`) is dropped without
//! a call to Voucherly: spoofing costs one database read. While the database refuses writes the
//! callback goes to the spool file beside it (`app::payments::spool`); only when that fails too is
//! it answered 503 with `Retry-After`. No session, no CSRF token: it carries no cookie and acts
//! on nothing it says. `"stop": true` only for a payment certainly not this store's; other modes
//! than `Payment` get `ok` as the plugins do.

use actix_web::error::{InternalError, JsonPayloadError};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::app::payments::{Intake, Payments};
use crate::metrics;
use crate::storage::fault::{self, Fault};
use crate::voucherly::types::{CallbackNotice, PaymentMode};

/// A callback is a small subset of a payment (ids, amounts, status): anything bigger is not one.
const BODY_LIMIT: usize = 8 * 1024;
/// Longer than any payment id Voucherly gives (ids are ASCII: characters are bytes).
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
            metrics::record_callback("invalid");
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "body too large"
            } else {
                "body must be JSON with an id"
            };
            InternalError::from_response(error, answer(status, message, false)).into()
        })
}

#[tracing::instrument(name = "payments: callback", skip_all, fields(voucherly_payment_id))]
pub async fn receive(
    payments: web::Data<Payments>,
    body: web::Json<CallbackNotice>,
) -> HttpResponse {
    let body = body.into_inner();
    let id = body.id.trim();
    if !is_payment_id(id) {
        metrics::record_callback("invalid");
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
    let reference = body
        .reference_id
        .map(|reference| reference.trim().to_owned())
        .filter(|reference| !reference.is_empty());
    match payments
        .receive_callback(id.to_owned(), reference.clone())
        .await
    {
        Intake::Kept => {
            metrics::record_callback("kept");
            tracing::info!("callback kept: the payment is read back in the background");
            HttpResponse::Ok().json(json!({"ok": true}))
        }
        // Every payment of ours was written, with its reference, before Voucherly was called:
        // a callback naming neither an id nor a reference we have is certainly someone else's.
        Intake::NotOurs => {
            metrics::record_callback("not_ours");
            tracing::warn!(
                ?reference,
                "callback for a payment that is not ours: dropped"
            );
            answer(StatusCode::OK, "unknown payment", true)
        }
        Intake::Full { cap } => {
            metrics::record_callback("inbox_full");
            tracing::warn!(
                cap,
                "callback inbox full: not kept, the reconciler re-reads the payment"
            );
            HttpResponse::Ok().json(json!({"ok": true}))
        }
        // The database refused it: it is in the spool, replayed once the database is back.
        Intake::Spooled { refused } => {
            metrics::record_callback("spooled");
            tracing::warn!(error = %refused, "the database refused the callback: kept in the spool");
            HttpResponse::Ok().json(json!({"ok": true}))
        }
        // Only when even the spool fails must Voucherly try again.
        Intake::Refused { refused, spool } => {
            metrics::record_callback("refused");
            tracing::error!(database = %refused, spool = ?spool, "callback: could not keep it");
            let wait = fault::of(&refused).map_or(5, Fault::retry_after);
            HttpResponse::ServiceUnavailable()
                .insert_header((header::RETRY_AFTER, wait.to_string()))
                .json(json!({"ok": false, "error": "cannot keep the callback now, retry later"}))
        }
    }
}

/// A Voucherly payment id we are willing to read back: letters, digits, `-`, `_` and `.` (never
/// only dots, which a URL would read as "this folder" or "the one above"), at most
/// `MAX_ID_CHARS`.
fn is_payment_id(id: &str) -> bool {
    (1..=MAX_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
        && id.bytes().any(|byte| byte != b'.')
}

fn answer(status: StatusCode, error: &str, stop: bool) -> HttpResponse {
    let body = if stop {
        json!({"ok": false, "error": error, "stop": true})
    } else {
        json!({"ok": false, "error": error})
    };
    HttpResponse::build(status).json(body)
}

#[cfg(test)]
mod tests {
    use super::is_payment_id;

    #[test]
    fn payment_ids_are_letters_digits_dashes_underscores_and_dots_but_never_only_dots() {
        for good in [
            "pay_1",
            "pay_0a1b",
            "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "a.b",
        ] {
            assert!(is_payment_id(good), "{good}");
        }
        let long = "a".repeat(201);
        for bad in [
            "", ".", "..", "...", "a/b", "a b", "a%2F", "è", "a?b", &long,
        ] {
            assert!(!is_payment_id(bad), "{bad}");
        }
        assert!(is_payment_id(&"a".repeat(200)));
    }
}
