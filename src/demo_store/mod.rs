//! The demo store (demo mode only): a tiny storefront served by the app at `/demo-store` that
//! goes through the real integration as a store's server would. It calls the store API over HTTP
//! with the store API key, hands its customers over with one-time links, and receives and checks
//! the signed notifications at its webhook. Nothing here reaches into the app for those steps.

mod actions;
mod api;
mod catalogue;
mod page;
mod records;
mod texts;
mod webhook;

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::app::store::DEMO_WEBHOOK_PATH;

/// The storefront's address.
pub const DEMO_STORE_PATH: &str = "/demo-store";

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Resources, not `cfg.route`: a route's method guard would make `GET` a 404, not a 405.
    cfg.route(DEMO_STORE_PATH, web::get().to(page::show))
        .service(
            web::resource("/demo-store/handover")
                .route(web::post().to(actions::handover))
                .default_service(web::to(post_only)),
        )
        .service(
            web::resource("/demo-store/orders")
                .route(web::post().to(actions::create_order))
                .default_service(web::to(post_only)),
        )
        .service(
            web::resource(DEMO_WEBHOOK_PATH)
                .app_data(web::PayloadConfig::new(webhook::BODY_LIMIT))
                .route(web::post().to(webhook::receive))
                .default_service(web::to(post_only)),
        );
}

/// Any other method than `POST` on a form's or the webhook's address.
async fn post_only() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "POST"))
        .finish()
}

/// Logs the store API key in full, so the README's store API examples can be run against
/// `cargo run`: only a key demo mode generated, never one the operator set.
pub fn log_api_key(state: &crate::state::AppState) {
    use secrecy::ExposeSecret;
    if let (Some(key), true) = (&state.store.api_key, state.store.api_key_generated) {
        tracing::info!(
            "demo mode only, also on {DEMO_STORE_PATH}: STORE_API_KEY={}",
            key.expose_secret()
        );
    }
}
