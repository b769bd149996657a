//! Embedding the pages in a store's iframe: framing is refused unless the store's origins are
//! configured, and then the session cookie is one a third-party iframe can keep.

// Some of these tests need the embedded sandbox or the demo: without the `demo` feature,
// what only they use goes unused.
#![cfg_attr(not(feature = "demo"), allow(unused_imports, dead_code))]

use voucherly_account::settings::Settings;
use voucherly_account::startup::Application;

use crate::helpers::{spawn_app, spawn_with};

/// The session cookie, or for a visitor without a session the CSRF cookie, that a response sets.
fn app_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("va_session=") || value.starts_with("va_csrf="))
        .map(str::to_owned)
}

#[tokio::test]
async fn by_default_no_site_may_frame_the_pages_and_the_cookie_is_lax() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    let cookie = app_cookie(&response).expect("a session or CSRF cookie");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Partitioned"), "{cookie}");
}

#[tokio::test]
async fn configured_store_origins_may_frame_the_pages_with_a_cross_site_cookie() {
    let app = spawn_with(|settings| {
        settings.frame_ancestors = vec![
            "https://shop.example".into(),
            "https://www.shop.example".into(),
        ];
    })
    .await;
    let path = app.handover_path(&app.handover_body("shop-1")).await;
    for response in [app.get("/").await, app.get(&path).await] {
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("frame-ancestors https://shop.example https://www.shop.example"),
            "{csp}"
        );
        assert!(!csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(response.headers().get("x-frame-options").is_none());
        let cookie = app_cookie(&response).expect("a session or CSRF cookie");
        assert!(cookie.contains("SameSite=None"), "{cookie}");
        assert!(cookie.contains("Secure"), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("Partitioned"), "{cookie}");
    }
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn frame_ancestors_without_secure_cookies_refuse_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_tests(dir.path().join("test.db"));
    settings.frame_ancestors = vec!["https://shop.example".into()];
    settings.secure_cookies = false;
    let error = match Application::build(settings).await {
        Ok(_) => panic!("the app must not start"),
        Err(error) => error.to_string(),
    };
    assert!(error.contains("secure cookies"), "{error}");
    assert!(error.contains("frame ancestors"), "{error}");
}
