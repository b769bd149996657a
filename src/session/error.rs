//! What can go wrong with a session, for the page layer to answer: a form without this
//! session's CSRF token, a session that could not be written, or no shopper signed in.

use actix_session::SessionInsertError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("the form's CSRF token is missing or wrong")]
    Csrf,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<SessionInsertError> for SessionError {
    fn from(error: SessionInsertError) -> Self {
        Self::Unexpected(anyhow::anyhow!("could not write the session: {error}"))
    }
}

/// No shopper is signed in: the browser is sent to the start page.
#[derive(Debug, thiserror::Error)]
#[error("no shopper is signed in")]
pub struct NotSignedIn;

impl ResponseError for NotSignedIn {
    fn status_code(&self) -> StatusCode {
        StatusCode::SEE_OTHER
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/"))
            .finish()
    }
}
