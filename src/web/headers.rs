//! Security headers on every response, and `Cache-Control: no-store` on every one that does not
//! say otherwise (static files do): pages, CSV exports and receipts hold personal data.

use actix_web::middleware::DefaultHeaders;

/// Scripts, styles and fonts come only from this app; images may come from HTTPS (product images
/// from the store); forms lead only to this app and `form_targets` (Voucherly's checkout, which
/// the pay form redirects to); only the given origins may frame the pages, by default none.
pub fn content_security_policy(frame_ancestors: &[String], form_targets: &[String]) -> String {
    let ancestors = if frame_ancestors.is_empty() {
        "'none'".to_owned()
    } else {
        frame_ancestors.join(" ")
    };
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; \
         font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'{targets}; \
         frame-ancestors {ancestors}",
        targets = form_targets
            .iter()
            .map(|target| format!(" {target}"))
            .collect::<String>()
    )
}

/// The headers; `frame_ancestors` are the store origins allowed to show the pages in an iframe.
pub fn security_headers(
    https: bool,
    frame_ancestors: &[String],
    form_targets: &[String],
) -> DefaultHeaders {
    let mut headers = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            content_security_policy(frame_ancestors, form_targets),
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Cache-Control", "no-store"))
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
    fn forms_lead_only_here_and_to_the_given_targets() {
        let csp = content_security_policy(&[], &["https://checkout.voucherly.it".to_owned()]);
        assert!(
            csp.contains("form-action 'self' https://checkout.voucherly.it;"),
            "{csp}"
        );
    }

    #[test]
    fn no_frame_ancestors_means_none() {
        assert!(content_security_policy(&[], &[]).ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn frame_ancestors_are_listed_with_spaces() {
        let origins = [
            "https://a.example".to_owned(),
            "https://b.example".to_owned(),
        ];
        assert!(
            content_security_policy(&origins, &[])
                .ends_with("frame-ancestors https://a.example https://b.example")
        );
    }
}
