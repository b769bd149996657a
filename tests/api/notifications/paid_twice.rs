//! An order paid twice (two checkouts approved in a race no void could stop): the second
//! payment is refunded by the app, recorded, shown in the history and announced to the store;
//! a refund Voucherly cannot make is announced as needing a manual refund.

use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{StoreSetup, kinds};
use crate::callbacks::eventually;

/// `POST v1/payments/pay_2/refund` (refunding everything) answers `body`, once.
fn refund_answers(body: Value) -> Mock {
    Mock::given(method("POST"))
        .and(path("/v1/payments/pay_2/refund"))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
}

/// Mario's order A-1 paid by `pay_1`, then again by `pay_2`; returns the second reference.
async fn paid_twice(setup: &StoreSetup) -> (i64, String) {
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let first = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    setup.voucherly_says("pay_1", &first, "Confirmed").await;
    let second = setup
        .app
        .insert_payment(order, Some("pay_2"), "requested", 1_000);
    setup.voucherly_says("pay_2", &second, "Confirmed").await;
    (order, second)
}

#[tokio::test]
async fn a_second_payment_of_a_paid_order_is_refunded_recorded_shown_and_announced() {
    let setup = StoreSetup::start().await;
    refund_answers(json!({"id": "pay_2", "status": "Refunded"}))
        .mount(&setup.voucherly)
        .await;
    let (order, second) = paid_twice(&setup).await;

    eventually(|| setup.app.payment_row(&second).status == "refunded").await;
    // The order stays paid by the first payment: one `order.paid`, never `order.refunded`.
    assert_eq!(setup.app.order_status(order), "paid");
    assert_eq!(
        kinds(&setup),
        ["order.paid", "order.paid_twice", "order.duplicate_refunded"]
    );

    setup.app.sign_in_as("demo-mario").await;
    let profile = setup.app.get_html("/account").await;
    assert!(
        profile.contains("Pagato due volte: rimborsato"),
        "{profile}"
    );
}

#[tokio::test]
async fn a_refund_voucherly_cannot_make_is_announced_as_needing_a_manual_refund() {
    let setup = StoreSetup::start().await;
    refund_answers(json!({
        "id": "pay_2", "status": "Confirmed",
        "transactions": [{"id": "t1", "status": "ImpossibleRefund"}]
    }))
    .mount(&setup.voucherly)
    .await;
    let (order, second) = paid_twice(&setup).await;

    eventually(|| kinds(&setup).len() == 3).await;
    assert_eq!(
        kinds(&setup),
        [
            "order.paid",
            "order.paid_twice",
            "order.manual_refund_needed"
        ]
    );
    assert_eq!(setup.app.payment_row(&second).status, "paid");
    assert_eq!(setup.app.order_status(order), "paid");

    setup.app.sign_in_as("demo-mario").await;
    let profile = setup.app.get_html("/account").await;
    assert!(
        profile.contains("Pagato due volte: il negozio lo rimborserà"),
        "{profile}"
    );
}

#[tokio::test]
async fn refunding_the_only_payment_of_an_order_refunds_the_order() {
    let setup = StoreSetup::start().await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let first = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    setup.voucherly_says("pay_1", &first, "Confirmed").await;
    setup.voucherly_says("pay_1", &first, "Refunded").await;

    assert_eq!(setup.app.order_status(order), "refunded");
    assert_eq!(kinds(&setup), ["order.paid", "order.refunded"]);
}
