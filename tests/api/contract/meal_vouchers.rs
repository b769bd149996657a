//! Meal vouchers pay food only; the rest at the same checkout, as `completionMode` decides.

use reqwest::StatusCode;
use serde_json::json;

use super::{EDENRED, approve, basket, mixed_lines, one_line, statuses};
use crate::sandbox::{VISA, html, spawn_sandbox};

/// Source: payment-confirmation.md#split ("Meal vouchers pay only food"); payments-lifecycle.md
/// (`completionMode` Standard: "After a partial Transaction the checkout asks for the remaining
/// amount with another payment method"); payment-confirmation.md ("A Payment paid partly with
/// meal vouchers and partly by card stays `Paid` until you confirm it"); s2s.md
/// (`paidVoucherAmount`).
#[tokio::test]
async fn vouchers_pay_the_food_and_the_checkout_asks_for_the_rest() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(basket(mixed_lines())).await;
    let page = app.checkout_page(&id).await;
    assert!(
        page.contains("Of which food, payable with meal vouchers"),
        "{page}"
    );
    assert!(page.contains("meal vouchers, up to €15.00"), "{page}");
    let response = app
        .pay(&id, &[("action", "approve"), ("method", EDENRED)])
        .await;
    assert_eq!(response.status(), StatusCode::OK, "the checkout stays open");
    let page = html(response).await;
    assert!(
        page.contains("Already paid: Edenred") && page.contains("€15.00"),
        "{page}"
    );
    assert!(
        page.contains("Left to pay") && page.contains("Pay €5.00"),
        "{page}"
    );
    let open = app.payment(&id).await;
    assert_eq!(open["status"], "Requested");
    assert_eq!(open["paidVoucherAmount"], 1500);
    approve(&app, &id, VISA).await;
    let paid = app.payment(&id).await;
    assert_eq!(paid["status"], "Paid");
    assert_eq!(statuses(&paid), ["Confirmed", "Paid"]);
    assert_eq!(
        (
            paid["paidAmount"].clone(),
            paid["paidVoucherAmount"].clone()
        ),
        (json!(2000), json!(1500))
    );
    assert_eq!(paid["transactions"][0]["voucherAmount"], 1500);
}

/// Source: payments-lifecycle.md#completion-mode ("Partial. The Payment closes with the first
/// successful Transaction, whatever it covers"; AnyTransaction "As Partial"); openapi.yaml
/// `isPartialPayment` (the older switch).
#[tokio::test]
async fn with_partial_completion_the_voucher_part_closes_the_payment() {
    let app = spawn_sandbox().await;
    for (field, value) in [
        ("completionMode", json!("Partial")),
        ("completionMode", json!("AnyTransaction")),
        ("isPartialPayment", json!(true)),
    ] {
        let mut body = basket(mixed_lines());
        body[field] = value.clone();
        let id = app.new_payment(body).await;
        assert_eq!(
            app.payment(&id).await["completionMode"],
            if field == "isPartialPayment" {
                json!("Partial")
            } else {
                value.clone()
            }
        );
        approve(&app, &id, EDENRED).await;
        let payment = app.payment(&id).await;
        assert_eq!(payment["status"], "Confirmed", "{field}");
        assert_eq!(payment["paidAmount"], 1500);
        assert_eq!(payment["finalAmount"], 2000);
    }
}

/// Source: payment-confirmation.md#split ("Meal vouchers pay only food"); the meal-voucher
/// guide (docs/guides/about/resources/payment-gateways/meal-vouchers): the rest is paid "with a
/// card, PayPal or the other active methods".
#[tokio::test]
async fn a_basket_without_food_cannot_be_paid_with_vouchers() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(basket(one_line(4990, false))).await;
    let page = app.checkout_page(&id).await;
    assert!(page.contains("Nothing in this order is food"), "{page}");
    let disabled = format!(r#"value="{EDENRED}" disabled"#);
    assert!(page.contains(&disabled), "{page}");
    let refused = app
        .pay(&id, &[("action", "approve"), ("method", "gateway:pluxee")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.payment(&id).await["paidAmount"], 0);
}

/// Source: create-payment.RequestSchema.json and openapi.yaml (`country`: "If different from
/// Italy, voucher payment gateways are not shown").
#[tokio::test]
async fn vouchers_are_not_offered_outside_italy() {
    let app = spawn_sandbox().await;
    let mut body = basket(one_line(900, true));
    body["country"] = json!("FR");
    let id = app.new_payment(body).await;
    let refused = app
        .pay(&id, &[("action", "approve"), ("method", EDENRED)])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
