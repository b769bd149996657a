//! The API's key check: every call under `/sandbox/v1` carries `Voucherly-API-Key` with a
//! sandbox key. Any key with the sandbox prefix is accepted, as a merchant's own sandbox key
//! would be; a live key, another value or no header answers 401.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use super::error::ApiError;

pub const HEADER: &str = "Voucherly-API-Key";
pub const KEY_PREFIX: &str = "sk_sandbox_";

pub async fn require_sandbox_key(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if !accepts(req.headers().get(HEADER).and_then(|v| v.to_str().ok())) {
        return Err(ApiError::Unauthorized.into());
    }
    next.call(req).await
}

fn accepts(key: Option<&str>) -> bool {
    key.is_some_and(|key| key.len() > KEY_PREFIX.len() && key.starts_with(KEY_PREFIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_keys_with_the_sandbox_prefix_are_accepted() {
        assert!(accepts(Some(super::super::API_KEY)));
        assert!(accepts(Some("sk_sandbox_anything")));
        for refused in [
            None,
            Some(""),
            Some("sk_sandbox_"),
            Some("sk_live_x"),
            Some("x"),
        ] {
            assert!(!accepts(refused), "{refused:?}");
        }
    }
}
