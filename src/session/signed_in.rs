//! The `SignedIn` extractor: a shopper is signed in, and their session is not older than the
//! maximum age, whatever the cookie says.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::ShopperSession;
use crate::state::AppState;
use crate::web::PageError;

/// A handler argument that only exists when a shopper is signed in; otherwise the browser is
/// sent to the start page. A session past its maximum age is ended here.
pub struct SignedIn {
    pub shopper_id: i64,
    pub session: ShopperSession,
}

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(check(req))
    }
}

fn check(req: &HttpRequest) -> Result<SignedIn, PageError> {
    let session = ShopperSession::of(req);
    let shopper_id = session.shopper_id().ok_or(PageError::NotSignedIn)?;
    let max_age = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.session_max_age)
        .ok_or_else(|| PageError::Unexpected(anyhow::anyhow!("no application state")))?;
    // A session without a sign-in time predates it being recorded: too old to trust.
    let fresh = session
        .signed_in_at()
        .is_some_and(|at| at.saturating_add(max_age) >= crate::storage::now());
    if !fresh {
        tracing::info!(shopper_id, "the session reached its maximum age");
        session.sign_out();
        return Err(PageError::NotSignedIn);
    }
    Ok(SignedIn {
        shopper_id,
        session,
    })
}
