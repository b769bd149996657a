//! Orphans never stay payable: an open Voucherly checkout of a payment we gave up on is voided,
//! or adopted when it was paid meanwhile, and the metrics say which (the log too, at INFO and
//! WARN, which these tests do not keep).

use serde_json::json;
use voucherly_account::app::payments::Policy;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::spoofed::{metric, spawn};
use super::{reads_back, voucherly_payment};

const VOIDED: &str = "voucherly_account_orphan_payments_total{outcome=\"voided\"}";
const ADOPTED: &str = "voucherly_account_orphan_payments_total{outcome=\"adopted\"}";

#[tokio::test]
async fn a_payment_the_reconciler_abandons_has_its_open_checkout_voided_and_counted() {
    let voucherly = MockServer::start().await;
    let app = spawn(&voucherly, 100).await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    // Created long ago, still at the checkout: past the reconciler's patience.
    let reference = app.insert_payment(order, Some("pay_1"), "requested", 1_000);
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(voucherly_payment(
            "pay_1",
            &reference,
            "Requested",
        )))
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments/pay_1/void"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(voucherly_payment("pay_1", &reference, "Voided")),
        )
        .expect(1)
        .mount(&voucherly)
        .await;
    let voided_before = metric(&app, VOIDED).await;

    let payments = app.payments_with(&voucherly).await;
    let policy = Policy {
        give_up_after: 60,
        ..Policy::default()
    };
    payments
        .reconcile_with(voucherly_account::storage::now(), &policy)
        .await
        .unwrap();

    assert_eq!(app.payment_row(&reference).status, "abandoned");
    assert_eq!(app.order_status(order), "awaiting_payment");
    assert!(metric(&app, VOIDED).await > voided_before);
}

#[tokio::test]
async fn an_orphan_paid_at_voucherly_is_adopted_and_counted() {
    let voucherly = MockServer::start().await;
    let app = spawn(&voucherly, 100).await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    // Marked failed (its creation never answered), yet the shopper paid its checkout.
    let reference = app.insert_payment(order, Some("pay_7"), "create_failed", 1_000);
    reads_back(
        "pay_7",
        voucherly_payment("pay_7", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;
    let adopted_before = metric(&app, ADOPTED).await;

    let body = json!({"id": "pay_7", "referenceId": reference, "mode": "Payment"});
    assert_eq!(app.post_callback(&body).await.status().as_u16(), 200);

    assert_eq!(app.payment_row(&reference).status, "paid");
    assert_eq!(app.order_status(order), "paid");
    assert!(metric(&app, ADOPTED).await > adopted_before);
}
