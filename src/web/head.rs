//! `HEAD` is answered wherever `GET` is: routed as a `GET`, and the server leaves the body out.
//! Done by the request span's layer (see `request_span`) once the span has noted the method as
//! sent, rather than by a layer of its own: one boxed future less on every request.

use actix_web::dev::ServiceRequest;
use actix_web::http::Method;

/// Routes a `HEAD` request as the `GET` it stands for.
pub fn head_as_get(req: &mut ServiceRequest) {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
}
