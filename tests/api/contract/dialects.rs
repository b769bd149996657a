//! Where the documentation's spec and the SDK's copy disagree (`shared/voucherly-api.md`, "Open
//! questions"): the sandbox answers either way, chosen by its dialect, and a strict sandbox
//! refuses the field its dialect's schema lacks.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::{Dialect, demo};

use super::{approve, basket, created, one_line, operate};
use crate::sandbox::{SandboxApp, VISA, spawn_sandbox_as};

/// A paid and confirmed card payment of 5,00 €, answered by its id.
async fn confirmed(app: &SandboxApp) -> String {
    let id = app.new_payment(basket(one_line(500, false))).await;
    approve(app, &id, VISA).await;
    let (status, _) = operate(app, &id, "confirm", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    id
}

/// Source: openapi.yaml `PaymentGateways.PaymentGatewayType` (integers: "0: Card", "1: Voucher",
/// "2: Other"); the SDK's spec (`MealVoucher`, `CC`, `Other`, ...).
#[tokio::test]
async fn a_gateways_type_is_an_integer_in_the_docs_and_a_name_in_the_sdk() {
    for (dialect, edenred, card) in [
        (Dialect::Docs, json!(1), json!(0)),
        (Dialect::Sdk, json!("MealVoucher"), json!("CC")),
    ] {
        let app = spawn_sandbox_as(dialect, true).await;
        let gateways = app.api_get("/payment_gateways").await;
        let kind = |id: &str| -> Value {
            let items = gateways["items"].as_array().expect("items");
            items.iter().find(|g| g["id"] == id).expect(id)["type"].clone()
        };
        assert_eq!(
            (kind("edenred"), kind("card")),
            (edenred, card),
            "{dialect:?}"
        );
    }
}

/// Source: openapi.yaml `list-customer-payment-method` declares no query parameter but answers a
/// `pagination` cursor, so the docs dialect pages by the default 10 whatever `length` says; the
/// SDK's spec declares `length` (1–100) and `start`.
#[tokio::test]
async fn saved_methods_page_by_ten_in_the_docs_and_by_length_in_the_sdk() {
    let path = format!(
        "/customers/{}/payment_methods?length=2",
        demo::MARIO_CUSTOMER_ID
    );
    let docs = spawn_sandbox_as(Dialect::Docs, true).await;
    let page = docs.api_get(&path).await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        page["pagination"],
        json!({"hasMore": false, "nextStart": null})
    );
    let sdk = spawn_sandbox_as(Dialect::Sdk, true).await;
    let page = sdk.api_get(&path).await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    assert!(page["pagination"]["nextStart"].is_string(), "{page}");
}

/// Source: openapi.yaml `RefundPaymentRequest` (`asCredit`, at the top and per transaction); the
/// SDK's spec and payment-confirmation.md (`refundMode`). Each strict dialect refuses the
/// other's field; a sandbox that is not strict reads both.
#[tokio::test]
async fn a_refund_to_the_wallet_is_as_credit_in_the_docs_and_refund_mode_in_the_sdk() {
    let as_credit = json!({"asCredit": true});
    let refund_mode = json!({"refundMode": "Credit"});
    for (dialect, own, foreign, parameter) in [
        (Dialect::Docs, &as_credit, &refund_mode, "RefundMode"),
        (Dialect::Sdk, &refund_mode, &as_credit, "AsCredit"),
    ] {
        let app = spawn_sandbox_as(dialect, true).await;
        let id = confirmed(&app).await;
        let (status, problem) = operate(&app, &id, "refund", foreign.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{dialect:?} {problem}");
        assert_eq!(problem["parameter"], parameter);
        let (status, payment) = operate(&app, &id, "refund", own.clone()).await;
        assert_eq!(status, StatusCode::OK, "{dialect:?} {payment}");
        assert_eq!(payment["status"], "Refunded");
    }
    let tolerant = spawn_sandbox_as(Dialect::Docs, false).await;
    for body in [as_credit, refund_mode] {
        let id = confirmed(&tolerant).await;
        let (status, payment) = operate(&tolerant, &id, "refund", body).await;
        assert_eq!(
            (status, &payment["status"]),
            (StatusCode::OK, &json!("Refunded"))
        );
    }
}

/// Source: the SDK's spec (`mode` required on `CreatePaymentRequest`); openapi.yaml (optional).
#[tokio::test]
async fn the_sdk_requires_a_mode_and_the_docs_do_not() {
    let mut body = basket(one_line(500, true));
    body.as_object_mut().map(|b| b.remove("mode"));
    let docs = spawn_sandbox_as(Dialect::Docs, true).await;
    created(&docs, &body).await;
    let sdk = spawn_sandbox_as(Dialect::Sdk, true).await;
    let (status, problem) = sdk.call(Method::POST, "/payments", Some(&body)).await;
    assert_eq!(
        (status, &problem["parameter"]),
        (StatusCode::BAD_REQUEST, &json!("Mode"))
    );
}
