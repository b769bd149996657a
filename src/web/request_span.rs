//! The root span of every request, as tracing-actix-web makes it, except that a hand-over
//! link's token never reaches the log: a token in a log line would be a way into an account.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

/// Paths whose last segment is a secret.
const SECRET_PATH_PREFIXES: &[&str] = &["/handover/"];

pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let path = request.path();
        let Some(prefix) = SECRET_PATH_PREFIXES
            .iter()
            .find(|prefix| path.starts_with(**prefix))
        else {
            return DefaultRootSpanBuilder::on_request_start(request);
        };
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.target = %format!("{prefix}[redacted]"),
            request_id = %request_id,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
