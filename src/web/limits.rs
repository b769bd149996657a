//! Rate limits a store would expect on the shopper's side, counted in the database (see
//! `storage::RateLimitStore`) so several instances count together; over the limit a request
//! gets `429` with `Retry-After`.

use std::net::IpAddr;
use std::sync::Arc;

use actix_web::HttpRequest;

use super::{PageError, client_ip};
use crate::domain::Clock;
pub use crate::storage::Limit;
use crate::storage::RateLimitStore;

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

/// Rate limits over the shared counters, with the proxies whose `X-Forwarded-For` is believed.
pub struct Limiter {
    counters: Arc<dyn RateLimitStore>,
    clock: Arc<dyn Clock>,
    trusted_proxies: Vec<IpAddr>,
}

impl Limiter {
    pub fn new(
        counters: Arc<dyn RateLimitStore>,
        clock: Arc<dyn Clock>,
        trusted_proxies: Vec<IpAddr>,
    ) -> Self {
        Self {
            counters,
            clock,
            trusted_proxies,
        }
    }

    /// The bucket `what` of this request's client address.
    pub fn per_client(&self, req: &HttpRequest, what: &str) -> String {
        let ip = client_ip(req, &self.trusted_proxies)
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        format!("{what}:{ip}")
    }

    /// Counts a hit in `bucket`; `Some(seconds)` to wait when it went over `limit`.
    pub async fn take(&self, bucket: String, limit: Limit) -> anyhow::Result<Option<u64>> {
        self.counters
            .take_one(bucket, limit, self.clock.now())
            .await
    }

    /// Counts a hit in `bucket`, refusing it over `limit`.
    pub async fn enforce(&self, bucket: String, limit: Limit) -> Result<(), PageError> {
        match self.take(bucket, limit).await? {
            None => Ok(()),
            Some(retry_after) => Err(PageError::TooManyRequests { retry_after }),
        }
    }
}
