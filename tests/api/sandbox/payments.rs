//! The sandbox's payments API: creating, refusing, reading, confirming and refunding payments.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::demo;

use super::{APPROVE_VISA, VISA, marios_payment, spawn_sandbox};

#[tokio::test]
async fn a_payment_without_customer_id_creates_a_customer_and_a_checkout_url() {
    let app = spawn_sandbox().await;
    let payment = app.create_payment(json!({
        "customerFirstName": "Giulia", "customerLastName": "Bianchi",
        "customerEmail": "giulia.bianchi@example.com",
        "redirectOkUrl": "http://127.0.0.1:9/ok", "redirectKoUrl": "http://127.0.0.1:9/ko",
        "lines": [{"quantity": 3, "unitAmount": 250, "unitDiscountAmount": 50, "productName": "Caffè"}]
    })).await;
    let id = payment["id"].as_str().expect("an id");
    let customer_id = payment["customerId"].as_str().expect("a new customerId");
    assert_eq!(payment["status"], "Requested");
    assert_eq!(payment["tenant"], "sand");
    assert_eq!(payment["customerFirstName"], "Giulia");
    let amounts = ["totalAmount", "discountAmount", "finalAmount"].map(|name| &payment[name]);
    assert_eq!(amounts, [750, 150, 600]);
    let checkout_url = format!("{}/sandbox/checkout/{id}", app.address);
    assert_eq!(payment["checkoutUrl"], checkout_url);
    assert_eq!(app.methods_of(customer_id).await["items"], json!([]));
    let bare = app.api_get(&format!("/payments/{id}")).await;
    assert!(bare.get("lines").is_none_or(Value::is_null), "{bare}");
    let full = app.api_get(&format!("/payments/{id}?include=Lines")).await;
    assert_eq!(full["lines"][0]["finalAmount"], 600);
    assert!(full.get("transactions").is_none_or(Value::is_null));
}

#[tokio::test]
async fn unknown_customers_foreign_methods_and_bad_bodies_are_refused() {
    let app = spawn_sandbox().await;
    let mut unknown = marios_payment(None, None);
    unknown["customerId"] = json!("no-such-customer");
    let (status, error) = app.call(Method::POST, "/payments", Some(&unknown)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], "RESOURCE_MISSING");
    let mut foreign = marios_payment(None, Some(VISA));
    foreign["customerId"] = json!(demo::LUCA_CUSTOMER_ID);
    let (status, error) = app.call(Method::POST, "/payments", Some(&foreign)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["detail"].as_str().is_some_and(|m| m.contains(VISA)));
    let garbage = json!("not a payment");
    let (status, error) = app.call(Method::POST, "/payments", Some(&garbage)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["detail"].is_string());
    let (status, _) = app
        .call(Method::GET, "/payments/no-such-payment", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, error) = app.call(Method::PUT, "/payments", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(error["detail"].is_string());
    let (status, error) = app.call(Method::GET, "/no/such/route", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(error["detail"].is_string());
}

#[tokio::test]
async fn a_paid_payment_can_be_confirmed_then_refunded_but_not_before() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(marios_payment(None, Some(VISA))).await;
    let (confirm, refund) = (
        format!("/payments/{id}/confirm"),
        format!("/payments/{id}/refund"),
    );
    let (status, _) = app.call(Method::POST, &confirm, Some(&json!({}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    app.pay(&id, &APPROVE_VISA).await;
    let (_, confirmed) = app.call(Method::POST, &confirm, Some(&json!({}))).await;
    assert_eq!(confirmed["status"], "Confirmed");
    let all = json!({"transactions": null});
    let (_, refunded) = app.call(Method::POST, &refund, Some(&all)).await;
    assert_eq!(refunded["status"], "Refunded");
    assert_eq!(refunded["transactions"][0]["refundedAmount"], 1780);
}
