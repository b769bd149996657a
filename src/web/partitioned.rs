//! When the pages may be framed, the session cookie is also marked `Partitioned` (CHIPS): a
//! browser that blocks third-party cookies still keeps a partitioned one, kept apart for each
//! store site that frames the pages. actix-session cannot set the attribute itself.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, SET_COOKIE};
use actix_web::middleware::Next;

use crate::session::is_session_cookie as sets_session_cookie;

pub async fn partition_session_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let cookies: Vec<HeaderValue> = headers.get_all(SET_COOKIE).cloned().collect();
    if cookies.iter().any(is_session_cookie) {
        headers.remove(SET_COOKIE);
        for cookie in cookies {
            headers.append(SET_COOKIE, partitioned(cookie));
        }
    }
    Ok(res)
}

fn is_session_cookie(cookie: &HeaderValue) -> bool {
    cookie.to_str().is_ok_and(sets_session_cookie)
}

fn partitioned(cookie: HeaderValue) -> HeaderValue {
    let Ok(text) = cookie.to_str() else {
        return cookie;
    };
    if !is_session_cookie(&cookie) || text.contains("Partitioned") {
        return cookie;
    }
    HeaderValue::from_str(&format!("{text}; Partitioned")).unwrap_or(cookie)
}
