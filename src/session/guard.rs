//! Around the session layer: requests that never need a session (static files, health checks,
//! the store API) reach it without cookies, so it neither reads nor writes anything for them;
//! and a CSRF nonce made while answering gets its cookie.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{COOKIE, HeaderValue, SET_COOKIE};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use super::COOKIE_NAME;
use super::csrf::{CSRF_COOKIE_NAME, CsrfConfig, PendingCookie, cookie};

/// Paths answered without the shopper's session.
const SESSIONLESS: &[&str] = &["/static/", "/health", "/api/"];

pub async fn guard_sessions(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if SESSIONLESS
        .iter()
        .any(|prefix| req.path().starts_with(prefix))
    {
        req.headers_mut().remove(COOKIE);
    }
    let mut res = next.call(req).await?;
    let pending = res.request().extensions().get::<PendingCookie>().cloned();
    let config = res.request().app_data::<web::Data<CsrfConfig>>().cloned();
    if let (Some(PendingCookie(nonce)), Some(config)) = (pending, config)
        && let Ok(value) = HeaderValue::from_str(&cookie(&config, nonce).to_string())
    {
        res.headers_mut().append(SET_COOKIE, value);
    }
    Ok(res)
}

/// Whether a `Set-Cookie` value sets the session cookie or the CSRF cookie (under either of
/// their names): the cookies a framed page needs.
pub fn is_session_cookie(set_cookie: &str) -> bool {
    let name = set_cookie.strip_prefix("__Host-").unwrap_or(set_cookie);
    [COOKIE_NAME, CSRF_COOKIE_NAME]
        .iter()
        .any(|cookie| name.starts_with(cookie) && name[cookie.len()..].starts_with('='))
}
