//! `GET /health`: answers while the process is up and its database is reachable.

use actix_web::{HttpResponse, web};

use crate::state::AppState;

pub async fn check(state: web::Data<AppState>) -> HttpResponse {
    match state
        .db
        .run(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?))
        .await
    {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ok"})),
        Err(error) => {
            tracing::error!(error = ?error, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "database unavailable"}))
        }
    }
}
