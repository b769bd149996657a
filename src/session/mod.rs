//! The shopper's session: who is signed in, their CSRF token and chosen language, behind a typed
//! wrapper so no handler touches raw session keys. State lives server-side (see `store`); a
//! session ends after an idle time (the store's TTL) and a maximum age (`SignedIn`).

mod signed_in;
mod store;

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use subtle::ConstantTimeEq;

pub use signed_in::SignedIn;
pub use store::SqliteSessionStore;

use crate::i18n::Lang;
use crate::web::PageError;

const SHOPPER_ID: &str = "shopper_id";
const SIGNED_IN_AT: &str = "signed_in_at";
const CSRF_TOKEN: &str = "csrf_token";
const LANG: &str = "lang";
const RETURN_URL: &str = "return_url";

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "va_session";

pub struct ShopperSession(Session);

impl ShopperSession {
    pub fn of(req: &HttpRequest) -> Self {
        Self(req.get_session())
    }

    /// Signs `shopper_id` in under a fresh session key, with a fresh CSRF token, keeping only
    /// the chosen language from before.
    pub fn sign_in(&self, shopper_id: i64) -> Result<(), PageError> {
        let lang = self.lang();
        self.0.clear();
        self.0.renew();
        self.0.insert(SHOPPER_ID, shopper_id)?;
        self.0.insert(SIGNED_IN_AT, crate::storage::now())?;
        self.0.insert(CSRF_TOKEN, new_token()?)?;
        if let Some(lang) = lang {
            self.0.insert(LANG, lang.code())?;
        }
        Ok(())
    }

    /// Ends the session: its state is deleted on the server and the browser gets a new, empty
    /// one that keeps only the chosen language.
    pub fn sign_out(&self) {
        let lang = self.lang();
        self.0.clear();
        self.0.renew();
        if let Some(lang) = lang {
            let _ = self.0.insert(LANG, lang.code());
        }
    }

    pub fn shopper_id(&self) -> Option<i64> {
        self.0.get(SHOPPER_ID).ok().flatten()
    }

    /// When the shopper signed in, in Unix seconds.
    pub fn signed_in_at(&self) -> Option<i64> {
        self.0.get(SIGNED_IN_AT).ok().flatten()
    }

    /// The session's CSRF token, created on first use.
    pub fn csrf_token(&self) -> Result<String, PageError> {
        if let Some(token) = self.0.get::<String>(CSRF_TOKEN).ok().flatten() {
            return Ok(token);
        }
        let token = new_token()?;
        self.0.insert(CSRF_TOKEN, &token)?;
        Ok(token)
    }

    /// Refuses a form whose token is not this session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), PageError> {
        let expected = self.0.get::<String>(CSRF_TOKEN).ok().flatten();
        match expected {
            Some(expected) if bool::from(expected.as_bytes().ct_eq(submitted.as_bytes())) => Ok(()),
            _ => Err(PageError::Csrf),
        }
    }

    pub fn lang(&self) -> Option<Lang> {
        self.0
            .get::<String>(LANG)
            .ok()
            .flatten()
            .and_then(|code| Lang::from_code(&code))
    }

    pub fn set_lang(&self, lang: Lang) -> Result<(), PageError> {
        Ok(self.0.insert(LANG, lang.code())?)
    }

    /// Where "back to the store" leads, as the store gave it in the hand-over that signed the
    /// shopper in. Check its origin before showing it: the store's origins may have changed.
    pub fn return_url(&self) -> Option<String> {
        self.0.get(RETURN_URL).ok().flatten()
    }

    pub fn set_return_url(&self, url: &str) -> Result<(), PageError> {
        Ok(self.0.insert(RETURN_URL, url)?)
    }
}

impl FromRequest for ShopperSession {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

/// 32 random bytes, hex-encoded.
pub fn new_token() -> Result<String, PageError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| PageError::Unexpected(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}
