//! Rate limits a store would expect on the shopper's side, counted in the database (see
//! `storage::rate_limits`) so several instances count together; over the limit a request gets
//! `429` with `Retry-After`.

use actix_web::HttpRequest;

use super::{PageError, client_ip};
use crate::state::AppState;
use crate::storage::rate_limits::{self, Limit};

/// Demo sign-ins per client address.
pub const DEMO_SIGN_INS: Limit = Limit {
    hits: 20,
    window: 60,
};
/// Hand-over links opened per client address (valid or not).
pub const HANDOVERS: Limit = Limit {
    hits: 30,
    window: 60,
};
/// Pay submissions per shopper (a double click or a replayed form counts too).
pub const PAYMENTS: Limit = Limit {
    hits: 30,
    window: 60,
};
/// Requests with a wrong or missing store API key per client address.
pub const WRONG_STORE_KEYS: Limit = Limit {
    hits: 30,
    window: 60,
};

/// The bucket `what` of this request's client address.
pub fn per_client(req: &HttpRequest, state: &AppState, what: &str) -> String {
    let ip = client_ip(req, &state.trusted_proxies)
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    format!("{what}:{ip}")
}

/// Counts a hit in `bucket`, refusing it over `limit`.
pub async fn enforce(state: &AppState, bucket: String, limit: Limit) -> Result<(), PageError> {
    match rate_limits::hit(&state.db, bucket, limit).await? {
        None => Ok(()),
        Some(retry_after) => Err(PageError::TooManyRequests { retry_after }),
    }
}
