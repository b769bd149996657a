//! Headers, cookies, isolation between shoppers, and errors that say what to do.

// Some of these tests need the embedded sandbox or the demo: without the `demo` feature,
// what only they use goes unused.
#![cfg_attr(not(feature = "demo"), allow(unused_imports, dead_code))]

use reqwest::header::{ACCEPT_LANGUAGE, SET_COOKIE};

use crate::helpers::{browser, csrf_token_in, location, spawn_app};

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_shopper_never_sees_another_shoppers_data() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let giulia = browser();
    let html = giulia
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token_in(&html);
    giulia
        .post(app.url("/demo/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("store_user_id", "demo-giulia"),
        ])
        .send()
        .await
        .unwrap();
    let giulias_page = giulia
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(giulias_page.contains("Giulia Bianchi"));
    assert!(!giulias_page.contains("Mario"));
    assert!(!giulias_page.contains("Visa"));
    let marios_page = app.get_html("/account").await;
    assert!(marios_page.contains("Mario Rossi"));
    assert!(!marios_page.contains("Giulia"));
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("script-src 'self'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["cache-control"], "no-store");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_secure_and_same_site() {
    let app = spawn_app().await;
    let response = app.sign_in_as("demo-mario").await;
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("va_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test]
async fn an_unknown_page_gets_a_readable_404_in_the_browsers_language() {
    let app = spawn_app().await;
    let response = app.get("/nowhere").await;
    assert_eq!(response.status(), 404);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Questa pagina non esiste.")
    );
    let english = app
        .client
        .get(app.url("/nowhere"))
        .header(ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(english.status(), 404);
    let html = english.text().await.unwrap();
    assert!(html.contains("This page does not exist."));
    assert!(html.contains(r#"<html lang="en">"#));
}

#[tokio::test]
async fn a_malformed_form_gets_a_readable_400() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/sign-out"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("%%%")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let html = response.text().await.unwrap();
    assert!(html.contains("La richiesta non è valida"), "{html}");
}

#[tokio::test]
async fn an_oversized_form_is_refused() {
    let app = spawn_app().await;
    let big = "x".repeat(64 * 1024);
    let response = app
        .post_form("/sign-out", &[("csrf_token", big.as_str())])
        .await;
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn the_language_switch_only_goes_back_to_this_site() {
    let app = spawn_app().await;
    for next in ["https://evil.example/", "//evil.example/"] {
        let response = app.choose_language("/", "en", next).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/account");
    }
    let token = app.csrf_token("/").await;
    let unknown = app
        .post_form("/language", &[("csrf_token", &token), ("lang", "xx")])
        .await;
    assert_eq!(unknown.status(), 400);
}

#[tokio::test]
async fn the_health_check_answers() {
    let app = spawn_app().await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["status"],
        "ok"
    );
}
