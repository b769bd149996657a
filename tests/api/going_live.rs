//! Going live: with a live key, Voucherly calls back only to HTTPS without a port, so the app
//! refuses to start with any other public URL, and says why.

use secrecy::SecretString;
use voucherly_account::settings::{Settings, VoucherlyEnvironment};
use voucherly_account::startup::Application;

async fn start_live(public_url: Option<&str>) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("a folder");
    let mut settings = Settings::for_tests(dir.path().join("live.db"));
    settings.voucherly_api_key = Some(SecretString::from("sk_live_key"));
    settings.voucherly_environment = VoucherlyEnvironment::Live;
    settings.voucherly_base_url = Some("http://127.0.0.1:9/".into());
    settings.demo = Some(false);
    settings.public_url = public_url.map(str::to_owned);
    Application::build(settings)
        .await
        .map(|_| ())
        .map_err(|error| format!("{error:#}"))
}

#[tokio::test]
async fn the_app_refuses_to_start_live_with_an_http_public_url() {
    let error = start_live(Some("http://shop.example")).await.unwrap_err();
    assert!(error.contains("https://"), "{error}");
}

#[tokio::test]
async fn the_app_refuses_to_start_live_with_a_port_or_without_a_public_url() {
    let error = start_live(Some("https://pay.shop.example:8443"))
        .await
        .unwrap_err();
    assert!(error.contains("port"), "{error}");
    let error = start_live(None).await.unwrap_err();
    assert!(error.contains("VOUCHERLY_ACCOUNT_PUBLIC_URL"), "{error}");
}

#[tokio::test]
async fn the_app_starts_live_with_an_https_public_url_without_a_port() {
    start_live(Some("https://pay.shop.example"))
        .await
        .expect("it starts");
}

/// The production build (without the `demo` feature) serves no sandbox, no demo and no demo
/// store, nor their stylesheets; its start page sends shoppers to the store.
#[cfg(not(feature = "demo"))]
#[tokio::test]
async fn a_build_without_the_demo_serves_none_of_it() {
    let voucherly = wiremock::MockServer::start().await;
    let app = crate::helpers::spawn_app_with_voucherly(&voucherly).await;
    for path in [
        "/sandbox/v1/payment_gateways",
        "/sandbox/checkout/anything",
        "/demo-store",
        "/static/sandbox.css",
        "/static/demo_store.css",
    ] {
        assert_eq!(app.get(path).await.status().as_u16(), 404, "{path}");
    }
    let token = app.csrf_token("/").await;
    let sign_in = app
        .post_form(
            "/demo/sign-in",
            &[("csrf_token", &token), ("store_user_id", "demo-mario")],
        )
        .await;
    assert_eq!(sign_in.status().as_u16(), 404);
    let start = app.get_html("/").await;
    assert!(start.contains("Apri il tuo account dal negozio"), "{start}");
    assert!(!start.contains("/demo/sign-in"), "{start}");
    assert_eq!(app.get("/static/style.css").await.status().as_u16(), 200);
}
