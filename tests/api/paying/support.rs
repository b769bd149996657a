//! What the paying tests share: finding orders, submitting pay forms, reading our records.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::test_db::{FromVal, TestDb, Val};
use crate::helpers::{TestApp, spawn_app_with_voucherly};

pub const MARIO_CUSTOMER: &str = "cus_mario";
pub const VISA: &str = "pm_visa";
pub const EXPIRED_MASTERCARD: &str = "pm_old_mastercard";

/// A fresh idempotency key, as the profile would render one.
pub fn new_key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

pub fn db(app: &TestApp) -> TestDb {
    app.db()
}

/// Our id of a store order.
pub fn order_id(app: &TestApp, store_order_id: &str) -> i64 {
    db(app).value(
        "SELECT id FROM orders WHERE store_order_id = ?1",
        args![store_order_id],
    )
}

/// (status, amount, method_label) of every payment record, oldest first.
pub fn payment_records(app: &TestApp) -> Vec<(String, i64, Option<String>)> {
    db(app)
        .rows(
            "SELECT status, amount, method_label FROM payments ORDER BY id",
            &[],
        )
        .into_iter()
        .map(|row| {
            let [status, amount, label] = <[Val; 3]>::try_from(row).expect("three columns");
            (
                FromVal::from_val(status),
                FromVal::from_val(amount),
                FromVal::from_val(label),
            )
        })
        .collect()
}

/// Submits the pay form of `order_id` with `method_id`, plus any `extra` fields.
pub async fn pay(
    app: &TestApp,
    order_id: i64,
    key: &str,
    method_id: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = app.csrf_token("/account").await;
    let mut form = vec![
        ("csrf_token", csrf.as_str()),
        ("idempotency_key", key),
        ("method_id", method_id),
    ];
    form.extend_from_slice(extra);
    app.post_form(&format!("/account/orders/{order_id}/pay"), &form)
        .await
}

/// Mario, signed in, on an app whose Voucherly is `voucherly`, which lists his Visa and an
/// expired Mastercard.
pub async fn mario_with(voucherly: &MockServer) -> TestApp {
    Mock::given(method("GET"))
        .and(path(format!("/v1/customers/{MARIO_CUSTOMER}/payment_methods")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [
            {"id": VISA, "paymentGatewayId": "card", "creditCard":
                {"brand": "Visa", "pan": "************4242", "expirationMonth": 12, "expirationYear": 2099}},
            {"id": EXPIRED_MASTERCARD, "paymentGatewayId": "card", "creditCard":
                {"brand": "Mastercard", "pan": "************4444", "expirationMonth": 3, "expirationYear": 2023}}
        ]})))
        .mount(voucherly)
        .await;
    let app = spawn_app_with_voucherly(voucherly).await;
    app.link_customer("demo-mario", "sandbox", MARIO_CUSTOMER);
    app.sign_in_as("demo-mario").await;
    app
}

/// Voucherly's answer to a create: a `Requested` payment with its checkout URL.
pub fn created(payment_id: &str, customer_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": payment_id,
        "status": "Requested",
        "customerId": customer_id,
        "checkoutUrl": format!("https://checkout.example/{payment_id}"),
    }))
}

/// The JSON bodies of every `POST /v1/payments` Voucherly received.
pub async fn create_bodies(voucherly: &MockServer) -> Vec<serde_json::Value> {
    voucherly
        .received_requests()
        .await
        .expect("recorded requests")
        .into_iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == "/v1/payments")
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON body"))
        .collect()
}
