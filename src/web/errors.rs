//! The error a page handler returns. The shopper sees a readable page (rendered by
//! `error_page`) with, for the unexpected, a reference they can quote; the log gets the cause.

use actix_session::SessionInsertError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

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
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// The reference shown on a 500 page and written in the log next to the cause.
#[derive(Debug, Clone)]
pub struct ErrorReference(pub String);

impl From<SessionInsertError> for PageError {
    fn from(error: SessionInsertError) -> Self {
        Self::Unexpected(anyhow::anyhow!("could not write the session: {error}"))
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotSignedIn => StatusCode::SEE_OTHER,
            Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        match self {
            Self::NotSignedIn => response.insert_header((header::LOCATION, "/")).finish(),
            Self::Unexpected(cause) => {
                let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
                tracing::error!(reference, error = ?cause, "request failed");
                let mut response = response.finish();
                response.extensions_mut().insert(ErrorReference(reference));
                response
            }
            Self::Csrf | Self::NotFound | Self::BadRequest(_) => {
                tracing::info!(error = %self, "request refused");
                response.finish()
            }
        }
    }
}
