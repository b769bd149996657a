//! The root span of every request, with the fields tracing-actix-web's default span has (method,
//! route, target, host, client, user agent, status, error, and the request id that every log line
//! inside it shows), except that a hand-over link's token never reaches the log: a token in a log
//! line would be a way into an account.
//!
//! Every request opens this span, and most log nothing: so the id is a counter mixed under a
//! secret of the process (no system call, unlike a random UUID), and the other fields are worked
//! out only when a log format writes them (the JSON one; the text one shows the id alone).
//! Requests whose answer can log nothing (a built-in static file) are let through without one:
//! the span was a fifth of what such a request cost.

use std::fmt;
use std::future::{Future, Ready, ready};
use std::pin::Pin;

use actix_web::Error;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Version;
use tracing::{Instrument, Span};

use super::unique_id::UniqueId;

/// Paths whose last segment is a secret.
const SECRET_PATH_PREFIXES: &[&str] = &["/handover/"];

/// Opens the span around the rest of the app, outermost but for the metrics, then routes a
/// `HEAD` as a `GET` (see `head`). Requests for which `spanless` holds get neither.
pub struct RequestSpan {
    pub spanless: fn(&ServiceRequest) -> bool,
}

impl<S, B> Transform<S, ServiceRequest> for RequestSpan
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = RequestSpanService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequestSpanService {
            service,
            spanless: self.spanless,
        }))
    }
}

pub struct RequestSpanService<S> {
    service: S,
    spanless: fn(&ServiceRequest) -> bool,
}

impl<S, B> Service<ServiceRequest> for RequestSpanService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<ServiceResponse<B>, Error>>>>;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        if (self.spanless)(&req) {
            return Box::pin(self.service.call(req));
        }
        let span = open(&req, UniqueId::next());
        // After the span has the method as sent: a `HEAD` is logged as one.
        super::head::head_as_get(&mut req);
        let answer = span.in_scope(|| self.service.call(req));
        let outer = span.clone();
        Box::pin(
            async move {
                let outcome = answer.await;
                close(&span, &outcome);
                outcome
            }
            .instrument(outer),
        )
    }
}

/// The span of `req`, its fields as tracing-actix-web's default span names them.
fn open(req: &ServiceRequest, id: UniqueId) -> Span {
    let path = req.path();
    let secret = SECRET_PATH_PREFIXES
        .iter()
        .find(|prefix| path.starts_with(**prefix));
    let route = || req.match_pattern();
    let target = shown(|f| match secret {
        Some(prefix) => write!(f, "{prefix}[redacted]"),
        None => f.write_str(req.uri().path_and_query().map_or("", |p| p.as_str())),
    });
    tracing::info_span!(
        "HTTP request",
        http.method = %req.method(),
        http.route = %shown(|f| f.write_str(route().as_deref().unwrap_or("default"))),
        http.flavor = %shown(|f| f.write_str(flavor(req.version()))),
        http.scheme = %shown(|f| f.write_str(req.connection_info().scheme())),
        http.host = %shown(|f| f.write_str(req.connection_info().host())),
        http.client_ip = %shown(|f| {
            f.write_str(req.connection_info().realip_remote_addr().unwrap_or(""))
        }),
        http.user_agent = %shown(|f| f.write_str(
            req.headers()
                .get("User-Agent")
                .map_or("", |h| h.to_str().unwrap_or(""))
        )),
        http.target = %target,
        http.status_code = tracing::field::Empty,
        otel.name = %shown(|f| {
            write!(f, "HTTP {} {}", req.method(), route().as_deref().unwrap_or("default"))
        }),
        otel.kind = "server",
        otel.status_code = tracing::field::Empty,
        trace_id = tracing::field::Empty,
        request_id = %id,
        // Recorded by `session::SignedIn`, for a request of a signed-in shopper.
        shopper_id = tracing::field::Empty,
        // Recorded by the store API's order read.
        store_order_id = tracing::field::Empty,
        exception.message = tracing::field::Empty,
        exception.details = tracing::field::Empty,
    )
}

/// Records the answer's status, and the error's text when there is one.
fn close<B>(span: &Span, outcome: &Result<ServiceResponse<B>, Error>) {
    let (status, error) = match outcome {
        Ok(res) => (res.status(), res.response().error()),
        Err(error) => (error.as_response_error().status_code(), Some(error)),
    };
    if let Some(error) = error {
        span.record("exception.message", tracing::field::display(error));
        span.record("exception.details", tracing::field::debug(error));
    }
    span.record("http.status_code", status.as_u16());
    let ok = error.is_none() || status.is_client_error();
    span.record("otel.status_code", if ok { "OK" } else { "ERROR" });
}

fn flavor(version: Version) -> &'static str {
    match version {
        Version::HTTP_09 => "0.9",
        Version::HTTP_10 => "1.0",
        Version::HTTP_2 => "2.0",
        Version::HTTP_3 => "3.0",
        _ => "1.1",
    }
}

/// A field written only if a log line shows it.
struct Shown<F>(F);

fn shown<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result>(write: F) -> Shown<F> {
    Shown(write)
}

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for Shown<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}
