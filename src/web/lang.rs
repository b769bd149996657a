//! The language a request is answered in, decided here, where the session is read: the one the
//! shopper chose, else the first one their browser asks for that we have, else Italian.

use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{HttpMessage, HttpRequest};

use crate::i18n::{Lang, from_accept_language};
use crate::session::ShopperSession;

/// The language the shopper chose, as read from the session when the request came in: the
/// error pages, rendered after the session layer has taken the session back, still know it.
#[derive(Debug, Clone, Copy)]
pub struct ChosenLang(pub Lang);

impl Lang {
    /// The language `req` should be answered in.
    pub fn of(req: &HttpRequest) -> Self {
        ShopperSession::of(req)
            .lang()
            .or_else(|| req.extensions().get::<ChosenLang>().map(|chosen| chosen.0))
            .or_else(|| {
                let header = req.headers().get(ACCEPT_LANGUAGE)?.to_str().ok()?;
                from_accept_language(header)
            })
            .unwrap_or_default()
    }
}
