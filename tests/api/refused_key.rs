//! A wrong real Voucherly key: the profile says payments are not available, and a pay form
//! submitted anyway gets a clear page, not a gateway error.

use std::time::{Duration, Instant};

use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::spawn_app_with_voucherly;
use crate::paying::support::{new_key, order_id, pay};

const NOT_AVAILABLE: &str = "Al momento i pagamenti non sono disponibili";

/// Voucherly answering 401 to everything, as it does to a wrong key.
async fn refusing_voucherly() -> MockServer {
    let voucherly = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "message": "Unauthorized"
        })))
        .mount(&voucherly)
        .await;
    voucherly
}

#[tokio::test]
async fn with_a_refused_key_a_new_customer_reads_that_payments_are_not_available() {
    let voucherly = refusing_voucherly().await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.sign_in_as("demo-giulia").await;

    // The start-up check asks Voucherly once, in the background.
    let deadline = Instant::now() + Duration::from_secs(10);
    let html = loop {
        let html = app.get_html("/account").await;
        if html.contains(NOT_AVAILABLE) || Instant::now() > deadline {
            break html;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(html.contains(NOT_AVAILABLE), "{html}");
    assert!(!html.contains(r#"class="pay-form""#), "no pay form: {html}");
}

#[tokio::test]
async fn with_a_refused_key_paying_anyway_gets_a_page_saying_payments_are_not_available() {
    let voucherly = refusing_voucherly().await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.sign_in_as("demo-giulia").await;

    let order = order_id(&app, "demo-1003");
    let response = pay(&app, order, &new_key(), "checkout", &[]).await;
    assert_eq!(response.status().as_u16(), 503);
    let html = response.text().await.unwrap();
    assert!(html.contains(NOT_AVAILABLE), "{html}");
    assert!(html.contains(r#"href="/account""#));
}

#[tokio::test]
async fn a_page_that_meets_a_refused_key_does_not_change_what_other_shoppers_see() {
    // The start-up check is answered; only the listing of Mario's methods is refused.
    let voucherly = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/v1/payment_gateways"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": []})))
        .mount(&voucherly)
        .await;
    Mock::given(wiremock::matchers::path(
        "/v1/customers/cus_42/payment_methods",
    ))
    .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
        "message": "Unauthorized"
    })))
    .mount(&voucherly)
    .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_42");
    app.sign_in_as("demo-mario").await;
    let mario = app.get_html("/account").await;
    assert!(mario.contains(NOT_AVAILABLE), "{mario}");

    // A page view is a read: Giulia, not yet a customer, still gets her pay form.
    let giulia = crate::helpers::browser();
    app.sign_in_on(&giulia, "demo-giulia").await;
    let html = giulia
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(NOT_AVAILABLE), "{html}");
    assert!(html.contains(r#"class="pay-form""#), "{html}");
}
