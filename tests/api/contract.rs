//! The contract suite: one test per behaviour Voucherly documents, run through real HTTP
//! against the embedded sandbox. Each test names its source page in `voucherly/voucherly-docs`
//! (or the official SDK or plugin it comes from) in its doc comment, so a reader can check the
//! sandbox against the documents and a change of the documents points at the test to change.
//!
//! `keys_and_errors` covers authentication, status codes and problem details; `capture` the
//! way money is authorised, captured, voided, refunded and expires; `callbacks` the S2S
//! callback and the redirect back; `meal_vouchers` food-only vouchers and `completionMode`;
//! `lines_and_shapes` the request's lines and discounts and the answers' shapes;
//! `official_clients` the PHP SDK's calls as it sends them; `newest_php_sdk` those of its
//! newest version (2.0.0); `safety` the demo-only limits;
//! `dialects` where the documentation's spec and the SDK's disagree, and the strict setting.

mod callbacks;
mod capture;
mod dialects;
mod keys_and_errors;
mod lines_and_shapes;
mod meal_vouchers;
mod newest_php_sdk;
mod official_clients;
mod safety;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::demo;

use crate::sandbox::SandboxApp;

/// The Edenred account Mario has saved.
const EDENRED: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a03";

/// A payment for Mario of `lines`, coming back to a loopback address.
fn basket(lines: Value) -> Value {
    json!({
        "mode": "Payment",
        "referenceId": "order-77",
        "customerId": demo::MARIO_CUSTOMER_ID,
        "language": "en",
        "redirectOkUrl": "http://127.0.0.1:9/ok",
        "redirectKoUrl": "http://127.0.0.1:9/ko",
        "lines": lines,
    })
}

/// €15.00 of food (pizza) and €5.00 of other goods (a mug).
fn mixed_lines() -> Value {
    json!([
        {"quantity": 1, "unitAmount": 1500, "product": {"externalId": "SKU-PIZZA", "name": "Pizza", "lineType": "Food"}},
        {"quantity": 1, "unitAmount": 500, "product": {"externalId": "SKU-MUG", "name": "Mug", "lineType": "NonFood"}}
    ])
}

/// One line of food or not.
fn one_line(amount: i64, food: bool) -> Value {
    let line_type = if food { "Food" } else { "NonFood" };
    json!([{"quantity": 1, "unitAmount": amount, "product": {"name": "Item", "lineType": line_type}}])
}

/// Creates a payment (asserting 201) and answers it.
async fn created(app: &SandboxApp, body: &Value) -> Value {
    let (status, payment) = app.call(Method::POST, "/payments", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    payment
}

/// Posts to `/payments/{id}/{operation}` with a JSON `body`.
async fn operate(app: &SandboxApp, id: &str, operation: &str, body: Value) -> (StatusCode, Value) {
    let path = format!("/payments/{id}/{operation}");
    app.call(Method::POST, &path, Some(&body)).await
}

/// Pays at the checkout with `method` (a saved method id or `gateway:<id>`), asserting the
/// browser is sent back to the store.
async fn approve(app: &SandboxApp, id: &str, method: &str) -> reqwest::Response {
    let response = app
        .pay(id, &[("action", "approve"), ("method", method)])
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "approving {id} with {method}"
    );
    response
}

/// Polls the payment until `check` holds, for up to five seconds.
async fn eventually(app: &SandboxApp, id: &str, check: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let payment = app.payment(id).await;
        if check(&payment) {
            return payment;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never reached: {payment}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn statuses(payment: &Value) -> Vec<&str> {
    payment["transactions"]
        .as_array()
        .map(|txs| txs.iter().filter_map(|tx| tx["status"].as_str()).collect())
        .unwrap_or_default()
}
