//! Health checks for a load balancer or orchestrator. `GET /health/live`: the process answers.
//! `GET /health/ready` (also `/health`): this instance can serve shoppers: the database is
//! writable and its schema is the one this program knows, Voucherly answers with the key, and
//! the background workers are running. Any of them failing is a 503 naming which.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::app::heartbeat::{CheckCache, Heartbeats};
use crate::storage::HealthStore;
use crate::voucherly::VoucherlyClient;

/// How long a verdict on Voucherly is kept, so probes do not become load on Voucherly.
const VOUCHERLY_CHECK_EVERY: Duration = Duration::from_secs(30);

/// What readiness checks: the database, Voucherly (its verdict kept a while) and this
/// instance's background workers.
pub struct Readiness {
    pub health: Arc<dyn HealthStore>,
    pub voucherly: VoucherlyClient,
    pub voucherly_check: CheckCache,
    pub heartbeats: Heartbeats,
}

pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "live"}))
}

pub async fn ready(state: web::Data<Readiness>) -> HttpResponse {
    let database = state
        .health
        .check_ready()
        .await
        .map_err(|e| format!("{e:#}"));
    let voucherly = voucherly(&state).await;
    let stalled = state.heartbeats.stalled();
    let workers = if stalled.is_empty() {
        Ok(())
    } else {
        Err(format!("not running: {}", stalled.join(", ")))
    };
    let checks = [
        ("database", database),
        ("voucherly", voucherly),
        ("workers", workers),
    ];
    let ready = checks.iter().all(|(_, outcome)| outcome.is_ok());
    let details: serde_json::Map<String, serde_json::Value> = checks
        .into_iter()
        .map(|(name, outcome)| {
            let verdict = match outcome {
                Ok(()) => "ok".to_owned(),
                Err(reason) => {
                    tracing::warn!(check = name, reason, "not ready");
                    reason
                }
            };
            (name.to_owned(), verdict.into())
        })
        .collect();
    let body = json!({"status": if ready { "ok" } else { "not ready" }, "checks": details});
    let mut response = if ready {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    response
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(body)
}

async fn voucherly(state: &Readiness) -> Result<(), String> {
    if let Some(outcome) = state.voucherly_check.fresh(VOUCHERLY_CHECK_EVERY) {
        return outcome;
    }
    let outcome = state
        .voucherly
        .list_payment_gateways()
        .await
        .map(|_| ())
        .map_err(|e| format!("{e}"));
    state.voucherly_check.remember(outcome.clone());
    outcome
}
