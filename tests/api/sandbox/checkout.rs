//! The sandbox's hosted checkout: approving, declining, cancelling, new cards, callbacks and
//! redirects.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use voucherly_account::sandbox::demo;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{
    APPROVE_VISA, EXPIRED_MASTERCARD, SEPA, SandboxApp, VISA, html, marios_payment, spawn_sandbox,
    token_in,
};
use crate::helpers::location;

/// The new-card part of the checkout form, approving with `number` (expiring 11/2099).
fn new_card(number: &str, save: bool) -> Vec<(&str, &str)> {
    let mut fields = vec![
        ("action", "approve"),
        ("method", "new"),
        ("holder_name", "Mario Rossi"),
        ("card_number", number),
        ("expiry_month", "11"),
        ("expiry_year", "2099"),
    ];
    if save {
        fields.push(("save_card", "on"));
    }
    fields
}

/// Waits (briefly) for the background callback post to arrive.
async fn wait_for_callbacks(server: &MockServer, count: usize) {
    for _ in 0..50 {
        let received = server.received_requests().await.unwrap_or_default();
        if received.len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Creates Mario's payment with a callback server of its own, expecting `times` callbacks.
async fn marios_payment_with_callback(app: &SandboxApp, times: u64) -> (String, MockServer) {
    // The server must exist before the payment names it, and its mock names the payment.
    let server = MockServer::start().await;
    let id = app
        .new_payment(marios_payment(Some(&server), Some(VISA)))
        .await;
    Mock::given(method("POST"))
        .and(path("/callback"))
        .and(body_partial_json(json!({"id": id, "tenant": "sand"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(times)
        .mount(&server)
        .await;
    (id, server)
}

#[tokio::test]
async fn the_checkout_page_lists_the_lines_and_preselects_the_requested_method() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(marios_payment(None, Some(SEPA))).await;
    let html = app.checkout_page(&id).await;
    assert!(html.contains(r#"<html lang="it">"#));
    assert!(html.contains("Voucherly") && html.contains("sandbox"));
    assert!(html.contains("Pizza margherita") && html.contains("Acqua frizzante"));
    assert!(
        html.contains("15,80 €") && html.contains("17,80 €"),
        "line and total"
    );
    assert!(
        html.contains("Benvenuto") && html.contains("−1,00 €"),
        "the discount by name"
    );
    let requested = format!(r#"value="{SEPA}" checked"#);
    assert!(html.contains(&requested), "the requested method is chosen");
    let expired = format!(r#"value="{EXPIRED_MASTERCARD}" disabled"#);
    assert!(
        html.contains(&expired),
        "an expired card is shown but disabled"
    );
    assert!(html.contains("IT60 •••• 3456") && !html.contains("IT60X0542811101000000123456"));
    assert!(!html.contains("style=") && !html.contains("<script"));
    let mut english = marios_payment(None, None);
    english["language"] = json!("en");
    let html = app.checkout_page(&app.new_payment(english).await).await;
    assert!(html.contains(r#"<html lang="en">"#) && html.contains("€17.80"));
}

#[tokio::test]
async fn approving_posts_the_callback_and_redirects_to_the_ok_url() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 1).await;
    let response = app.pay(&id, &APPROVE_VISA).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let ok = "http://127.0.0.1:9/return/ok?order=1234&success=OK&status=Paid";
    let rest = "referenceId=order-1234&amount=1780";
    let customer = demo::MARIO_CUSTOMER_ID;
    assert_eq!(
        location(&response),
        format!("{ok}&paymentId={id}&{rest}&customerId={customer}&tenant=sand")
    );
    wait_for_callbacks(&callback, 1).await;
    let payment = app.payment(&id).await;
    assert_eq!(payment["status"], "Paid");
    let transaction = &payment["transactions"][0];
    assert_eq!(transaction["customerPaymentMethodId"], VISA);
    assert_eq!(transaction["creditCard"]["pan"], "************4242");
    assert_eq!(transaction["amount"], 1780);
}

#[tokio::test]
async fn declining_and_cancelling_go_to_the_ko_url() {
    let app = spawn_sandbox().await;
    for action in ["decline", "cancel"] {
        let status = "Voided";
        // Callbacks follow successful checkouts only (s2s.md).
        let (id, callback) = marios_payment_with_callback(&app, 0).await;
        let response = app.pay(&id, &[("action", action)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{action}");
        let ko = "http://127.0.0.1:9/return/ko?success=KO";
        let expected = format!("{ko}&status={status}&paymentId={id}");
        assert!(location(&response).starts_with(&expected));
        assert_eq!(app.payment(&id).await["status"], status);
        drop(callback);
    }
}

#[tokio::test]
async fn a_completed_payment_cannot_be_paid_twice() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 1).await;
    let token = token_in(&app.checkout_page(&id).await);
    let first = app.submit(&id, &token, &APPROVE_VISA).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = app.submit(&id, &token, &APPROVE_VISA).await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert!(html(second).await.contains("già stato completato"));
    let reopened = app.checkout_page(&id).await;
    assert!(reopened.contains("già stato completato") && !reopened.contains(r#"name="token""#));
    wait_for_callbacks(&callback, 1).await;
    let transactions = app.payment(&id).await["transactions"].clone();
    assert_eq!(transactions.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_wrong_token_an_expired_card_or_a_bad_number_is_refused() {
    let app = spawn_sandbox().await;
    let (id, _callback) = marios_payment_with_callback(&app, 0).await;
    let forged = app.submit(&id, "forged", &APPROVE_VISA).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let expired = [("action", "approve"), ("method", EXPIRED_MASTERCARD)];
    let refused = app.pay(&id, &expired).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad_card = new_card("4242 4242 4242 4241", false);
    let refused = app.pay(&id, &bad_card).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html(refused)
            .await
            .contains("numero della carta non è valido")
    );
    assert_eq!(app.payment(&id).await["status"], "Requested");
}

#[tokio::test]
async fn a_new_saved_card_appears_masked_in_the_methods_list() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 1).await;
    let response = app.pay(&id, &new_card("5555 5555 5555 4444", true)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let list = app.methods_of(demo::MARIO_CUSTOMER_ID).await;
    let methods = list["items"].as_array().expect("items");
    assert_eq!(methods.len(), 5);
    // The most recent first (list-customer-payment-method.api.mdx).
    let saved = &methods[0];
    assert_eq!(saved["creditCard"]["pan"], "************4444");
    assert_eq!(saved["creditCard"]["brand"], "mastercard");
    assert_eq!(saved["creditCard"]["expirationYear"], 2099);
    assert!(!list.to_string().contains("5555555555554444"));
    let transaction = &app.payment(&id).await["transactions"][0];
    assert_eq!(transaction["customerPaymentMethodId"], saved["id"]);
    wait_for_callbacks(&callback, 1).await;
}

#[tokio::test]
async fn a_lost_callback_is_never_posted_but_the_shopper_returns() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 0).await;
    let fields = [
        ("action", "approve"),
        ("method", VISA),
        ("lost_callback", "on"),
    ];
    let response = app.pay(&id, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).contains("success=OK"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(callback);
    assert_eq!(app.payment(&id).await["status"], "Paid");
}

#[tokio::test]
async fn a_payment_without_redirect_urls_is_refused() {
    // openapi.yaml: `redirectOkUrl` and `redirectKoUrl` are `nullable: false`.
    let app = spawn_sandbox().await;
    let mut body = marios_payment(None, None);
    let fields = body.as_object_mut().expect("an object");
    fields.retain(|name, _| name != "redirectOkUrl");
    let (status, error) = app
        .call(reqwest::Method::POST, "/payments", Some(&body))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["code"], "VALIDATION_ERROR");
    assert_eq!(error["parameter"], "RedirectOkUrl");
}

/// Issue 11, item 5: each line shows its amount net of its own discount, the payment's
/// discounts follow by name, and the rows add up to the total (no discount counted twice).
#[tokio::test]
async fn the_checkout_sums_add_up() {
    let app = spawn_sandbox().await;
    let mut body = marios_payment(None, None);
    body["language"] = json!("en");
    body["lines"] = json!([
        {"quantity": 2, "unitAmount": 750, "productName": "Pizza", "isFood": true},
        {"quantity": 1, "unitAmount": 450, "unitDiscountAmount": 50, "productName": "Beer"}
    ]);
    body["discounts"] = json!([{"discountName": "Coupon", "amount": 200}]);
    let html = app.checkout_page(&app.new_payment(body).await).await;
    // €15.00 + €4.00 − €2.00 = €17.00, with the beer's €0.50 shown once, beside it.
    for shown in [
        "€15.00",
        "€4.00",
        "discount −€0.50",
        "Coupon",
        "−€2.00",
        "Total",
        "€17.00",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    assert_eq!(html.matches("€0.50").count(), 1, "{html}");
    assert!(!html.contains("−€2.50"), "{html}");
}
