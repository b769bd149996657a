//! Creating a hand-over: the key, the body's checks, no open redirect, the token kept as a hash.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{browser, spawn_app};

async fn error_of(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("a JSON error");
    let code = body["error"]["code"].as_str().expect("a code").to_owned();
    let message = body["error"]["message"]
        .as_str()
        .expect("a message")
        .to_owned();
    (status, code, message)
}

#[tokio::test]
async fn creating_a_handover_needs_the_store_api_key() {
    let app = spawn_app().await;
    let body = app.handover_body("shop-1");
    let without = browser()
        .post(app.url("/api/v1/handovers"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(without).await.0, 401);
    let wrong = browser()
        .post(app.url("/api/v1/handovers"))
        .bearer_auth("sk_store_wrong")
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(wrong).await;
    assert_eq!((status, code.as_str()), (401, "unauthorized"));
    assert!(app.handover_rows().is_empty());
}

#[tokio::test]
async fn a_created_handover_is_a_link_to_this_app_that_expires_in_a_few_minutes() {
    let app = spawn_app().await;
    let response = app.post_handover(&app.handover_body("shop-1")).await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let answer: Value = response.json().await.unwrap();
    let url = answer["url"].as_str().unwrap();
    let token = url
        .strip_prefix(&app.url("/handover/"))
        .expect("a hand-over URL");
    assert_eq!(token.len(), 64);
    let expires_at = time::OffsetDateTime::parse(
        answer["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("an RFC 3339 time");
    let in_seconds = (expires_at - time::OffsetDateTime::now_utc()).whole_seconds();
    assert!((290..=300).contains(&in_seconds), "{in_seconds}");
}

#[tokio::test]
async fn the_token_is_not_stored_in_clear() {
    let app = spawn_app().await;
    let path = app.handover_path(&app.handover_body("shop-1")).await;
    let token = path.strip_prefix("/handover/").unwrap();
    let rows = app.handover_rows();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].iter().all(|column| !column.contains(token)),
        "{rows:?}"
    );
    assert_eq!(rows[0][0], hex::encode(Sha256::digest(token.as_bytes())));
}

#[tokio::test]
async fn a_return_url_on_a_foreign_origin_is_refused() {
    let app = spawn_app().await;
    let mut body = app.handover_body("shop-1");
    body["return_url"] = json!("https://evil.example/account");
    let (status, code, message) = error_of(app.post_handover(&body).await).await;
    assert_eq!((status, code.as_str()), (400, "invalid_request"));
    assert!(message.contains("return_url"), "{message}");
    assert!(
        message.contains(&app.store_url("")),
        "names the allowed origin: {message}"
    );
    assert!(app.handover_rows().is_empty());
}

#[tokio::test]
async fn a_javascript_return_url_is_refused() {
    let app = spawn_app().await;
    for url in [
        "javascript:alert(document.cookie)",
        "/relative/path",
        "//evil.example/",
    ] {
        let mut body = app.handover_body("shop-1");
        body["return_url"] = json!(url);
        let (status, code, message) = error_of(app.post_handover(&body).await).await;
        assert_eq!((status, code.as_str()), (400, "invalid_request"), "{url}");
        assert!(message.contains("return_url"), "{message}");
    }
}

#[tokio::test]
async fn each_invalid_field_is_named_in_the_error() {
    let app = spawn_app().await;
    for (field, value) in [
        ("store_user_id", json!("has spaces")),
        ("email", json!("not-an-email")),
        ("first_name", json!("")),
        ("last_name", json!("   ")),
        ("language", json!("fr")),
    ] {
        let mut body = app.handover_body("shop-1");
        body[field] = value;
        let (status, code, message) = error_of(app.post_handover(&body).await).await;
        assert_eq!((status, code.as_str()), (400, "invalid_request"), "{field}");
        assert!(message.starts_with(field), "{field}: {message}");
    }
}

#[tokio::test]
async fn an_unknown_field_is_refused() {
    let app = spawn_app().await;
    let mut body = app.handover_body("shop-1");
    body["is_admin"] = json!(true);
    let (status, _, message) = error_of(app.post_handover(&body).await).await;
    assert_eq!(status, 400);
    assert!(message.contains("is_admin"), "{message}");
}

#[tokio::test]
async fn a_body_written_as_an_array_of_its_fields_is_refused() {
    let app = spawn_app().await;
    let body = app.handover_body("shop-1");
    let fields = ["store_user_id", "email", "first_name", "last_name"];
    let mut array: Vec<Value> = fields.iter().map(|field| body[*field].clone()).collect();
    array.extend([Value::Null, body["return_url"].clone(), Value::Null]);
    let (status, code, message) = error_of(app.post_handover(&Value::Array(array)).await).await;
    assert_eq!((status, code.as_str()), (400, "invalid_body"), "{message}");
    assert!(message.contains("expected an object"), "{message}");
    let shoppers: i64 = app.db().value(
        "SELECT COUNT(*) FROM shoppers WHERE store_user_id = ?1",
        args!["shop-1"],
    );
    assert_eq!(shoppers, 0, "nothing is written");
}

#[tokio::test]
async fn an_order_of_another_shopper_is_not_found() {
    let app = spawn_app().await;
    app.insert_order("demo-mario", "SHOP-1001", 1250);
    let mut body = app.handover_body("shop-1");
    body["store_order_id"] = json!("SHOP-1001");
    let (status, code, message) = error_of(app.post_handover(&body).await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    assert!(message.contains("store_order_id"), "{message}");
    body["store_order_id"] = json!("SHOP-NONE");
    assert_eq!(error_of(app.post_handover(&body).await).await.0, 404);
    assert!(app.handover_rows().is_empty());
}

#[tokio::test]
async fn a_handover_updates_the_shoppers_details() {
    let app = spawn_app().await;
    app.handover_path(&app.handover_body("shop-1")).await;
    let mut body = app.handover_body("shop-1");
    body["email"] = json!("anna.new@shop.example");
    body["language"] = json!("en");
    let path = app.handover_path(&body).await;
    app.get(&path).await;
    let html = app.get_html("/account").await;
    assert!(html.contains("anna.new@shop.example"), "{html}");
    assert!(html.contains(r#"<html lang="en">"#));
}

#[tokio::test]
async fn null_for_the_order_to_show_is_as_if_it_were_left_out() {
    // The document says so: `store_order_id` is `["string", "null"]`.
    let app = spawn_app().await;
    let mut body = app.handover_body("shop-1");
    body["store_order_id"] = json!(null);
    body["language"] = json!(null);
    let response = app.post_handover(&body).await;
    assert_eq!(response.status().as_u16(), 201);
}
