//! `POST /demo-store/webhook`: the demo store's receiver of order events, written as a store
//! would write its own. It checks the signature over the raw bytes, then keeps each event id
//! once: a duplicate delivery is acknowledged and ignored.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::json;

use super::records::{DemoStoreRecords, ReceivedEvent};
use crate::state::AppState;
use crate::storage::now;
use crate::web::PageError;

/// Largest body accepted; events are a few hundred bytes.
pub const BODY_LIMIT: usize = 64 * 1024;
/// How far the signature's timestamp may be from our clock, in seconds.
const TOLERANCE: i64 = 5 * 60;
/// Untrusted strings from a refused event are cut to this many characters before being kept.
const MAX_FIELD: usize = 100;

#[derive(Deserialize, Default)]
struct Event {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    data: Option<EventData>,
}

#[derive(Deserialize, Default)]
struct EventData {
    store_order_id: Option<String>,
}

#[tracing::instrument(name = "demo store webhook", skip_all)]
pub async fn receive(
    req: HttpRequest,
    state: web::Data<AppState>,
    records: web::Data<dyn DemoStoreRecords>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let header = req
        .headers()
        .get("Voucherly-Account-Signature")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let valid = state.store.webhook.as_ref().is_some_and(|webhook| {
        crate::app::notifications::verify(
            webhook.secret.expose_secret().as_bytes(),
            header,
            &body,
            now(),
            TOLERANCE,
        )
    });
    let event: Option<Event> = serde_json::from_slice(&body).ok();
    if valid
        && event
            .as_ref()
            .is_none_or(|e| e.id.is_none() || e.kind.is_none())
    {
        return Ok(answer(StatusCode::BAD_REQUEST, "not an event"));
    }
    let event = event.unwrap_or_default();
    let header_id = req
        .headers()
        .get("Voucherly-Account-Event-Id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let received = ReceivedEvent {
        event_id: cut(event.id.or(header_id).unwrap_or_else(|| "—".into())),
        event_type: cut(event.kind.unwrap_or_else(|| "—".into())),
        store_order_id: event.data.and_then(|data| data.store_order_id).map(cut),
        signature_valid: valid,
        received_at: now(),
    };
    let event_id = received.event_id.clone();
    let fresh = records.record_event(received).await?;
    if !valid {
        tracing::warn!(event_id, "refused a notification with a wrong signature");
        return Ok(answer(StatusCode::BAD_REQUEST, "invalid signature"));
    }
    if !fresh {
        tracing::info!(event_id, "ignored a duplicate notification");
    }
    Ok(HttpResponse::Ok().json(json!({"ok": true})))
}

fn answer(status: StatusCode, error: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"ok": false, "error": error}))
}

fn cut(text: String) -> String {
    text.chars().take(MAX_FIELD).collect()
}
