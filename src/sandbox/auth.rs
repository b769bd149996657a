//! The API's key check: every call under `/sandbox/v1` carries `Voucherly-API-Key` with a
//! sandbox key. Voucherly's sandbox keys start `sk_sand_` and live keys `sk_live_` (the
//! WooCommerce plugin keeps one of each, tested by `GET payment_gateways`, a 401 meaning a bad
//! key: voucherly-php-sdk `Api::testAuthentication`). Any key with the sandbox prefix is
//! accepted, as a merchant's own sandbox key would be; a live key gets a 401 that says so, any
//! other value or no header a plain 401.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};

use super::error::ApiError;

pub const HEADER: &str = "Voucherly-API-Key";
pub const KEY_PREFIX: &str = "sk_sand_";
const LIVE_PREFIX: &str = "sk_live_";

pub async fn require_sandbox_key(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if let Err(refusal) = check(req.headers().get(HEADER).and_then(|v| v.to_str().ok())) {
        // A response rather than an `Err`, so that the app's outer middleware (its security
        // headers) still sees it.
        let response = refusal.error_response().map_into_right_body();
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn check(key: Option<&str>) -> Result<(), ApiError> {
    match key {
        Some(key) if key.len() > KEY_PREFIX.len() && key.starts_with(KEY_PREFIX) => Ok(()),
        Some(key) if key.starts_with(LIVE_PREFIX) => Err(ApiError::Unauthorized(
            "this is a live key (sk_live_...): the sandbox takes only sandbox keys (sk_sand_...)",
        )),
        _ => Err(ApiError::Unauthorized(
            "a Voucherly-API-Key header with a sandbox key (sk_sand_...) is required",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(key: Option<&str>) -> bool {
        check(key).is_ok()
    }

    #[test]
    fn only_keys_with_the_sandbox_prefix_are_accepted() {
        assert!(accepts(Some(super::super::API_KEY)));
        assert!(accepts(Some("sk_sand_anything")));
        for refused in [
            None,
            Some(""),
            Some("sk_sand_"),
            Some("sk_sandbox"),
            Some("sk_live_x"),
            Some("x"),
        ] {
            assert!(!accepts(refused), "{refused:?}");
        }
    }
}
