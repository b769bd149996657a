//! Demo-only limits: the sandbox follows only the app's own URLs, and answers with its headers.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{basket, one_line};
use crate::sandbox::spawn_sandbox;

/// Source: issue 7 item 9 (a demo instance must not make requests to arbitrary hosts); s2s.md
/// (Voucherly's own rule, HTTPS without a port, is looser than a sandbox serving one app needs).
#[tokio::test]
async fn redirect_and_callback_urls_off_the_apps_origin_are_refused() {
    let app = spawn_sandbox().await;
    for (field, url) in [
        ("callbackUrl", "https://attacker.example/steal"),
        ("callbackUrl", "http://169.254.169.254/latest/meta-data"),
        ("redirectOkUrl", "https://phishing.example/ok"),
        ("redirectKoUrl", "javascript:alert(1)"),
    ] {
        let mut body = basket(one_line(100, false));
        body[field] = json!(url);
        let (status, problem) = app.call(Method::POST, "/payments", Some(&body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        assert_eq!(problem["code"], "VALIDATION_ERROR");
    }
}

/// Source: issue 7 item 9 ("The sandbox's own answers carry the same security headers as the
/// app's"), as the app mounts it.
#[tokio::test]
async fn the_sandbox_answers_with_the_apps_security_headers() {
    let app = crate::helpers::spawn_app().await;
    let home = app.get("/").await;
    for path in [
        "/sandbox/v1/payment_gateways",
        "/sandbox/checkout/pay_nothing",
    ] {
        let response = app.get(path).await;
        for header in [
            "content-security-policy",
            "x-content-type-options",
            "referrer-policy",
        ] {
            let expected = home
                .headers()
                .get(header)
                .unwrap_or_else(|| panic!("the app sends {header}"));
            assert_eq!(
                response.headers().get(header),
                Some(expected),
                "{path} {header}"
            );
        }
    }
}
