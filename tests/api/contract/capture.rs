//! Authorisation, capture and the way back: confirm, void, refund, and what the clock does.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use voucherly_account::sandbox::Timings;

use super::{EDENRED, approve, basket, eventually, mixed_lines, one_line, operate, statuses};
use crate::sandbox::{VISA, quick, spawn_sandbox, spawn_sandbox_with};

/// Source: docs/guides/about/resources/payments-lifecycle.md ("a Payment paid with a card or
/// PayPal stays `Paid` until you confirm it"); confirm-payment (`Paid` → `Confirmed`).
#[tokio::test]
async fn a_card_payment_is_paid_until_it_is_confirmed() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(basket(one_line(1200, false))).await;
    approve(&app, &id, VISA).await;
    let paid = app.payment(&id).await;
    assert_eq!(paid["status"], "Paid");
    assert_eq!(statuses(&paid), ["Paid"]);
    assert_eq!(paid["transactions"][0]["confirmedAmount"], 0);
    let (status, confirmed) = operate(&app, &id, "confirm", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(confirmed["status"], "Confirmed");
    assert_eq!(confirmed["transactions"][0]["confirmedAmount"], 1200);
}

/// Source: create-payment.RequestSchema.json (`isAutoConfirm`: "payment is automatically
/// confirmed before redirecting customer").
#[tokio::test]
async fn with_is_auto_confirm_a_card_payment_is_confirmed_at_the_checkout() {
    let app = spawn_sandbox().await;
    let mut body = basket(one_line(1200, false));
    body["isAutoConfirm"] = json!(true);
    let id = app.new_payment(body).await;
    approve(&app, &id, VISA).await;
    let payment = app.payment(&id).await;
    assert_eq!(payment["status"], "Confirmed");
    assert_eq!(statuses(&payment), ["Confirmed"]);
}

/// Source: payments-lifecycle.md ("Meal voucher Payment gateways do not support two-step
/// process ... a Payment paid only with them is `Confirmed` as soon as the customer pays");
/// payment-confirmation.md (confirming it again "fails with `409`").
#[tokio::test]
async fn a_meal_voucher_payment_is_confirmed_at_once_and_cannot_be_confirmed_again() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(basket(one_line(900, true))).await;
    approve(&app, &id, EDENRED).await;
    let payment = app.payment(&id).await;
    assert_eq!(payment["status"], "Confirmed");
    assert_eq!(payment["paidVoucherAmount"], 900);
    let (status, problem) = operate(&app, &id, "confirm", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "ALREADY_CONFIRMED");
    assert_eq!(problem["paymentStatus"], "Confirmed");
}

/// Source: docs/api/webapi/void-payment.api.mdx ("Only Payments in `Requested` status can be
/// voided"); payments-lifecycle.md (`Voided`).
#[tokio::test]
async fn only_an_open_checkout_can_be_voided() {
    let app = spawn_sandbox().await;
    let open = app.new_payment(basket(one_line(500, false))).await;
    let (status, voided) = operate(&app, &open, "void", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(voided["status"], "Voided");
    let paid = app.new_payment(basket(one_line(500, false))).await;
    approve(&app, &paid, VISA).await;
    let (status, problem) = operate(&app, &paid, "void", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["paymentStatus"], "Paid");
}

/// Source: payments-lifecycle.md (refund "cancels the authorizations not yet captured and
/// refunds the captured ones"); hosted-checkout/index.md (same, `PAID` cancelled, `Confirmed`
/// refunded).
#[tokio::test]
async fn a_refund_cancels_what_is_authorised_and_refunds_what_was_captured() {
    let app = spawn_sandbox().await;
    let authorised = app.new_payment(basket(one_line(500, false))).await;
    approve(&app, &authorised, VISA).await;
    let (_, cancelled) = operate(&app, &authorised, "refund", json!({"transactions": null})).await;
    assert_eq!(cancelled["status"], "Cancelled");
    assert_eq!(statuses(&cancelled), ["Cancelled"]);
    let captured = app.new_payment(basket(one_line(500, false))).await;
    approve(&app, &captured, VISA).await;
    operate(&app, &captured, "confirm", json!({})).await;
    let (_, refunded) = operate(&app, &captured, "refund", json!({"transactions": null})).await;
    assert_eq!(refunded["status"], "Refunded");
    assert_eq!(refunded["transactions"][0]["refundedAmount"], 500);
}

/// Source: files/openapi.yaml `RefundPaymentRequest.Transaction` ("`amount`: If specified, is
/// the partial amount to be refunded"); payments-lifecycle.md (`RefundedPartially`).
#[tokio::test]
async fn a_captured_transaction_can_be_refunded_in_part() {
    let app = spawn_sandbox().await;
    let mut body = basket(one_line(1000, false));
    body["isAutoConfirm"] = json!(true);
    let id = app.new_payment(body).await;
    approve(&app, &id, VISA).await;
    let tx = app.payment(&id).await["transactions"][0]["id"].clone();
    let partial = json!({"transactions": [{"id": tx, "amount": 300}]});
    let (status, payment) = operate(&app, &id, "refund", partial).await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    assert_eq!(payment["status"], "Confirmed");
    assert_eq!(statuses(&payment), ["RefundedPartially"]);
    let too_much = json!({"transactions": [{"id": tx, "amount": 701}]});
    let (status, problem) = operate(&app, &id, "refund", too_much).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["code"], "VALIDATION_ERROR");
    let rest = json!({"transactions": [{"id": tx}]});
    let (_, payment) = operate(&app, &id, "refund", rest).await;
    assert_eq!(payment["status"], "Refunded");
}

/// Source: payments-lifecycle.md (`ImpossibleRefund`: "A refund could not be processed for the
/// transaction. It's common for meal voucher Payment gateways"). A test chooses it with the
/// checkout's testing option; `refundMode: Credit` (payment-confirmation.md#refund-mode)
/// credits the wallet instead.
#[tokio::test]
async fn a_meal_voucher_refund_can_end_impossible_refund() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(basket(one_line(900, true))).await;
    let fields = [
        ("action", "approve"),
        ("method", EDENRED),
        ("voucher_refund_fails", "on"),
    ];
    assert_eq!(app.pay(&id, &fields).await.status(), StatusCode::SEE_OTHER);
    let (status, payment) = operate(&app, &id, "refund", json!({"transactions": null})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(statuses(&payment), ["ImpossibleRefund"]);
    assert_eq!(
        payment["status"], "Confirmed",
        "the money is still with the merchant"
    );
    let credit = json!({"transactions": null, "refundMode": "Credit"});
    let (_, payment) = operate(&app, &id, "refund", credit).await;
    assert_eq!(payment["status"], "Refunded");
}

/// Source: hosted-checkout/index.md ("If the payment is not captured before the authorization
/// expires, the payment is canceled"); payment-confirmation.md (409 when "an authorization
/// expired before it could be captured").
#[tokio::test]
async fn an_authorisation_not_confirmed_in_time_expires() {
    let app = spawn_sandbox_with(Timings {
        authorisation: Duration::from_secs(1),
        ..quick()
    })
    .await;
    let id = app.new_payment(basket(one_line(500, false))).await;
    approve(&app, &id, VISA).await;
    let payment = eventually(&app, &id, |p| p["status"] == "Cancelled").await;
    assert_eq!(statuses(&payment), ["Expired"]);
    let (status, problem) = operate(&app, &id, "confirm", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["paymentStatus"], "Cancelled");
}

/// Source: openapi.yaml `CreatePaymentRequest.timeout` ("Seconds the customer has to complete
/// the checkout, after which the Payment is voided").
#[tokio::test]
async fn a_checkout_nobody_completes_is_voided_after_its_timeout_in_seconds() {
    let app = spawn_sandbox().await;
    let mut body = basket(mixed_lines());
    body["timeout"] = json!(1);
    let id = app.new_payment(body).await;
    let payment = eventually(&app, &id, |p| p["status"] == "Voided").await;
    assert_eq!(payment["paidAmount"], 0);
    let page = app.checkout_page(&id).await;
    assert!(
        page.contains("Voided") && !page.contains(r#"name="token""#),
        "{page}"
    );
}

/// Source: openapi.yaml `CreatePaymentRequest.timeout` ("Without it the checkout has no
/// deadline of its own, and a Payment still `Requested` 12 hours after its creation is
/// voided"): the sandbox's 12 hours, shortened here to a second.
#[tokio::test]
async fn a_checkout_without_a_timeout_is_voided_when_the_twelve_hours_are_up() {
    assert_eq!(Timings::default().checkout, Duration::from_secs(12 * 3600));
    let app = spawn_sandbox_with(Timings {
        checkout: Duration::from_secs(1),
        ..quick()
    })
    .await;
    let id = app.new_payment(basket(mixed_lines())).await;
    assert_eq!(app.payment(&id).await["status"], "Requested");
    eventually(&app, &id, |p| p["status"] == "Voided").await;
}

/// Source: files/openapi.yaml `retrieve-payment`, header `Voucherly-Wait-Time` ("Seconds that
/// the call will be hanging, waiting for a payment status change. Maximum value is 60").
#[tokio::test]
async fn a_read_can_wait_for_the_status_to_change() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(basket(one_line(500, false))).await;
    let url = app.url(&format!("/v1/payments/{id}"));
    let read = |wait: &'static str| {
        app.client
            .get(&url)
            .header("Voucherly-API-Key", "sk_sand_x")
            .header("Voucherly-Wait-Time", wait)
            .send()
    };
    let waiting = read("5");
    let paying = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        approve(&app, &id, VISA).await;
    };
    let started = tokio::time::Instant::now();
    let (answer, ()) = tokio::join!(waiting, paying);
    let payment: serde_json::Value = answer.expect("an answer").json().await.expect("JSON");
    assert_eq!(payment["status"], "Paid");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "it answered on the change"
    );
    let too_long = read("61").await.expect("an answer");
    assert_eq!(too_long.status(), StatusCode::BAD_REQUEST);
}
