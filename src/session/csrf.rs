//! CSRF tokens for visitors who are not signed in, without a session row: a signed double-submit
//! cookie. The browser keeps a random nonce in a cookie of its own; the form carries an HMAC of
//! it under the app's secret. Another site can neither read the cookie nor compute the token.
//! Signed-in shoppers use the token kept in their session instead.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpMessage, HttpRequest, web};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The cookie's name over plain HTTP; over HTTPS it gets the `__Host-` prefix.
pub const CSRF_COOKIE_NAME: &str = "va_csrf";

/// The secret and the cookie's name and flags, shared by every worker.
pub struct CsrfConfig {
    /// The HMAC already keyed with the secret: keying it costs as much as signing a nonce.
    mac: Hmac<Sha256>,
    pub cookie_name: String,
    pub secure: bool,
    pub same_site: SameSite,
}

impl CsrfConfig {
    /// `secret` is derived from the session key; `https` turns on the `__Host-` name.
    pub fn new(
        secret: &[u8],
        https: bool,
        secure: bool,
        same_site: SameSite,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            mac: Hmac::<Sha256>::new_from_slice(secret)
                .map_err(|e| anyhow::anyhow!("the CSRF secret is unusable: {e}"))?,
            cookie_name: if https && secure {
                format!("__Host-{CSRF_COOKIE_NAME}")
            } else {
                CSRF_COOKIE_NAME.to_owned()
            },
            secure,
            same_site,
        })
    }

    fn token_for(&self, nonce: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(b"csrf:");
        mac.update(nonce.as_bytes());
        super::hex(&mac.finalize().into_bytes())
    }
}

/// A nonce made during this request, whose cookie the response must set.
#[derive(Clone)]
pub struct PendingCookie(pub String);

fn config(req: &HttpRequest) -> Option<&CsrfConfig> {
    req.app_data::<web::Data<CsrfConfig>>().map(|c| c.get_ref())
}

fn nonce_in_cookie(req: &HttpRequest, config: &CsrfConfig) -> Option<String> {
    let cookie = req.cookie(&config.cookie_name)?;
    let nonce = cookie.value();
    (nonce.len() == 64 && nonce.bytes().all(|b| b.is_ascii_hexdigit())).then(|| nonce.to_owned())
}

/// The token for this browser's forms, making its cookie on first use.
pub fn token(req: &HttpRequest) -> anyhow::Result<String> {
    let config = config(req).ok_or_else(|| anyhow::anyhow!("no CSRF configuration"))?;
    let pending = req.extensions().get::<PendingCookie>().map(|p| p.0.clone());
    let nonce = match nonce_in_cookie(req, config).or(pending) {
        Some(nonce) => nonce,
        None => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
            let nonce = super::hex(&bytes);
            req.extensions_mut().insert(PendingCookie(nonce.clone()));
            nonce
        }
    };
    Ok(config.token_for(&nonce))
}

/// Whether `submitted` is the token of this browser's cookie.
pub fn check(req: &HttpRequest, submitted: &str) -> bool {
    let Some(config) = config(req) else {
        return false;
    };
    nonce_in_cookie(req, config).is_some_and(|nonce| {
        bool::from(
            config
                .token_for(&nonce)
                .as_bytes()
                .ct_eq(submitted.as_bytes()),
        )
    })
}

/// The `Set-Cookie` for a nonce made during the request.
pub fn cookie(config: &CsrfConfig, nonce: String) -> Cookie<'static> {
    let mut cookie = Cookie::new(config.cookie_name.clone(), nonce);
    cookie.set_path("/");
    cookie.set_http_only(true);
    cookie.set_secure(config.secure);
    cookie.set_same_site(config.same_site);
    cookie
}
