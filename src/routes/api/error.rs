//! The store API's errors: a status, a stable machine-readable code and a message that says
//! what to do, as `{"error": {"code": "...", "message": "..."}}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

/// Every `code` the store API answers. A new code is added here, or the generated document (and
/// so Schemathesis) says the answer is not documented.
pub const CODES: &[&str] = &[
    "unauthorized",
    "invalid_request",
    "invalid_body",
    "not_found",
    "conflict",
    "method_not_allowed",
    "too_many_requests",
    "unavailable",
    "internal_error",
    "not_authorised",
    "voucherly_unavailable",
    "voucherly_refused",
    "amount_too_large",
    "order_not_paid",
    "order_not_captured",
    "order_paid",
    "order_authorised",
    "order_not_payable",
];

/// Every error of the store API.
#[derive(Serialize, ToSchema)]
#[schema(as = Error, example = json!({
    "error": {"code": "invalid_request", "message": "lines[0].quantity: must be at least 1"}
}))]
pub struct ErrorJson {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs.
    #[schema(schema_with = code_schema)]
    code: &'static str,
    /// For people: names the field at fault, says what to do.
    message: String,
}

fn code_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("Stable, for programs."))
        .enum_values(Some(CODES.iter().copied()))
        .build()
}

#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Seconds to wait before retrying, sent as `Retry-After`.
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Too many requests of one kind from one client: retry after `retry_after` seconds.
    pub fn too_many(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("too many requests; retry after {retry_after} seconds"),
            )
        }
    }

    /// A service we depend on cannot answer now: retry after `retry_after` seconds.
    pub fn unavailable(message: impl Into<String>, retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// A failure of ours: logged with its cause, answered with a reference only.
    pub fn unexpected(cause: anyhow::Error) -> Self {
        let reference = crate::web::new_reference();
        let fault = crate::storage::fault::of(&cause);
        tracing::error!(reference, fault = ?fault, error = ?cause, "store API request failed");
        match fault {
            Some(fault) => Self {
                retry_after: Some(u64::from(fault.retry_after())),
                ..Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    format!(
                        "the database is busy or read-only; retry later (reference {reference})"
                    ),
                )
            },
            None => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                format!("something went wrong on our side; retry later (reference {reference})"),
            ),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(cause: anyhow::Error) -> Self {
        Self::unexpected(cause)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if let Some(seconds) = self.retry_after {
            response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(ErrorJson {
            error: ErrorDetail {
                code: self.code,
                message: self.message.clone(),
            },
        })
    }
}

/// Bodies up to 64 KiB; a malformed one is a 400 that says where it went wrong.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(64 * 1024)
        .error_handler(|error, _| {
            let status = match &error {
                actix_web::error::JsonPayloadError::OverflowKnownLength { .. }
                | actix_web::error::JsonPayloadError::Overflow { .. } => {
                    StatusCode::PAYLOAD_TOO_LARGE
                }
                actix_web::error::JsonPayloadError::ContentType => {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE
                }
                _ => StatusCode::BAD_REQUEST,
            };
            ApiError::new(
                status,
                "invalid_body",
                format!("the JSON body is not valid: {error}"),
            )
            .into()
        })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|error, _| ApiError::invalid(format!("invalid path: {error}")).into())
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _| {
        ApiError::invalid(format!("invalid query string: {error}")).into()
    })
}
