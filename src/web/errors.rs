//! The error a page handler returns. The shopper sees a readable page (rendered by
//! `error_page`) with, for the unexpected, a reference they can quote; the log gets the cause.

use actix_session::SessionInsertError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use super::faults::fault_response;
use crate::session::SessionError;
use crate::storage::fault;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("no shopper is signed in")]
    NotSignedIn,
    #[error("the form's CSRF token is missing or wrong")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("too many attempts; retry after {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// A short random id, shown to the shopper and written in the log next to the cause.
pub fn new_reference() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

/// The reference shown on a 500 page and written in the log next to the cause.
#[derive(Debug, Clone)]
pub struct ErrorReference(pub String);

impl From<SessionInsertError> for PageError {
    fn from(error: SessionInsertError) -> Self {
        Self::Unexpected(anyhow::anyhow!("could not write the session: {error}"))
    }
}

impl From<SessionError> for PageError {
    fn from(error: SessionError) -> Self {
        match error {
            SessionError::Csrf => Self::Csrf,
            SessionError::Unexpected(cause) => Self::Unexpected(cause),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotSignedIn => StatusCode::SEE_OTHER,
            Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unexpected(cause) if fault::of(cause).is_some() => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        match self {
            Self::NotSignedIn => response.insert_header((header::LOCATION, "/")).finish(),
            Self::Unexpected(cause) => {
                let reference = new_reference();
                let fault = fault::of(cause);
                tracing::error!(reference, fault = ?fault, error = ?cause, "request failed");
                fault_response(fault, reference)
            }
            Self::TooManyRequests { retry_after } => {
                tracing::info!(error = %self, "request refused");
                response
                    .insert_header((header::RETRY_AFTER, retry_after.to_string()))
                    .finish()
            }
            Self::Csrf | Self::NotFound | Self::BadRequest(_) => {
                tracing::info!(error = %self, "request refused");
                response.finish()
            }
        }
    }
}
