//! A request that may have written (anything but `GET` and `HEAD`, and any request that went to
//! the shared database: see `storage::noting_touches`) answers only once this instance's caches
//! reflect what it wrote, so the next request shows it (see `storage::ChangeFeed::caught_up`;
//! on SQLite there is nothing to wait for).

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::Data;

use crate::storage::{ChangeFeed, noting_touches};

/// The feed whose caches a writing request waits for.
pub struct Feed(pub Arc<dyn ChangeFeed>);

/// Calls the rest of the app with `req`, and returns once the caches reflect what it wrote.
/// Inside `faults::mark_request` for the pages (one boxed future less per request), and the
/// store API's own layer.
pub async fn answer_caught_up<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let reads_only = matches!(*req.method(), Method::GET | Method::HEAD);
    let feed = req.app_data::<Data<Feed>>().cloned();
    let (response, touched) = noting_touches(next.call(req)).await;
    if (touched || !reads_only)
        && let Some(feed) = feed
    {
        feed.0.caught_up().await;
    }
    response
}
