//! The API's errors: each becomes a status code and a JSON body `{"message": "..."}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("a Voucherly-API-Key header with a sandbox key (sk_sandbox_...) is required")]
    Unauthorized,
    #[error("{0}")]
    NotFound(String),
    #[error("this route does not take that method")]
    MethodNotAllowed,
    /// The caller's mistake: a body that does not parse or breaks a rule.
    #[error("{0}")]
    BadRequest(String),
    /// The payment is not in a state that allows the operation.
    #[error("{0}")]
    Conflict(String),
    #[error("the Voucherly sandbox failed unexpectedly")]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    message: &'a str,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Unexpected(cause) = self {
            tracing::error!(error = ?cause, "the Voucherly sandbox API failed");
        }
        let message = self.to_string();
        HttpResponse::build(self.status_code()).json(ErrorBody { message: &message })
    }
}

/// Parses a JSON body, answering 400 with serde's explanation when it does not fit.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|error| ApiError::BadRequest(format!("the body is not valid JSON here: {error}")))
}

pub fn payment_not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no payment has id {id}"))
}

pub fn customer_not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no customer has id {id}"))
}
