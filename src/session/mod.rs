//! The shopper's session: who is signed in, their CSRF token and chosen language, behind a typed
//! wrapper so no handler touches raw session keys. State lives server-side (see `store`), which
//! also ends a session after its idle time and maximum age, for every request that reads one.
//! Visitors who are not signed in get no session until they choose something worth keeping
//! (a language); their forms are protected by a signed double-submit cookie (see `csrf`).

mod cache;
mod config;
mod csrf;
mod error;
mod feed;
mod guard;
mod lifetimes;
mod packed;
mod signed_in;
mod store;
mod sweeper;

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use subtle::ConstantTimeEq;

pub use config::SessionConfig;
pub use csrf::CsrfConfig;
pub use error::{NotSignedIn, SessionError};
pub use guard::{guard_sessions, is_session_cookie};
pub use lifetimes::Lifetimes;
pub use signed_in::SignedIn;
pub use store::StoredSessions;
pub use sweeper::{Swept, spawn_sweeper};

use crate::domain::{Clock, SystemClock};
use crate::i18n::Lang;
use crate::storage::fault::Fault;

const SHOPPER_ID: &str = "shopper_id";
const SIGNED_IN_AT: &str = "signed_in_at";
const CSRF_TOKEN: &str = "csrf_token";
const LANG: &str = "lang";
const RETURN_URL: &str = "return_url";

/// Name of the session cookie over plain HTTP; over HTTPS it gets the `__Host-` prefix, so no
/// other site (not even a sibling subdomain) can set it.
pub const COOKIE_NAME: &str = "va_session";

/// The session cookie's name for an app served over HTTPS (`https`) or not.
pub fn cookie_name(https: bool, secure: bool) -> String {
    if https && secure {
        format!("__Host-{COOKIE_NAME}")
    } else {
        COOKIE_NAME.to_owned()
    }
}

pub struct ShopperSession(Session, HttpRequest);

impl ShopperSession {
    pub fn of(req: &HttpRequest) -> Self {
        Self(req.get_session(), req.clone())
    }

    /// Signs `shopper_id` in under a fresh session key, with a fresh CSRF token, keeping only
    /// the chosen language from before.
    pub fn sign_in(&self, shopper_id: i64) -> Result<(), SessionError> {
        let lang = self.lang();
        self.0.clear();
        self.0.renew();
        self.0.insert(SHOPPER_ID, shopper_id)?;
        self.0.insert(SIGNED_IN_AT, SystemClock.now())?;
        self.0.insert(CSRF_TOKEN, new_token()?)?;
        if let Some(lang) = lang {
            self.0.insert(LANG, lang.code())?;
        }
        Ok(())
    }

    /// Ends the session: its state is deleted on the server. The browser gets a new session
    /// keeping only the chosen language, or, without one, none at all.
    pub fn sign_out(&self) {
        match self.lang() {
            Some(lang) => {
                self.0.clear();
                self.0.renew();
                let _ = self.0.insert(LANG, lang.code());
            }
            None => self.0.purge(),
        }
    }

    /// When the session layer could not read the session: the fault (if a database fault) and
    /// the cause, for the error page and the log.
    pub fn unreadable(&self) -> Option<(Option<Fault>, String)> {
        let cause: String = self.0.get(store::UNREADABLE).ok().flatten()?;
        let fault = match self
            .0
            .get::<String>(store::UNREADABLE_FAULT)
            .ok()
            .flatten()
            .as_deref()
        {
            Some("busy") => Some(Fault::Busy),
            Some("not_writable") => Some(Fault::NotWritable),
            _ => None,
        };
        Some((fault, cause))
    }

    pub fn shopper_id(&self) -> Option<i64> {
        self.0.get(SHOPPER_ID).ok().flatten()
    }

    /// When the shopper signed in, in Unix seconds.
    pub fn signed_in_at(&self) -> Option<i64> {
        self.0.get(SIGNED_IN_AT).ok().flatten()
    }

    /// The CSRF token for this browser's forms: the signed-in session's own, else the one of
    /// the double-submit cookie (made on first use, with no session row).
    pub fn csrf_token(&self) -> Result<String, SessionError> {
        if let Some(token) = self.0.get::<String>(CSRF_TOKEN).ok().flatten() {
            return Ok(token);
        }
        if self.shopper_id().is_some() {
            let token = new_token()?;
            self.0.insert(CSRF_TOKEN, &token)?;
            return Ok(token);
        }
        Ok(csrf::token(&self.1)?)
    }

    /// Refuses a form whose token is not this session's (or, without one, this browser's).
    pub fn check_csrf(&self, submitted: &str) -> Result<(), SessionError> {
        let valid = match self.0.get::<String>(CSRF_TOKEN).ok().flatten() {
            Some(expected) => bool::from(expected.as_bytes().ct_eq(submitted.as_bytes())),
            None => self.shopper_id().is_none() && csrf::check(&self.1, submitted),
        };
        if valid {
            Ok(())
        } else {
            Err(SessionError::Csrf)
        }
    }

    pub fn lang(&self) -> Option<Lang> {
        self.0
            .get::<String>(LANG)
            .ok()
            .flatten()
            .and_then(|code| Lang::from_code(&code))
    }

    pub fn set_lang(&self, lang: Lang) -> Result<(), SessionError> {
        Ok(self.0.insert(LANG, lang.code())?)
    }

    /// Where "back to the store" leads, as the store gave it in the hand-over that signed the
    /// shopper in. Check its origin before showing it: the store's origins may have changed.
    pub fn return_url(&self) -> Option<String> {
        self.0.get(RETURN_URL).ok().flatten()
    }

    pub fn set_return_url(&self, url: &str) -> Result<(), SessionError> {
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
pub fn new_token() -> Result<String, SessionError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| SessionError::Unexpected(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(hex(&bytes))
}

/// `bytes` in lowercase hex digits, each pushed straight in (`hex::encode` assembles its string
/// character by character through an iterator: ten times the instructions, on every page).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn hex_writes_what_the_hex_crate_writes(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            prop_assert_eq!(super::hex(&bytes), hex::encode(&bytes));
        }
    }
}
