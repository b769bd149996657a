//! The `SignedIn` extractor: a shopper is signed in. The session store has already ended a
//! session past its idle time or maximum age, so a session that is here is alive.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload};

use super::{NotSignedIn, ShopperSession};

/// A handler argument that only exists when a shopper is signed in; otherwise the browser is
/// sent to the start page.
pub struct SignedIn {
    pub shopper_id: i64,
    pub session: ShopperSession,
}

impl FromRequest for SignedIn {
    type Error = NotSignedIn;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = ShopperSession::of(req);
        ready(match session.shopper_id() {
            Some(shopper_id) => {
                // The request span's field: a page needs no span of its own to show it.
                tracing::Span::current().record("shopper_id", shopper_id);
                Ok(SignedIn {
                    shopper_id,
                    session,
                })
            }
            None => Err(NotSignedIn),
        })
    }
}
