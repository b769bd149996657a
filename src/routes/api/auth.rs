//! Store API authentication: `Authorization: Bearer <store API key>`, compared in constant time.

use std::future::{Ready, ready};

use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::ApiError;
use crate::state::AppState;

/// A handler argument that exists only for a request carrying the store API key.
pub struct StoreAuth;

impl FromRequest for StoreAuth {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(check(req))
    }
}

fn check(req: &HttpRequest) -> Result<StoreAuth, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::unexpected(anyhow::anyhow!("no application state")))?;
    let Some(expected) = &state.store.api_key else {
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
    let matches = Sha256::digest(given.trim().as_bytes())
        .ct_eq(&Sha256::digest(expected.expose_secret().as_bytes()));
    if bool::from(matches) {
        Ok(StoreAuth)
    } else {
        Err(ApiError::unauthorized("the store API key is wrong"))
    }
}
