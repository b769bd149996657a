//! The sandbox's storage across a restart, and the sandbox as the app mounts it.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use voucherly_account::sandbox::demo;

use super::{VISA, call, html, marios_payment, serve, spawn_sandbox};

#[tokio::test]
async fn a_created_payment_survives_a_restart() {
    let app = spawn_sandbox().await;
    let created = app.create_payment(marios_payment(None, Some(VISA))).await;
    let id = created["id"].as_str().expect("id");
    app.server.stop(false).await;
    let (address, _server) = serve(&app.db_path).await;
    let url = format!("{address}/sandbox/v1/payments/{id}?include=Lines");
    let (status, reread) = call(&app.client, Method::GET, &url, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reread["lines"], created["lines"]);
    assert_eq!(reread["finalAmount"], 1780);
}

// As the app mounts it.

#[tokio::test]
async fn the_app_serves_the_seeded_sandbox_with_json_errors_and_its_checkout() {
    let app = crate::helpers::spawn_app().await;
    let refused = app.get("/sandbox/v1/payment_gateways").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let body: Value = refused
        .json()
        .await
        .expect("JSON, not the app's error page");
    assert!(body["detail"].is_string());
    let path = format!(
        "/sandbox/v1/customers/{}/payment_methods",
        demo::MARIO_CUSTOMER_ID
    );
    let (_, methods) = call(&app.client, Method::GET, &app.url(&path), None).await;
    assert_eq!(methods["items"].as_array().map(Vec::len), Some(4));
    let body = marios_payment(None, None);
    let url = app.url("/sandbox/v1/payments");
    let (_, payment) = call(&app.client, Method::POST, &url, Some(&body)).await;
    let checkout_url = payment["checkoutUrl"].as_str().expect("a checkoutUrl");
    assert!(checkout_url.starts_with(&format!("{}/sandbox/checkout/", app.address)));
    let page = app.client.get(checkout_url).send().await.expect("the page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = html(page).await;
    assert!(html.contains("Pizza margherita") && html.contains(r#"href="/static/sandbox.css""#));
    assert_eq!(
        app.get("/static/sandbox.css").await.status(),
        StatusCode::OK
    );
}

/// The app's embedded sandbox is strict by default (the app's own tests run it so): the legacy
/// flat line the official SDKs send is refused with its field named; `--sandbox-strict false`
/// accepts it, as Voucherly's live API presumably still does.
#[tokio::test]
async fn the_apps_sandbox_refuses_legacy_lines_unless_told_not_to_be_strict() {
    let mut legacy = marios_payment(None, None);
    legacy["lines"] = serde_json::json!([
        {"quantity": 1, "unitAmount": 790, "productName": "Pizza margherita", "isFood": true}
    ]);
    let strict = crate::helpers::spawn_app().await;
    let url = strict.url("/sandbox/v1/payments");
    let (status, problem) = call(&strict.client, Method::POST, &url, Some(&legacy)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["parameter"], "Lines[0].ProductName");
    let tolerant = crate::helpers::spawn_with(|s| s.sandbox_strict = false).await;
    let url = tolerant.url("/sandbox/v1/payments");
    let (status, payment) = call(&tolerant.client, Method::POST, &url, Some(&legacy)).await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    assert_eq!(
        payment["foodAmount"], 690,
        "7,90 € of food less the 1,00 € discount"
    );
}
