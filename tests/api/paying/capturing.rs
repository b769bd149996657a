//! Capture: a card payment that Voucherly reports `Paid` is only authorised, and is confirmed
//! (captured) by the app unless the store captures later; the status is read, never assumed
//! from the method.

use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::callbacks::{eventually, reads_back, voucherly_payment};
use crate::helpers::{TestApp, spawn_app_with_voucherly, spawn_with};

/// `POST v1/payments/{id}/confirm` answers `status` (with `code`), `times` times.
fn confirm_answers(id: &str, code: u16, status: &str, times: u64) -> Mock {
    let mock = Mock::given(method("POST"))
        .and(path(format!("/v1/payments/{id}/confirm")))
        .and(body_json(json!({})))
        .respond_with(
            ResponseTemplate::new(code).set_body_json(json!({"id": id, "status": status})),
        );
    match times {
        0 => mock.expect(0),
        _ => mock.up_to_n_times(times).expect(times),
    }
}

async fn app_with_requested_payment(app: TestApp) -> (TestApp, i64, String) {
    let order = app.insert_order("demo-mario", "A-1", 1290);
    let reference = app.insert_payment(order, Some("pay_1"), "requested", 1_000);
    (app, order, reference)
}

#[tokio::test]
async fn a_card_payment_authorised_at_the_checkout_is_captured() {
    let voucherly = MockServer::start().await;
    let (app, order, reference) =
        app_with_requested_payment(spawn_app_with_voucherly(&voucherly).await).await;
    reads_back("pay_1", voucherly_payment("pay_1", &reference, "Paid"), 1)
        .mount(&voucherly)
        .await;
    confirm_answers("pay_1", 200, "Confirmed", 1)
        .mount(&voucherly)
        .await;

    app.post_callback(&json!({"id": "pay_1"})).await;

    let row = app.payment_row(&reference);
    assert_eq!(row.status, "paid");
    assert_eq!(row.voucherly_status.as_deref(), Some("Confirmed"));
    assert_eq!(app.order_status(order), "paid");
}

#[tokio::test]
async fn a_payment_confirmed_at_the_checkout_is_not_confirmed_again() {
    let voucherly = MockServer::start().await;
    let (app, _, reference) =
        app_with_requested_payment(spawn_app_with_voucherly(&voucherly).await).await;
    // A meal voucher is captured at once: Voucherly says so, the method is not looked at.
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;
    confirm_answers("pay_1", 200, "Confirmed", 0)
        .mount(&voucherly)
        .await;

    app.post_callback(&json!({"id": "pay_1"})).await;
    assert_eq!(app.payment_row(&reference).status, "paid");
}

#[tokio::test]
async fn a_capture_voucherly_cannot_make_now_is_retried_by_the_reconciler_until_done() {
    let voucherly = MockServer::start().await;
    let (app, order, reference) =
        app_with_requested_payment(spawn_app_with_voucherly(&voucherly).await).await;
    reads_back("pay_1", voucherly_payment("pay_1", &reference, "Paid"), 2)
        .mount(&voucherly)
        .await;
    confirm_answers("pay_1", 503, "Paid", 1)
        .mount(&voucherly)
        .await;

    app.post_callback(&json!({"id": "pay_1"})).await;
    // The shopper paid: the order is paid, its money authorised and not yet captured.
    let row = app.payment_row(&reference);
    assert_eq!(row.status, "authorised");
    assert_eq!(app.order_status(order), "paid");
    let retry_at = row.next_check_at.expect("a capture retry is scheduled");

    confirm_answers("pay_1", 200, "Confirmed", 1)
        .mount(&voucherly)
        .await;
    let payments = app.payments_with(&voucherly).await;
    payments.reconcile_once(retry_at).await.expect("a run");
    let row = app.payment_row(&reference);
    assert_eq!(row.status, "paid");
    assert_eq!(row.voucherly_status.as_deref(), Some("Confirmed"));
    assert_eq!(row.next_check_at, None);
}

#[tokio::test]
async fn a_store_that_captures_later_leaves_an_authorisation_uncaptured() {
    let voucherly = MockServer::start().await;
    let base_url = voucherly.uri();
    let app = spawn_with(move |settings| {
        settings.voucherly_api_key = Some(secrecy::SecretString::from("sk_sand_key"));
        settings.voucherly_base_url = Some(base_url);
        settings.voucherly_timeout = 2;
        settings.demo = Some(true);
        settings.capture = voucherly_account::app::payments::Capture::Later;
    })
    .await;
    let (app, order, reference) = app_with_requested_payment(app).await;
    reads_back("pay_1", voucherly_payment("pay_1", &reference, "Paid"), 1)
        .mount(&voucherly)
        .await;
    confirm_answers("pay_1", 200, "Confirmed", 0)
        .mount(&voucherly)
        .await;

    app.post_callback(&json!({"id": "pay_1"})).await;
    eventually(|| app.payment_row(&reference).status == "authorised").await;
    assert_eq!(app.order_status(order), "paid");
}
