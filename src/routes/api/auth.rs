//! Store API authentication: `Authorization: Bearer <store API key>`, compared in constant time.
//! Wrong keys are counted per client address before any handler runs: past the limit a client
//! gets `429` until the window ends, so a key cannot be guessed at speed.

use std::future::{Ready, ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, ResponseError, web};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::ApiError;
use crate::web::limits::{self, Limiter};

/// The store API key's SHA-256 digest (`None`: the store API refuses every call), for the check:
/// worked out once, not on every request.
pub struct StoreKey(Option<[u8; 32]>);

impl StoreKey {
    pub fn new(key: Option<&SecretString>) -> Self {
        Self(key.map(|key| Sha256::digest(key.expose_secret().as_bytes()).into()))
    }
}

/// A handler argument that exists only for a request carrying the store API key.
pub struct StoreAuth;

/// Left in a request's extensions once its key was found right.
#[derive(Clone, Copy)]
struct KeyChecked;

impl FromRequest for StoreAuth {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // `limit_wrong_keys` has checked the key already, in front of every store API route.
        let checked = req.extensions().get::<KeyChecked>().is_some();
        ready(if checked { Ok(StoreAuth) } else { check(req) })
    }
}

/// Counts a request with a wrong or missing key against its client; over the limit, answers
/// `429` itself. Routes that need no key (the OpenAPI document) are not counted.
pub async fn limit_wrong_keys<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let checked = check(req.request());
    if checked.is_ok() {
        req.extensions_mut().insert(KeyChecked);
    }
    let counted = !req.path().ends_with("openapi.json") && checked.is_err();
    if counted && let Some(limiter) = req.app_data::<web::Data<Limiter>>().cloned() {
        let bucket = limiter.per_client(req.request(), "store-key");
        let over = limiter
            .take(bucket, limits::WRONG_STORE_KEYS)
            .await
            .map_err(ApiError::from)?;
        if let Some(retry_after) = over {
            let response = ApiError::too_many(retry_after).error_response();
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn check(req: &HttpRequest) -> Result<StoreAuth, ApiError> {
    let key = req
        .app_data::<web::Data<StoreKey>>()
        .ok_or_else(|| ApiError::unexpected(anyhow::anyhow!("no store API key set up")))?;
    let Some(expected) = &key.0 else {
        return Err(ApiError::unauthorized(
            "the store API is not configured: set VOUCHERLY_ACCOUNT_STORE_API_KEY",
        ));
    };
    let given = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        // The scheme's name is case-insensitive (RFC 9110).
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key)
        .ok_or_else(|| {
            ApiError::unauthorized("send the store API key as `Authorization: Bearer <key>`")
        })?;
    // Comparing digests keeps the time independent of where, and whether, the lengths differ.
    let matches = Sha256::digest(given.trim().as_bytes()).ct_eq(expected);
    if bool::from(matches) {
        Ok(StoreAuth)
    } else {
        Err(ApiError::unauthorized("the store API key is wrong"))
    }
}
