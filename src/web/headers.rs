//! Security headers on every response.

use actix_web::middleware::DefaultHeaders;

/// Scripts, styles and fonts come only from this app; images may come from HTTPS (product images
/// from the store); only the given origins may frame the pages, by default none.
pub fn content_security_policy(frame_ancestors: &[String]) -> String {
    let ancestors = if frame_ancestors.is_empty() {
        "'none'".to_owned()
    } else {
        frame_ancestors.join(" ")
    };
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
         font-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors {ancestors}"
    )
}

/// The headers; `frame_ancestors` are the store origins allowed to show the pages in an iframe.
pub fn security_headers(https: bool, frame_ancestors: &[String]) -> DefaultHeaders {
    let mut headers = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            content_security_policy(frame_ancestors),
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ));
    // X-Frame-Options cannot name origins: with any allowed, the CSP alone says which (every
    // browser that matters reads `frame-ancestors` and then ignores X-Frame-Options anyway).
    if frame_ancestors.is_empty() {
        headers = headers.add(("X-Frame-Options", "DENY"));
    }
    if https {
        headers.add(("Strict-Transport-Security", "max-age=31536000"))
    } else {
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_frame_ancestors_means_none() {
        assert!(content_security_policy(&[]).ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn frame_ancestors_are_listed_with_spaces() {
        let origins = [
            "https://a.example".to_owned(),
            "https://b.example".to_owned(),
        ];
        assert!(
            content_security_policy(&origins)
                .ends_with("frame-ancestors https://a.example https://b.example")
        );
    }
}
