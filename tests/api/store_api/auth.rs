//! Every endpoint but the OpenAPI document wants the store API key as a bearer token.

use reqwest::Method;
use reqwest::header::AUTHORIZATION;

use super::{assert_error, json_of, order_body, spawn_store_api};
#[cfg(feature = "demo")]
use crate::helpers::spawn_with;

/// The endpoints that need the key, with a body they would accept.
fn protected() -> Vec<(Method, &'static str, Option<serde_json::Value>)> {
    vec![
        (
            Method::POST,
            "/api/v1/orders",
            Some(order_body("A-1", "user-1")),
        ),
        (Method::GET, "/api/v1/orders/A-1", None),
        (
            Method::POST,
            "/api/v1/handovers",
            Some(serde_json::json!({
                "store_user_id": "user-1", "email": "user-1@shop.example", "first_name": "Anna",
                "last_name": "Neri", "return_url": "https://shop.example/"
            })),
        ),
    ]
}

#[tokio::test]
async fn calls_without_a_key_with_a_wrong_key_or_with_basic_auth_get_401_json() {
    let api = spawn_store_api().await;
    let wrong_headers = [
        None,
        Some("Bearer sk_store_wrong".to_owned()),
        Some(format!("Bearer {}x", api.key)),
        Some(format!("bearer{}", api.key)),
        Some(format!("Basic {}", api.key)),
        Some("Basic dXNlcjpwYXNz".to_owned()),
    ];
    for (method, path, body) in protected() {
        for header in &wrong_headers {
            let mut request = api.unauthenticated(method.clone(), path);
            if let Some(header) = header {
                request = request.header(AUTHORIZATION, header);
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = request.send().await.expect("a request");
            let message = assert_error(response, 401, "unauthorized").await;
            assert!(!message.contains(&api.key), "{message}");
        }
    }
    assert_eq!(api.count("orders WHERE store_order_id = ?1", "A-1"), 0);
    assert_eq!(api.count("shoppers WHERE store_user_id = ?1", "user-1"), 0);
}

#[tokio::test]
async fn the_key_is_refused_before_the_body_is_read() {
    let api = spawn_store_api().await;
    let response = api
        .unauthenticated(Method::POST, "/api/v1/orders")
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_error(response, 401, "unauthorized").await;
}

// Demo only: only demo mode generates a key.
#[cfg(feature = "demo")]
#[tokio::test]
async fn a_configured_key_replaces_the_generated_one() {
    let app = spawn_with(|settings| {
        settings.store_api_key = Some("sk_store_configured_0123456789abcdef".to_owned().into());
    })
    .await;
    let client = reqwest::Client::new();
    let answer = |key: &'static str| {
        client
            .get(app.url("/api/v1/orders/unknown"))
            .bearer_auth(key)
            .send()
    };
    let response = answer("sk_store_configured_0123456789abcdef")
        .await
        .expect("GET");
    assert_error(response, 404, "not_found").await;
    let response = answer("sk_store_other").await.expect("GET");
    assert_error(response, 401, "unauthorized").await;
}

#[tokio::test]
async fn the_openapi_document_needs_no_key() {
    let api = spawn_store_api().await;
    let response = api
        .unauthenticated(Method::GET, "/api/v1/openapi.json")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(json_of(response).await["openapi"], "3.1.0");
}

#[tokio::test]
async fn the_bearer_scheme_is_read_whatever_its_case() {
    let api = spawn_store_api().await;
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let response = api
            .unauthenticated(Method::GET, "/api/v1/orders/unknown")
            .header(AUTHORIZATION, format!("{scheme} {}", api.key))
            .send()
            .await
            .expect("GET");
        assert_error(response, 404, "not_found").await;
    }
}
