//! Turns every error response that is not already a page or JSON (a handler's `PageError`, an
//! unknown URL, a malformed form) into a readable page in the shopper's language.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use askama::Template;

use super::errors::ErrorReference;
use super::render::PageContext;
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageContext,
    message: &'static str,
    reference: Option<String>,
}

pub fn error_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render_error_page)
}

fn render_error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let already_rendered = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            // Problem details from the embedded sandbox (application/json) or another source.
            ["text/html", "application/json", "application/problem+json"]
                .iter()
                .any(|rendered| v.starts_with(rendered))
        });
    if already_rendered || res.status().is_redirection() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let reference = res
        .response()
        .extensions()
        .get::<ErrorReference>()
        .map(|r| r.0.clone());
    let lang = Lang::of(res.request());
    let t = lang.texts();
    let message = match status {
        StatusCode::BAD_REQUEST => t.error_bad_request,
        StatusCode::FORBIDDEN if res.request().method() == actix_web::http::Method::POST => {
            t.error_csrf
        }
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => t.error_forbidden,
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => t.error_not_found,
        StatusCode::PAYLOAD_TOO_LARGE => t.error_too_large,
        StatusCode::TOO_MANY_REQUESTS => t.error_too_many,
        StatusCode::SERVICE_UNAVAILABLE => t.error_unavailable,
        s if s.is_client_error() => t.error_bad_request,
        _ => t.error_unexpected,
    };
    let page = ErrorPage {
        page: PageContext::minimal(res.request(), lang),
        message,
        reference,
    };
    let html = page.render().unwrap_or_else(|_| message.to_owned());
    let (req, res) = res.into_parts();
    let mut res = res.set_body(BoxBody::new(html));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, res).map_into_right_body(),
    ))
}
