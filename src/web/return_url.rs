//! The store's return URL: where "back to the store" leads. It must be an absolute http(s) URL
//! on one of the store's configured origins, so a link of ours can never send a shopper to
//! someone else's site.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use reqwest::Url;

/// Longer than any sane shop URL, short enough to keep in a session.
const MAX_LEN: usize = 2048;

/// How many checked return URLs are remembered before all are forgotten.
const REMEMBERED: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReturnUrlError {
    #[error("must be an absolute http or https URL of at most {MAX_LEN} characters")]
    NotAnHttpUrl,
    #[error("must not carry a user name or password")]
    HasCredentials,
    #[error(
        "is not on an origin of the store: none are configured (set VOUCHERLY_ACCOUNT_STORE_ORIGINS)"
    )]
    NoOrigins,
    #[error("is on {origin}, which is not an origin of the store; allowed: {allowed}")]
    ForeignOrigin { origin: String, allowed: String },
}

/// `text` as a URL the shopper may be sent back to.
pub fn check_return_url(text: &str, origins: &[String]) -> Result<Url, ReturnUrlError> {
    if text.len() > MAX_LEN {
        return Err(ReturnUrlError::NotAnHttpUrl);
    }
    let url = Url::parse(text).map_err(|_| ReturnUrlError::NotAnHttpUrl)?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ReturnUrlError::NotAnHttpUrl);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ReturnUrlError::HasCredentials);
    }
    if origins.is_empty() {
        return Err(ReturnUrlError::NoOrigins);
    }
    let origin = url.origin().ascii_serialization();
    if !origins.contains(&origin) {
        return Err(ReturnUrlError::ForeignOrigin {
            origin,
            allowed: origins.join(", "),
        });
    }
    Ok(url)
}

/// Return URLs already checked against the store's origins, which do not change while the
/// process runs: every page shows "back to the store" without parsing its URL again.
#[derive(Default)]
pub struct CheckedReturnUrls(Mutex<HashMap<String, bool>>);

impl CheckedReturnUrls {
    /// Whether `url` passes [`check_return_url`] with `origins` (always the same ones).
    pub fn allowed(&self, url: &str, origins: &[String]) -> bool {
        if let Some(&allowed) = self.lock().get(url) {
            return allowed;
        }
        let allowed = check_return_url(url, origins).is_ok();
        let mut checked = self.lock();
        if checked.len() >= REMEMBERED {
            checked.clear();
        }
        checked.insert(url.to_owned(), allowed);
        allowed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, bool>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins() -> Vec<String> {
        vec!["https://shop.example".to_owned()]
    }

    #[test]
    fn a_url_on_a_store_origin_is_accepted() {
        let url = check_return_url("https://shop.example/account?x=1", &origins()).unwrap();
        assert_eq!(url.as_str(), "https://shop.example/account?x=1");
    }

    #[test]
    fn anything_that_could_lead_elsewhere_is_refused() {
        for text in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "//evil.example/",
            "/relative",
            "https://evil.example/",
            "https://shop.example.evil.example/",
            "http://shop.example/",
            "https://shop.example:8443/",
            "https://user@shop.example/",
        ] {
            assert!(check_return_url(text, &origins()).is_err(), "{text}");
        }
    }

    #[test]
    fn without_origins_nothing_is_accepted() {
        assert_eq!(
            check_return_url("https://shop.example/", &[]),
            Err(ReturnUrlError::NoOrigins)
        );
    }

    #[test]
    fn remembered_answers_are_the_checks_answers() {
        let checked = CheckedReturnUrls::default();
        let cases = [
            ("https://shop.example/account?x=1", true),
            ("https://evil.example/", false),
            ("https://user:pw@shop.example/", false),
            ("javascript:alert(1)", false),
        ];
        // Past the memory's size too, so that forgetting is exercised.
        for round in 0..2 {
            for n in 0..REMEMBERED + 3 {
                let url = format!("https://shop.example/p{n}");
                assert!(checked.allowed(&url, &origins()), "{url}, round {round}");
            }
            for (url, allowed) in cases {
                assert_eq!(checked.allowed(url, &origins()), allowed, "{url}");
                assert_eq!(
                    checked.allowed(url, &origins()),
                    allowed,
                    "{url}, remembered"
                );
                assert_eq!(check_return_url(url, &origins()).is_ok(), allowed, "{url}");
            }
        }
    }
}
