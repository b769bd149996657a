//! Signing in through the demo page, and out again.

use crate::helpers::{browser, location, spawn_app};
use reqwest::header::COOKIE;
use wiremock::MockServer;

/// The session cookie a response sets, as a browser would send it back (`name=value`).
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    crate::helpers::session_cookie(response)
        .map(|cookie| cookie.split(';').next().unwrap_or_default().to_owned())
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_start_page_lists_the_demo_shoppers() {
    let app = spawn_app().await;
    let html = app.get_html("/").await;
    for name in ["Mario Rossi", "Luca Verdi", "Giulia Bianchi"] {
        assert!(html.contains(name), "{name} missing");
    }
}

#[tokio::test]
async fn signing_in_as_a_demo_shopper_opens_their_profile() {
    let app = spawn_app().await;
    let response = app.sign_in_as("demo-mario").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account");
    let html = app.get_html("/account").await;
    assert!(html.contains("Mario Rossi"));
    assert!(html.contains("mario.rossi@example.com"));
}

#[tokio::test]
async fn a_signed_in_shopper_going_to_the_start_page_is_sent_to_their_account() {
    let app = spawn_app().await;
    app.sign_in_as("demo-luca").await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account");
}

#[tokio::test]
async fn signing_in_renews_the_session() {
    let app = spawn_app().await;
    let before = session_cookie(&app.choose_language("/", "it", "/").await)
        .expect("a session before signing in");
    let response = app.sign_in_as("demo-mario").await;
    let after = session_cookie(&response).expect("a renewed session cookie");
    assert_ne!(before, after);
    // The session from before signing in opens nothing.
    let stale = browser()
        .get(app.url("/account"))
        .header(COOKIE, before)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 303);
}

#[tokio::test]
async fn a_stranger_asking_for_the_account_page_is_sent_to_the_start_page() {
    let app = spawn_app().await;
    let response = app.get("/account").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server_too() {
    let app = spawn_app().await;
    let signed_in = session_cookie(&app.sign_in_as("demo-mario").await).unwrap();
    let token = app.csrf_token("/account").await;
    let response = app.post_form("/sign-out", &[("csrf_token", &token)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/?signed_out=1");
    assert!(app.get_html("/?signed_out=1").await.contains("Sei uscito"));
    assert_eq!(app.get("/account").await.status(), 303);
    // A copy of the old cookie, replayed, is worth nothing.
    let replayed = browser()
        .get(app.url("/account"))
        .header(COOKIE, signed_in)
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.status(), 303);
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_sign_in_without_a_valid_csrf_token_is_refused_with_403() {
    let app = spawn_app().await;
    app.get("/").await;
    for form in [
        vec![("store_user_id", "demo-mario"), ("csrf_token", "forged")],
        vec![("store_user_id", "demo-mario"), ("csrf_token", "")],
    ] {
        let response = app.post_form("/demo/sign-in", &form).await;
        assert_eq!(response.status(), 403);
        let html = response.text().await.unwrap();
        assert!(html.contains("Il modulo è scaduto"), "{html}");
    }
    let missing = app
        .post_form("/demo/sign-in", &[("store_user_id", "demo-mario")])
        .await;
    assert_eq!(missing.status(), 400);
    assert_eq!(app.get("/account").await.status(), 303, "nobody signed in");
}

#[tokio::test]
async fn a_sign_out_without_a_valid_csrf_token_is_refused_and_the_session_kept() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let response = app
        .post_form("/sign-out", &[("csrf_token", "forged")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.get("/account").await.status(), 200);
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn only_demo_shoppers_can_use_the_demo_sign_in() {
    let app = spawn_app().await;
    let token = app.csrf_token("/").await;
    let response = app
        .post_form(
            "/demo/sign-in",
            &[("csrf_token", &token), ("store_user_id", "someone-else")],
        )
        .await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn without_demo_mode_there_is_no_demo_sign_in() {
    let voucherly = MockServer::start().await;
    let app = crate::helpers::spawn_with(|settings| {
        settings.voucherly_api_key = Some("sk_test_key".to_owned().into());
        settings.voucherly_base_url = Some(voucherly.uri());
    })
    .await;
    let html = app.get_html("/").await;
    assert!(html.contains("Apri il tuo account dal negozio"));
    assert!(!html.contains("Mario Rossi"));
    let response = app
        .post_form(
            "/demo/sign-in",
            &[("csrf_token", "x"), ("store_user_id", "demo-mario")],
        )
        .await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn demo_mode_with_the_live_environment_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = voucherly_account::settings::Settings::for_tests(dir.path().join("x.db"));
    settings.voucherly_api_key = Some("sk_live_key".to_owned().into());
    settings.voucherly_environment = voucherly_account::settings::VoucherlyEnvironment::Live;
    settings.demo = Some(true);
    let built = voucherly_account::startup::Application::build(settings).await;
    assert!(built.is_err());
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_demo_sign_in_page_leads_to_the_demo_store() {
    let app = spawn_app().await;
    assert!(app.get_html("/").await.contains(r#"href="/demo-store""#));
    assert_eq!(app.get("/demo-store").await.status(), 200);
}
