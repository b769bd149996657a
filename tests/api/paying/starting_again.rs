//! Starting again: an order's earlier checkout closed before another payment starts (when
//! Voucherly's answer to the void is not the plain "voided"), a form sent again answered from
//! its first submission at once, and a first payment that failed not holding up the next.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, location, spawn_app_with_voucherly};

use super::support::{MARIO_CUSTOMER, VISA, created, db, mario_with, new_key, order_id, pay};

const ALREADY_PAID: &str = "/account?notice=already_paid";

/// Mario with an earlier payment of order demo-1002 still at Voucherly's checkout (`pay_first`,
/// read back as `Requested` once), and a Voucherly that must create no new payment.
async fn with_an_open_checkout(voucherly: &MockServer) -> (TestApp, i64, String) {
    let app = mario_with(voucherly).await;
    let order = order_id(&app, "demo-1002");
    let first = app.insert_payment(order, Some("pay_first"), "requested", 0);
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_first"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_first", "status": "Requested", "referenceId": first,
        })))
        .up_to_n_times(1)
        .expect(1)
        .mount(voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("pay_second", MARIO_CUSTOMER))
        .expect(0)
        .mount(voucherly)
        .await;
    (app, order, first)
}

async fn void_answers(voucherly: &MockServer, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/v1/payments/pay_first/void"))
        .respond_with(answer)
        .mount(voucherly)
        .await;
}

#[tokio::test]
async fn a_checkout_paid_just_before_its_void_is_read_again_and_the_order_is_paid() {
    let voucherly = MockServer::start().await;
    let (app, order, first) = with_an_open_checkout(&voucherly).await;
    void_answers(&voucherly, ResponseTemplate::new(409)).await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_first"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_first", "status": "Confirmed", "referenceId": first,
        })))
        .expect(1)
        .mount(&voucherly)
        .await;

    let response = pay(&app, order, &new_key(), VISA, &[]).await;

    assert_eq!(location(&response), ALREADY_PAID);
    assert_eq!(app.order_status(order), "paid");
}

#[tokio::test]
async fn a_void_voucherly_cannot_make_now_starts_nothing_and_reads_nothing_more() {
    let voucherly = MockServer::start().await;
    let (app, order, first) = with_an_open_checkout(&voucherly).await;
    void_answers(&voucherly, ResponseTemplate::new(503)).await;
    // Only a void refused as a conflict is followed by another read.
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_first"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_first", "status": "Confirmed", "referenceId": first,
        })))
        .expect(0)
        .mount(&voucherly)
        .await;

    let response = pay(&app, order, &new_key(), VISA, &[]).await;

    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(app.payment_row(&first).status, "requested");
}

#[tokio::test]
async fn a_void_answered_with_a_paid_payment_makes_the_order_paid() {
    let voucherly = MockServer::start().await;
    let (app, order, first) = with_an_open_checkout(&voucherly).await;
    let paid = json!({"id": "pay_first", "status": "Confirmed", "referenceId": first});
    void_answers(&voucherly, ResponseTemplate::new(200).set_body_json(paid)).await;

    let response = pay(&app, order, &new_key(), VISA, &[]).await;

    assert_eq!(location(&response), ALREADY_PAID);
    assert_eq!(app.order_status(order), "paid");
}

#[tokio::test]
async fn a_void_answered_with_a_checkout_still_open_starts_nothing() {
    let voucherly = MockServer::start().await;
    let (app, order, first) = with_an_open_checkout(&voucherly).await;
    // Its checkout URL is where a new form would lead if the order were taken as closed.
    let open = json!({
        "id": "pay_first", "status": "Requested", "referenceId": first,
        "checkoutUrl": "https://checkout.example/pay_first",
    });
    void_answers(&voucherly, ResponseTemplate::new(200).set_body_json(open)).await;

    let response = pay(&app, order, &new_key(), VISA, &[]).await;

    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(app.order_status(order), "awaiting_payment");
}

#[tokio::test]
async fn a_form_sent_again_after_its_payment_was_created_is_answered_at_once() {
    let voucherly = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("pay_1", MARIO_CUSTOMER))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1001");
    let key = new_key();
    let first = pay(&app, order, &key, VISA, &[]).await;
    assert_eq!(location(&first), "https://checkout.example/pay_1");

    let started = Instant::now();
    let again = pay(&app, order, &key, VISA, &[]).await;

    assert_eq!(location(&again), "https://checkout.example/pay_1");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// Submits a new form of demo-1001 with the key of a payment record of it in `status`.
async fn form_of_a_payment_in(status: &str) -> reqwest::Response {
    let voucherly = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1001");
    let reference = app.insert_payment(order, None, status, 1_000);
    let key = new_key();
    db(&app).execute(
        "UPDATE payments SET idempotency_key = ?1 WHERE reference = ?2",
        args![&key, &reference],
    );
    pay(&app, order, &key, VISA, &[]).await
}

#[tokio::test]
async fn a_form_whose_payment_was_paid_sends_back_with_a_notice() {
    let response = form_of_a_payment_in("paid").await;
    assert_eq!(location(&response), ALREADY_PAID);
}

#[tokio::test]
async fn a_form_whose_payment_failed_sends_back_to_the_account_for_a_fresh_one() {
    let response = form_of_a_payment_in("failed").await;
    assert_eq!(location(&response), "/account");
}

#[tokio::test]
async fn a_first_payment_that_could_not_reach_voucherly_lets_the_next_form_start_at_once() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [], "pagination": {"hasMore": false, "nextStart": null}
        })))
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "cus_giulia"})))
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("pay_1", "cus_giulia"))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.sign_in_as("demo-giulia").await;
    let order = order_id(&app, "demo-1003");
    let failed = pay(&app, order, &new_key(), "checkout", &[]).await;
    assert_eq!(failed.status().as_u16(), 503);

    // The claim on her first payment was let go: the next form does not wait for it.
    let response = pay(&app, order, &new_key(), "checkout", &[]).await;

    assert_eq!(location(&response), "https://checkout.example/pay_1");
}
