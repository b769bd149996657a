//! The API's errors as Voucherly answers them: problem details (RFC 7807 members, served as
//! `application/json` as openapi.yaml's `responses` declare) with `type`, `title`, `status`,
//! `detail`, and where documented a `code`, the failing `parameter` or the payment's status;
//! never an `errors` map.
//!
//! Sources: `docs/api/general/errors.mdx`; the 400 examples (`VALIDATION_ERROR`,
//! `RESOURCE_MISSING` with `parameter`) and the 409 `PaymentConflictProblemDetails`
//! (`INVALID_STATUS`, `ALREADY_CONFIRMED`, `paymentStatus`) of
//! `docs/api/webapi/{create,confirm,refund}-payment.StatusCodes.json`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Map, Value, json};

use super::wire::Status;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    NotFound(String),
    #[error("this route does not take that method")]
    MethodNotAllowed,
    /// A 400 with its `code` (`VALIDATION_ERROR`, `RESOURCE_MISSING`) and failing `parameter`.
    #[error("{detail}")]
    Invalid {
        code: &'static str,
        parameter: Option<String>,
        detail: String,
    },
    /// A 409: the payment's status does not allow the operation.
    #[error("{detail}")]
    Conflict {
        code: &'static str,
        status: Status,
        detail: String,
    },
    /// A POST whose body is not JSON.
    #[error("the request body must be JSON, sent with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("the Voucherly sandbox failed unexpectedly")]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    pub fn validation(parameter: &str, detail: impl Into<String>) -> Self {
        Self::Invalid {
            code: "VALIDATION_ERROR",
            parameter: Some(parameter.to_owned()),
            detail: detail.into(),
        }
    }

    /// A referenced entity that does not exist: a 400, "unlike a 404 NOT FOUND"
    /// (create-payment.StatusCodes.json, example `ResourceMissing`).
    pub fn missing(parameter: &str, value: &str) -> Self {
        Self::Invalid {
            code: "RESOURCE_MISSING",
            parameter: Some(parameter.to_owned()),
            detail: format!("No such {parameter}: '{value}'."),
        }
    }

    pub fn invalid_status(status: Status, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code: "INVALID_STATUS",
            status,
            detail: detail.into(),
        }
    }

    fn title(&self) -> String {
        match self {
            Self::Invalid {
                code: "RESOURCE_MISSING",
                parameter,
                ..
            } => {
                format!("{} not found.", parameter.as_deref().unwrap_or("Resource"))
            }
            Self::Invalid { .. } => "One or more validation errors occurred.".into(),
            Self::Conflict {
                code: "ALREADY_CONFIRMED",
                ..
            } => "This operation is already processed.".into(),
            Self::Conflict { .. } => {
                "This operation cannot be processed because payment is in an invalid status.".into()
            }
            Self::Unauthorized(_) => "Unauthorized".into(),
            Self::NotFound(_) => "Not Found".into(),
            Self::MethodNotAllowed => "Method Not Allowed".into(),
            Self::UnsupportedMediaType => "Unsupported Media Type".into(),
            Self::Unexpected(_) => "An error occurred while processing your request.".into(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Invalid { .. } => StatusCode::BAD_REQUEST,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Unexpected(cause) = self {
            tracing::error!(error = ?cause, "the Voucherly sandbox API failed");
        }
        let status = self.status_code();
        let mut body = Map::new();
        body.insert(
            "type".into(),
            json!(format!(
                "https://tools.ietf.org/html/rfc9110#section-15.{}",
                rfc9110_section(status)
            )),
        );
        body.insert("title".into(), json!(self.title()));
        body.insert("status".into(), json!(status.as_u16()));
        body.insert("detail".into(), json!(self.to_string()));
        match self {
            Self::Invalid {
                code, parameter, ..
            } => {
                body.insert("code".into(), json!(code));
                body.insert("parameter".into(), json!(parameter));
            }
            Self::Conflict {
                code,
                status: payment_status,
                ..
            } => {
                body.insert("code".into(), json!(code));
                body.insert("paymentStatus".into(), json!(payment_status));
            }
            _ => {}
        }
        // openapi.yaml declares every error body `application/json` (not problem+json).
        HttpResponse::build(status)
            .content_type("application/json")
            .body(Value::Object(body).to_string())
    }
}

fn rfc9110_section(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "5.1",
        401 => "5.2",
        404 => "5.5",
        405 => "5.6",
        409 => "5.10",
        415 => "5.16",
        _ => "6.1",
    }
}

/// Reads a JSON body into `T`. The POSTs of the API take JSON: another `Content-Type` is a 415
/// (stricter than silence where the documents do not say; ASP.NET, which Voucherly's problem
/// details come from, answers so). A body that does not fit is a 400 `VALIDATION_ERROR`
/// naming the field when serde can.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, ApiError> {
    let is_json = content_type
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json" || mime.ends_with("+json")
        });
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    serde_json::from_slice(body).map_err(|error| {
        let message = error.to_string();
        let parameter = message
            .split('`')
            .nth(1)
            .filter(|_| message.contains("field"))
            .unwrap_or("body");
        ApiError::validation(
            parameter,
            format!("The request body is not valid: {message}"),
        )
    })
}

pub fn payment_not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("Entity \"Payment\" ({id}) was not found."))
}

pub fn customer_not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("Entity \"Customer\" ({id}) was not found."))
}
