//! What every request meets: cookie names and flags, the origin check on forms, the CSP's form
//! targets, no caching of API answers, HEAD and 405, and weak secrets refused at start-up.

// Some of these tests need the embedded sandbox or the demo: without the `demo` feature,
// what only they use goes unused.
#![cfg_attr(not(feature = "demo"), allow(unused_imports, dead_code))]

use reqwest::Method;
use reqwest::header::{ALLOW, CACHE_CONTROL, CONTENT_SECURITY_POLICY, SET_COOKIE};
use secrecy::SecretString;
use voucherly_account::startup::Application;

use super::{cookies_after, post_with};
use crate::helpers::{
    TestApp, csrf_token_in, location, spawn_app, spawn_app_with_voucherly, spawn_with,
};

#[cfg(feature = "demo")]
#[tokio::test]
async fn over_https_the_cookies_carry_the_host_prefix() {
    let app = spawn_with(|settings| {
        settings.public_url = Some("https://account.shop.example".into());
    })
    .await;
    let start = crate::helpers::browser()
        .get(app.url("/"))
        .send()
        .await
        .unwrap();
    let jar = cookies_after("", &start);
    assert!(jar.starts_with("__Host-va_csrf="), "{jar}");
    let token = csrf_token_in(&start.text().await.unwrap());
    let signed_in = post_with(
        &app,
        "/demo/sign-in",
        &jar,
        &[("csrf_token", &token), ("store_user_id", "demo-mario")],
    )
    .await;
    assert_eq!(location(&signed_in), "/account");
    let cookie = signed_in
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("__Host-va_session="))
        .expect("a __Host- session cookie")
        .to_owned();
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_form_posted_from_another_site_is_refused_before_its_token_is_read() {
    let app = spawn_app().await;
    let token = app.csrf_token("/").await;
    let form = [
        ("csrf_token", token.as_str()),
        ("store_user_id", "demo-mario"),
    ];
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ] {
        let response = app
            .client
            .post(app.url("/demo/sign-in"))
            .header(header, value)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
    }
    let same_origin = app
        .client
        .post(app.url("/demo/sign-in"))
        .header("origin", &app.address)
        .header("sec-fetch-site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 303);
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn forms_may_lead_only_to_this_app_and_voucherlys_checkout() {
    let app = spawn_app().await;
    let csp = app.get("/").await.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains(&format!("form-action 'self' {};", app.address)),
        "{csp}"
    );

    let voucherly = wiremock::MockServer::start().await;
    let live = spawn_app_with_voucherly(&voucherly).await;
    let csp = live.get("/").await.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("https://checkout.voucherly.it"), "{csp}");
}

#[tokio::test]
async fn store_api_answers_are_never_cached() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/openapi.json",
        "/api/v1/orders/A-1",
        "/api/v1/nowhere",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.headers()[CACHE_CONTROL], "no-store", "{path}");
    }
}

#[tokio::test]
async fn head_works_wherever_get_does() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/static/style.css",
        "/health/live",
        "/api/v1/openapi.json",
    ] {
        let response = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.bytes().await.unwrap().is_empty(), "{path}");
    }
}

#[tokio::test]
async fn a_wrong_method_gets_405_with_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (Method::POST, "/account", "GET"),
        (Method::DELETE, "/sign-out", "POST"),
        (Method::PUT, "/", "GET"),
        (Method::GET, "/api/v1/handovers", "POST"),
        (Method::DELETE, "/api/v1/orders/A-1", "GET"),
        (Method::PUT, "/static/style.css", "GET"),
    ] {
        let response = request(&app, &method, path).await;
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()[ALLOW], allow, "{method} {path}");
    }
}

/// Known static files are answered ahead of the session's layers: they must still carry the
/// security headers, and anything else under `/static/` still gets a page.
#[tokio::test]
async fn static_files_keep_the_security_headers_and_other_paths_get_pages() {
    let app = spawn_app().await;
    let file = app.get("/static/style.css").await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    assert!(file.headers().contains_key(CONTENT_SECURITY_POLICY));
    assert_eq!(file.headers()[CACHE_CONTROL], "public, max-age=3600");
    assert!(file.text().await.unwrap().contains("body"));
    for (method, path, status) in [
        (Method::GET, "/static/missing.css", 404),
        (Method::GET, "/static/", 404),
        (Method::PUT, "/static/style.css", 405),
    ] {
        let response = request(&app, &method, path).await;
        assert_eq!(response.status(), status, "{method} {path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{method} {path}: a page"
        );
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    }
}

async fn request(app: &TestApp, method: &Method, path: &str) -> reqwest::Response {
    app.client
        .request(method.clone(), app.url(path))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn short_store_secrets_are_refused_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = crate::helpers::settings_refused_at_start(dir.path().join("a.db"));
    settings.store_api_key = Some(SecretString::from("short-key"));
    let error = Application::build(settings).await.err().expect("refused");
    assert!(
        error
            .to_string()
            .contains("VOUCHERLY_ACCOUNT_STORE_API_KEY"),
        "{error}"
    );
    assert!(
        !error.to_string().contains("short-key"),
        "the secret is not printed"
    );

    let mut settings = crate::helpers::settings_refused_at_start(dir.path().join("b.db"));
    settings.store_webhook_url = Some("https://shop.example/hook".into());
    settings.store_webhook_secret = Some(SecretString::from("0123456789"));
    let error = Application::build(settings).await.err().expect("refused");
    assert!(
        error
            .to_string()
            .contains("VOUCHERLY_ACCOUNT_STORE_WEBHOOK_SECRET"),
        "{error}"
    );
}
