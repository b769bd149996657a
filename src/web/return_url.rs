//! The store's return URL: where "back to the store" leads. It must be an absolute http(s) URL
//! on one of the store's configured origins, so a link of ours can never send a shopper to
//! someone else's site.

use reqwest::Url;

/// Longer than any sane shop URL, short enough to keep in a session.
const MAX_LEN: usize = 2048;

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
}
