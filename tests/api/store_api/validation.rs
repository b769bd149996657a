//! A bad order is refused with a 400 naming the field at fault, before anything is written.

use reqwest::Method;
use serde_json::{Value, json};

use super::{StoreApi, assert_error, order_body, spawn_store_api};

/// A broken copy of a good body, and the field the answer must name.
fn broken(change: impl FnOnce(&mut Value), field: &'static str) -> (Value, &'static str) {
    let mut body = order_body("A-bad", "user-bad");
    change(&mut body);
    (body, field)
}

fn bad_bodies() -> Vec<(Value, &'static str)> {
    vec![
        broken(
            |b| b["lines"][0]["unit_amount"] = json!(-750),
            "lines[0].unit_amount",
        ),
        broken(
            |b| b["lines"][0]["quantity"] = json!(0),
            "lines[0].quantity",
        ),
        broken(
            |b| b["lines"][0]["quantity"] = json!("2"),
            "lines[0].quantity",
        ),
        broken(
            |b| b["lines"][0]["quantity"] = json!(1.5),
            "lines[0].quantity",
        ),
        broken(|b| b["lines"] = json!([]), "lines"),
        // serde's derive would read a struct from an array of its fields in order.
        broken(
            |b| b["shopper"] = json!(["user-bad", "a@shop.example", "Anna", "Neri", null]),
            "shopper: invalid type: sequence, expected an object",
        ),
        broken(
            |b| b["lines"] = json!([[null, "Pizza", null, null, 1, 750, 0, null, true]]),
            "lines[0]: invalid type: sequence, expected an object",
        ),
        broken(
            |b| b["discounts"] = json!([["Welcome", null, 200]]),
            "discounts[0]: invalid type: sequence, expected an object",
        ),
        broken(|b| b["lines"] = json!("pizza"), "lines"),
        broken(|b| b["shopper"]["email"] = json!("anna"), "shopper.email"),
        broken(|b| b["shopper"]["email"] = json!(null), "shopper.email"),
        broken(
            |b| _ = b["shopper"].as_object_mut().map(|s| s.remove("email")),
            "shopper: missing field `email`",
        ),
        broken(
            |b| b["shopper"]["language"] = json!("fr"),
            "shopper.language",
        ),
        broken(
            |b| b["shopper"]["store_user_id"] = json!("a b"),
            "shopper.store_user_id",
        ),
        broken(
            |b| b["shopper"]["first_name"] = json!(" "),
            "shopper.first_name",
        ),
        broken(|b| b["lines"][0]["colour"] = json!("red"), "colour"),
        broken(|b| b["colour"] = json!("red"), "colour"),
        broken(|b| b["shopper"]["phone"] = json!("+39"), "phone"),
        broken(|b| b["currency"] = json!("USD"), "currency"),
        broken(|b| b["store_order_id"] = json!(""), "store_order_id"),
        broken(|b| b["store_order_id"] = json!(42), "store_order_id"),
        broken(
            |b| b["lines"][0]["product_name"] = json!(""),
            "lines[0].product_name",
        ),
        broken(
            |b| b["lines"][0]["product_image"] = json!("http://shop.example/a.jpg"),
            "lines[0].product_image",
        ),
        broken(
            |b| b["lines"][0]["tax_rate"] = json!(120),
            "lines[0].tax_rate",
        ),
        broken(
            |b| b["lines"][0]["unit_discount_amount"] = json!(800),
            "lines[0].unit_discount_amount",
        ),
        broken(
            |b| b["discounts"][0]["amount"] = json!(-1),
            "discounts[0].amount",
        ),
        broken(|b| b["discounts"][0]["amount"] = json!(5000), "discounts"),
        // No order of 92 quadrillion euros: every amount and quantity is bounded.
        broken(
            |b| b["lines"][0]["unit_amount"] = json!(9_223_372_036_854_775_807_i64),
            "lines[0].unit_amount",
        ),
        broken(
            |b| b["lines"][0]["quantity"] = json!(10_001),
            "lines[0].quantity",
        ),
        broken(
            |b| {
                b["lines"][0]["unit_amount"] = json!(99_999_999);
                b["lines"][0]["quantity"] = json!(2);
            },
            "lines: the order comes to more than",
        ),
        broken(
            |b| b["discounts"][0]["amount"] = json!(100_000_000),
            "discounts[0].amount",
        ),
        broken(
            |b| b["discounts"] = json!([{"name": "x"}]),
            "discounts[0]: missing field `amount`",
        ),
    ]
}

#[tokio::test]
async fn each_bad_field_is_a_400_naming_it_and_nothing_is_written() {
    let api = spawn_store_api().await;
    for (body, field) in bad_bodies() {
        let message = assert_error(api.post_order(&body).await, 400, "invalid_request").await;
        assert!(
            message.contains(field),
            "{field} not in {message:?} for {body}"
        );
    }
    assert_nothing_written(&api);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_400() {
    let api = spawn_store_api().await;
    let as_array = {
        let body = order_body("A-bad", "user-bad");
        let fields = [
            "store_order_id",
            "shopper",
            "lines",
            "discounts",
            "currency",
        ];
        Value::Array(fields.iter().map(|field| body[*field].clone()).collect()).to_string()
    };
    for text in ["{\"store_order_id\": ", "", "[]", "null", &as_array] {
        let response = api
            .request(Method::POST, "/api/v1/orders")
            .header("Content-Type", "application/json")
            .body(text.to_owned())
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status().as_u16(), 400, "{text:?}");
        let code = super::json_of(response).await["error"]["code"].clone();
        assert!(
            code == "invalid_body" || code == "invalid_request",
            "{code}"
        );
    }
    assert_nothing_written(&api);
}

#[tokio::test]
async fn a_body_that_is_not_sent_as_json_is_refused_with_415() {
    let api = spawn_store_api().await;
    let body = order_body("A-bad", "user-bad").to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = api
            .request(Method::POST, "/api/v1/orders")
            .body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        let response = request.send().await.expect("POST");
        assert_error(response, 415, "invalid_body").await;
    }
    assert_nothing_written(&api);
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_json() {
    let api = spawn_store_api().await;
    let mut body = order_body("A-big", "user-bad");
    body["lines"][0]["product_description"] = json!("x".repeat(70 * 1024));
    let response = api.post_order(&body).await;
    assert_error(response, 413, "invalid_body").await;
    assert_eq!(api.count("orders WHERE store_order_id = ?1", "A-big"), 0);
}

fn assert_nothing_written(api: &StoreApi) {
    assert_eq!(api.count("orders WHERE store_order_id = ?1", "A-bad"), 0);
    assert_eq!(
        api.count("shoppers WHERE store_user_id = ?1", "user-bad"),
        0
    );
}
