//! Demo-only safety: the sandbox sends browsers and posts callbacks only to the app's own public
//! origin or to a loopback address, so that a demo instance on the internet cannot be used to
//! make requests to, or redirect shoppers to, arbitrary hosts. Voucherly itself accepts any
//! public HTTPS URL without a port (s2s.md); a sandbox serving one app has no need to.

use std::net::IpAddr;

use reqwest::Url;

/// Whether `url` is an absolute http(s) URL the sandbox may follow: on a loopback host, or on
/// the same origin (scheme, host, port) as `public_url`.
pub fn allowed(url: &str, public_url: Option<&str>) -> bool {
    let Ok(url) = Url::parse(url) else {
        return false;
    };
    if !matches!(url.scheme(), "http" | "https") || !url.username().is_empty() {
        return false;
    }
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let loopback = match host.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host == "localhost" || host.ends_with(".localhost"),
    };
    loopback
        || public_url
            .and_then(|public| Url::parse(public).ok())
            .is_some_and(|public| public.origin() == url.origin())
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn only_loopback_and_the_public_origin_are_followed() {
        let public = Some("https://account.shop.example");
        for ok in [
            "http://127.0.0.1:8080/payments/callback",
            "http://localhost/x",
            "http://[::1]:9/x",
            "https://account.shop.example/payments/r?x=1",
        ] {
            assert!(allowed(ok, public), "{ok}");
        }
        for refused in [
            "https://evil.example/",
            "https://account.shop.example:8443/",
            "http://account.shop.example/",
            "http://169.254.169.254/latest/meta-data",
            "ftp://127.0.0.1/",
            "http://user@127.0.0.1/",
            "not a url",
        ] {
            assert!(!allowed(refused, public), "{refused}");
        }
        assert!(!allowed("https://account.shop.example/", None));
    }
}
