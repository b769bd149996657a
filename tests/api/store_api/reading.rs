//! `GET /api/v1/orders/{store_order_id}`, and what the API answers to paths it does not have.

use reqwest::Method;
use serde_json::json;

use super::{assert_error, json_of, order_body, spawn_store_api};

#[tokio::test]
async fn reading_an_unknown_order_is_a_404_json() {
    let api = spawn_store_api().await;
    let message = assert_error(api.get_order("nope").await, 404, "not_found").await;
    assert!(message.contains("nope"), "{message}");
}

#[tokio::test]
async fn an_order_read_after_its_payments_shows_them_and_the_one_that_paid() {
    let api = spawn_store_api().await;
    assert_eq!(
        api.post_order(&order_body("A-1001", "user-42"))
            .await
            .status()
            .as_u16(),
        201
    );
    let order_id: i64 = api
        .app
        .db()
        .value("SELECT id FROM orders WHERE store_order_id = 'A-1001'", &[]);
    let failed = api
        .app
        .insert_payment(order_id, Some("pay_failed"), "failed", 1_740_000_000);
    let paid = api
        .app
        .insert_payment(order_id, Some("pay_paid"), "paid", 1_740_000_100);
    let stray = api
        .app
        .insert_payment(order_id, Some("pay_later"), "requested", 1_740_000_200);
    api.app.db().execute(
        "UPDATE orders SET status = 'paid', updated_at = 1740000150 WHERE id = ?1",
        args![order_id],
    );

    let order = json_of(api.get_order("A-1001").await).await;
    assert_eq!(order["status"], "paid");
    assert_eq!(order["voucherly_payment_id"], "pay_paid");
    assert_eq!(order["updated_at"], "2025-02-19T21:22:30Z");
    let payments = order["payments"].as_array().expect("payments");
    let references: Vec<_> = payments.iter().map(|p| p["reference"].clone()).collect();
    assert_eq!(references, vec![json!(failed), json!(paid), json!(stray)]);
    assert_eq!(payments[1]["voucherly_payment_id"], "pay_paid");
    assert_eq!(payments[1]["status"], "paid");
    assert_eq!(payments[1]["amount"], 1300);
    assert_eq!(payments[1]["method"], serde_json::Value::Null);
    assert_eq!(payments[1]["created_at"], "2025-02-19T21:21:40Z");
}

#[tokio::test]
async fn an_unpaid_order_names_its_latest_voucherly_payment() {
    let api = spawn_store_api().await;
    api.post_order(&order_body("A-1", "user-42")).await;
    let order_id: i64 = api
        .app
        .db()
        .value("SELECT id FROM orders WHERE store_order_id = 'A-1'", &[]);
    api.app
        .insert_payment(order_id, Some("pay_first"), "failed", 1_740_000_000);
    api.app
        .insert_payment(order_id, Some("pay_second"), "requested", 1_740_000_100);
    api.app
        .insert_payment(order_id, None, "create_failed", 1_740_000_200);

    let order = json_of(api.get_order("A-1").await).await;
    assert_eq!(order["status"], "awaiting_payment");
    assert_eq!(order["voucherly_payment_id"], "pay_second");
    assert_eq!(
        order["payments"][2]["voucherly_payment_id"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn an_unknown_api_path_is_a_404_json() {
    let api = spawn_store_api().await;
    for path in ["/api/v1/nothing", "/api/v1/orders/A-1/lines", "/api/v1/"] {
        let response = api.request(Method::GET, path).send().await.expect("GET");
        let message = assert_error(response, 404, "not_found").await;
        assert_eq!(message, "no such API endpoint", "{path}");
    }
}

#[tokio::test]
async fn a_method_an_endpoint_lacks_is_a_405_json_with_allow() {
    let api = spawn_store_api().await;
    for (method, path, allow) in [
        (Method::GET, "/api/v1/orders", "POST"),
        (Method::DELETE, "/api/v1/orders/A-1", "GET"),
        (Method::PUT, "/api/v1/orders/A-1", "GET"),
        (Method::POST, "/api/v1/openapi.json", "GET"),
    ] {
        let response = api.request(method, path).send().await.expect("a request");
        assert_eq!(response.headers()["allow"], allow, "{path}");
        assert_error(response, 405, "method_not_allowed").await;
    }
}
