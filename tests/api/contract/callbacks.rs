//! The server-to-server callback and the browser's way back.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};
use voucherly_account::sandbox::demo;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{approve, basket, eventually, one_line, statuses};
use crate::helpers::location;
use crate::sandbox::{SandboxApp, VISA, spawn_sandbox};

/// A payment whose callback goes to a fresh mock answering `answer` (`times` calls expected).
async fn with_callback(
    app: &SandboxApp,
    answer: ResponseTemplate,
    times: u64,
) -> (String, MockServer) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/callback"))
        .respond_with(answer)
        .expect(times)
        .mount(&server)
        .await;
    let mut body = basket(one_line(1500, false));
    body["callbackUrl"] = json!(format!("{}/callback", server.uri()));
    (app.new_payment(body).await, server)
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": true, "orderId": "77"}))
}

async fn received(server: &MockServer) -> Vec<Value> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|request| serde_json::from_slice(&request.body).unwrap_or(Value::Null))
        .collect()
}

/// Source: docs/api/general/best-practices/s2s.md ("Voucherly attempts to contact the merchant's
/// server before redirecting the customer"; the body is "a subset of the Payment properties":
/// Id, Tenant, Mode, ReferenceId, MerchantId, CustomerId, the six amounts, Status).
#[tokio::test]
async fn the_callback_carries_the_documented_subset_and_comes_before_the_redirect() {
    let app = spawn_sandbox().await;
    let (id, server) = with_callback(&app, ok(), 1).await;
    approve(&app, &id, VISA).await;
    // Already there when the browser is redirected: no waiting.
    let bodies = received(&server).await;
    assert_eq!(bodies.len(), 1);
    let body = &bodies[0];
    let fields: BTreeSet<&str> = body
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let documented = [
        "id",
        "tenant",
        "mode",
        "referenceId",
        "merchantId",
        "customerId",
        "totalAmount",
        "discountAmount",
        "finalAmount",
        "paidAmount",
        "paidVoucherAmount",
        "amount",
        "status",
    ];
    assert_eq!(fields, documented.into_iter().collect());
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["tenant"], "sand");
    assert_eq!(body["mode"], "Payment");
    assert_eq!(body["referenceId"], "order-77");
    assert_eq!(body["customerId"], demo::MARIO_CUSTOMER_ID);
    assert_eq!(body["paidAmount"], 1500);
    assert_eq!(body["status"], "Paid");
    let payment = app.payment(&id).await;
    assert_eq!(payment["callback"]["success"], true);
}

/// Source: s2s.md ("Until we receive an expected response we resend the notification up to 3
/// times. If the issue persists, the payment will be cancelled, and all transactions will be
/// refunded"). Three tries in all: the stricter reading.
#[tokio::test]
async fn a_callback_never_answered_ok_is_tried_three_times_then_the_payment_is_cancelled() {
    let app = spawn_sandbox().await;
    let (id, server) = with_callback(&app, ResponseTemplate::new(503), 3).await;
    approve(&app, &id, VISA).await;
    let payment = eventually(&app, &id, |p| p["status"] == "Cancelled").await;
    assert_eq!(statuses(&payment), ["Cancelled"]);
    assert_eq!(payment["callback"]["success"], false);
    assert_eq!(received(&server).await.len(), 3);
}

/// Source: s2s.md (the merchant "must respond with an HTTP `200 OK` status code and a JSON body"
/// with `ok`): a 200 with `ok: false` is no answer; a later `ok: true` keeps the payment.
#[tokio::test]
async fn a_callback_answered_ok_on_a_later_try_keeps_the_payment() {
    let app = spawn_sandbox().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": false})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let mut body = basket(one_line(1500, false));
    body["callbackUrl"] = json!(format!("{}/callback", server.uri()));
    let id = app.new_payment(body).await;
    approve(&app, &id, VISA).await;
    let payment = eventually(&app, &id, |p| p["callback"]["success"] == true).await;
    assert_eq!(payment["status"], "Paid");
}

/// Source: s2s.md ("If true, Voucherly will not make further attempts to call the callback
/// endpoint"). The payment is then cancelled and refunded, as when every try fails (the
/// merchant refused it; the stricter reading).
#[tokio::test]
async fn stop_true_ends_the_tries() {
    let app = spawn_sandbox().await;
    let stop = ResponseTemplate::new(200)
        .set_body_json(json!({"ok": false, "stop": true, "error": "paid twice"}));
    let (id, server) = with_callback(&app, stop, 1).await;
    approve(&app, &id, VISA).await;
    eventually(&app, &id, |p| p["status"] == "Cancelled").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(received(&server).await.len(), 1);
}

/// Source: s2s.md ("Callbacks are sent every time a user completes a checkout flow
/// successfully"): a declined checkout posts none.
#[tokio::test]
async fn a_declined_checkout_posts_no_callback() {
    let app = spawn_sandbox().await;
    let (id, server) = with_callback(&app, ok(), 0).await;
    let response = app.pay(&id, &[("action", "decline")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.payment(&id).await["status"], "Voided");
    drop(server);
}

/// Source: the official WooCommerce plugin (`voucherly.php`, action `redirect`: reads
/// `success`, `status`, `paymentId`) and the contract's return parameters (`referenceId`,
/// `amount`, `customerId`, `tenant`; `success` is `OK` or `KO`).
#[tokio::test]
async fn the_redirect_carries_the_outcome_and_the_payment_ids() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(basket(one_line(1500, false))).await;
    let response = approve(&app, &id, VISA).await;
    let url = reqwest::Url::parse(location(&response)).expect("a URL");
    assert_eq!(url.path(), "/ok");
    let query: std::collections::BTreeMap<String, String> =
        url.query_pairs().into_owned().collect();
    assert_eq!(query["success"], "OK");
    assert_eq!(query["status"], "Paid");
    assert_eq!(query["paymentId"], id);
    assert_eq!(query["referenceId"], "order-77");
    assert_eq!(query["amount"], "1500");
    assert_eq!(query["customerId"], demo::MARIO_CUSTOMER_ID);
    assert_eq!(query["tenant"], "sand");
    let declined = app.new_payment(basket(one_line(1500, false))).await;
    let response = app.pay(&declined, &[("action", "cancel")]).await;
    let ko = location(&response);
    assert!(
        ko.starts_with("http://127.0.0.1:9/ko?success=KO&status=Voided"),
        "{ko}"
    );
}

/// Source: s2s.md ("Multiple callbacks and Wallet payments": a wallet charge during the checkout
/// "is handled as a separate payment ... linked to the original ... using the `ParentPaymentId`
/// property and is assigned the **Wallet** mode"; "Callbacks are sent every time a user
/// completes a checkout flow successfully").
#[tokio::test]
async fn a_wallet_top_up_during_the_checkout_is_a_child_payment_that_calls_back_too() {
    let app = spawn_sandbox().await;
    let (id, server) = with_callback(&app, ok(), 2).await;
    approve(&app, &id, "wallet").await;
    let bodies = received(&server).await;
    assert_eq!(bodies.len(), 2);
    let (child, parent) = (&bodies[0], &bodies[1]);
    assert_eq!(child["mode"], "Wallet");
    assert_eq!(parent["id"], id.as_str());
    assert_eq!(parent["mode"], "Payment");
    let child_id = child["id"].as_str().expect("the child's id");
    let top_up = app.api_get(&format!("/payments/{child_id}")).await;
    assert_eq!(top_up["parentPaymentId"], id.as_str());
    assert_eq!(top_up["status"], "Confirmed");
    let payment = app.payment(&id).await;
    assert_eq!(
        payment["status"], "Confirmed",
        "the wallet is captured at the checkout"
    );
    assert_eq!(payment["transactions"][0]["isWallet"], true);
}

/// Source: the official WooCommerce plugin (`voucherly.php`, action `callback`: its last
/// answer, `exit(wp_json_encode(['ok' => true, 'orderId' => ...]))`, sets no `Content-Type`, so
/// PHP sends `text/html`) and s2s.md (the answer is "HTTP 200" with `ok`): the body counts,
/// not its declared type.
#[tokio::test]
async fn an_ok_answer_sent_as_text_html_is_ok() {
    let app = spawn_sandbox().await;
    let as_html = ResponseTemplate::new(200)
        .set_body_raw(r#"{"ok":true,"orderId":"101"}"#, "text/html; charset=UTF-8");
    let (id, server) = with_callback(&app, as_html, 1).await;
    approve(&app, &id, VISA).await;
    let payment = eventually(&app, &id, |p| p["callback"]["success"] == true).await;
    assert_eq!(payment["status"], "Paid");
    drop(server);
}

/// Source: the official PrestaShop plugin (`controllers/front/callback.php`: a cart that
/// already has an order answers `{"ok": false, "stop": true}` with HTTP 409) and s2s.md
/// (`stop: true`: "Voucherly will not make further attempts"): one try, whatever the status.
/// The callback comes before the redirect (s2s.md), so the browser goes back to
/// `redirectKoUrl` with the payment's status after the refusal, not a stale `success=OK`.
#[tokio::test]
async fn stop_true_with_http_409_ends_the_tries_and_the_redirect_says_so() {
    let app = spawn_sandbox().await;
    let stop = ResponseTemplate::new(409).set_body_raw(
        r#"{"ok":false,"stop":true,"error":"PrestaShop Cart has an order"}"#,
        "text/html; charset=UTF-8",
    );
    let (id, server) = with_callback(&app, stop, 1).await;
    let response = approve(&app, &id, VISA).await;
    let back = location(&response);
    assert!(
        back.starts_with("http://127.0.0.1:9/ko?success=KO&status=Cancelled&"),
        "{back}"
    );
    eventually(&app, &id, |p| p["status"] == "Cancelled").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(received(&server).await.len(), 1);
}

/// Source: docs/api/webapi/schemas/payment.Schema.json (`closeCheckout`: "whether the checkout
/// was closed successfully (true) or cancelled (false)" and "the UTC timestamp when the checkout
/// was closed"): unset while the checkout is open.
#[tokio::test]
async fn the_payment_tells_how_and_when_its_checkout_was_closed() {
    let app = spawn_sandbox().await;
    let paid = app.new_payment(basket(one_line(1500, false))).await;
    assert!(app.payment(&paid).await["closeCheckout"].is_null());
    approve(&app, &paid, VISA).await;
    let closed = app.payment(&paid).await["closeCheckout"].clone();
    assert_eq!(closed["success"], true, "{closed}");
    let date = closed["date"].as_str().unwrap_or_default();
    assert!(date.len() >= 20 && date.ends_with('Z'), "{closed}");
    let declined = app.new_payment(basket(one_line(1500, false))).await;
    let response = app.pay(&declined, &[("action", "decline")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.payment(&declined).await["closeCheckout"]["success"],
        false
    );
}
