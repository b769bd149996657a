//! The store API under `/api/v1/`: JSON over HTTP for the store's server, authenticated by the
//! store API key as a bearer token. Every answer, errors included, is JSON.

mod auth;
mod cancel;
mod error;
mod handovers;
mod object;
mod openapi;
mod orders;
mod payments;
mod reconciliation;
mod refunds;

use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{HttpResponse, web};

use crate::web::answer_caught_up;

pub use auth::{StoreAuth, StoreKey};
pub use error::{ApiError, ErrorJson};

/// The API's scope, for the app's top level: it needs none of the shopper-facing layers (no
/// session, no form check, no error page: every answer is JSON already), only, as they do, to
/// answer a write once this instance's caches reflect it.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            // Answers hold shoppers' data and one-time links: no cache keeps them.
            .wrap(from_fn(auth::limit_wrong_keys))
            .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
            .wrap(from_fn(answer_caught_up))
            .app_data(error::json_config())
            .app_data(error::path_config())
            .app_data(error::query_config())
            .service(
                web::resource("/handovers")
                    .route(web::post().to(handovers::create))
                    .default_service(web::to(|| async { orders::method_not_allowed("POST") })),
            )
            .configure(orders::configure)
            .configure(cancel::configure)
            .configure(payments::configure)
            .configure(reconciliation::configure)
            .configure(refunds::configure)
            .configure(openapi::configure)
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(ApiError::not_found("no such API endpoint"))
            })),
    );
}
