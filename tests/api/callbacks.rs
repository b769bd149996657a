//! `POST /payments/callback` and the reconciler: Voucherly's word, read back from its API,
//! applied once however often and in whatever order it comes.

mod durable;
#[cfg(feature = "demo")]
mod killed;
mod orphans;
mod spoofed;

use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, spawn_app_with_voucherly};

/// A payment as Voucherly's API reads it back.
pub fn voucherly_payment(id: &str, reference: &str, status: &str) -> Value {
    json!({"id": id, "referenceId": reference, "status": status, "finalAmount": 1290})
}

/// Voucherly answers `GET v1/payments/{id}` with `body`, exactly `times` times.
pub fn reads_back(id: &str, body: Value, times: u64) -> Mock {
    Mock::given(method("GET"))
        .and(path(format!("/v1/payments/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(times)
}

/// An app on a wiremock Voucherly, with Mario's order A-1 and a `requested` payment `pay_1`.
async fn app_with_requested_payment() -> (TestApp, MockServer, i64, String) {
    let voucherly = MockServer::start().await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    let reference = app.insert_payment(order, Some("pay_1"), "requested", 1_000);
    (app, voucherly, order, reference)
}

async fn callback(app: &TestApp, id: &str) -> (u16, Value) {
    let response = app.post_callback(&json!({"id": id})).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}

#[tokio::test]
async fn a_callback_for_a_paid_payment_marks_the_payment_and_its_order_paid() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;

    assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));

    let row = app.payment_row(&reference);
    assert_eq!(row.status, "paid");
    assert_eq!(row.voucherly_status.as_deref(), Some("Confirmed"));
    assert_eq!(
        row.next_check_at, None,
        "a settled payment is not checked again"
    );
    assert_eq!(app.order_status(order), "paid");
}

#[tokio::test]
async fn the_same_callback_replayed_five_times_leaves_the_same_state() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        5,
    )
    .mount(&voucherly)
    .await;

    let mut states = Vec::new();
    for _ in 0..5 {
        assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
        states.push((app.payment_row(&reference), app.order_status(order)));
    }
    assert_eq!(states[0].0.status, "paid");
    assert!(states.iter().all(|state| *state == states[0]), "{states:?}");
}

#[tokio::test]
async fn a_late_requested_or_authorised_never_undoes_a_captured_payment() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    for status in ["Confirmed", "Requested", "Paid", "Confirmed"] {
        let _guard = reads_back("pay_1", voucherly_payment("pay_1", &reference, status), 1)
            .mount_as_scoped(&voucherly)
            .await;
        assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
        let row = app.payment_row(&reference);
        assert_eq!(row.status, "paid", "after {status}");
        assert_eq!(
            row.voucherly_status.as_deref(),
            Some("Confirmed"),
            "after {status}"
        );
        assert_eq!(app.order_status(order), "paid", "after {status}");
    }
}

#[tokio::test]
async fn a_paid_payment_later_cancelled_or_voided_at_voucherly_counts_as_given_back() {
    for later in ["Cancelled", "Voided", "Expired", "Refunded"] {
        let (app, voucherly, order, reference) = app_with_requested_payment().await;
        for status in ["Confirmed", later] {
            let _guard = reads_back("pay_1", voucherly_payment("pay_1", &reference, status), 1)
                .mount_as_scoped(&voucherly)
                .await;
            assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
        }
        assert_eq!(app.payment_row(&reference).status, "refunded", "{later}");
        assert_eq!(app.order_status(order), "refunded", "{later}");
    }
}

#[tokio::test]
async fn a_paid_amount_other_than_the_orders_is_recorded() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    let mut paid = voucherly_payment("pay_1", &reference, "Confirmed");
    paid["paidAmount"] = json!(990);
    reads_back("pay_1", paid, 1).mount(&voucherly).await;

    assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
    assert_eq!(app.order_status(order), "paid");
    let error: Option<String> = app.db().value(
        "SELECT error FROM payments WHERE reference = ?1",
        args![&reference],
    );
    assert_eq!(
        error.as_deref(),
        Some("paid amount 990 differs from the amount asked 1290")
    );
}

#[tokio::test]
async fn a_cancelled_payment_fails_and_leaves_the_order_to_pay() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Cancelled"),
        1,
    )
    .mount(&voucherly)
    .await;

    assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
    assert_eq!(app.payment_row(&reference).status, "failed");
    assert_eq!(app.order_status(order), "awaiting_payment");
}

#[tokio::test]
async fn a_callback_naming_a_reference_that_is_not_ours_asks_to_stop_without_reading_back() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    reads_back("pay_other", json!({}), 0)
        .mount(&voucherly)
        .await;
    let before = app.payment_row(&reference);

    let body = json!({"id": "pay_other", "referenceId": "not-our-reference", "mode": "Payment"});
    let response = app.post_callback(&body).await;
    let answer = json!({"ok": false, "error": "unknown payment", "stop": true});
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), answer);
    assert_eq!(app.payment_row(&reference), before);
    assert_eq!(app.order_status(order), "awaiting_payment");
}

#[tokio::test]
async fn a_callback_without_a_reference_for_an_id_we_never_had_is_dropped_without_reading_back() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    reads_back("pay_other", json!({}), 0)
        .mount(&voucherly)
        .await;
    let before = app.payment_row(&reference);

    let answer = json!({"ok": false, "error": "unknown payment", "stop": true});
    assert_eq!(callback(&app, "pay_other").await, (200, answer));
    assert_eq!(app.payment_row(&reference), before);
    assert_eq!(app.order_status(order), "awaiting_payment");
    let kept: i64 = app.db().value("SELECT COUNT(*) FROM callback_inbox", &[]);
    assert_eq!(kept, 0, "nothing is kept for a payment we never created");
}

#[tokio::test]
async fn wallet_and_other_modes_are_answered_ok_and_never_read_back() {
    let (app, voucherly, _, reference) = app_with_requested_payment().await;
    reads_back("pay_wallet", json!({}), 0)
        .mount(&voucherly)
        .await;
    let before = app.payment_row(&reference);

    for mode in ["Wallet", "Setup"] {
        let body = json!({"id": "pay_wallet", "mode": mode, "referenceId": "wallet-top-up"});
        let response = app.post_callback(&body).await;
        assert_eq!(response.status().as_u16(), 200, "{mode}");
        assert_eq!(response.json::<Value>().await.unwrap(), json!({"ok": true}));
    }
    assert_eq!(app.payment_row(&reference), before);
}

#[tokio::test]
async fn a_temporary_404_is_answered_ok_and_read_again_until_voucherly_knows_the_payment() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .respond_with(ResponseTemplate::new(404))
        .up_to_n_times(1)
        .expect(1)
        .mount(&voucherly)
        .await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;

    assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
    assert_eq!(app.payment_row(&reference).status, "requested");
    eventually(|| app.order_status(order) == "paid").await;
    assert_eq!(app.payment_row(&reference).status, "paid");
}

#[tokio::test]
async fn a_callback_answered_while_voucherlys_api_is_down_still_ends_with_the_order_paid() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(2)
        .expect(2)
        .mount(&voucherly)
        .await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;
    // Anything but a read would be wrong: nothing is refunded or voided.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&voucherly)
        .await;

    // Voucherly hears `ok` at once, so it never cancels and refunds the sale.
    assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
    assert_eq!(app.order_status(order), "awaiting_payment");
    eventually(|| app.order_status(order) == "paid").await;
    assert_eq!(app.payment_row(&reference).status, "paid");
}

#[tokio::test]
async fn a_read_back_without_a_status_is_not_taken_for_an_answer() {
    let (app, voucherly, order, reference) = app_with_requested_payment().await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "pay_1"})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&voucherly)
        .await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Cancelled"),
        1,
    )
    .mount(&voucherly)
    .await;

    assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
    assert_eq!(app.payment_row(&reference).status, "requested");
    eventually(|| app.payment_row(&reference).status == "failed").await;
    assert_eq!(app.order_status(order), "awaiting_payment");
}

/// Polls `condition` every 50 ms for up to 15 s.
pub async fn eventually(mut condition: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !condition() {
        assert!(
            std::time::Instant::now() < deadline,
            "the condition never held"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_callback_finds_a_payment_whose_voucherly_id_was_never_stored_by_its_reference() {
    let voucherly = MockServer::start().await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    // The app stopped between Voucherly's answer and storing it.
    let reference = app.insert_payment(order, None, "creating", 1_000);
    reads_back(
        "pay_9",
        voucherly_payment("pay_9", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;

    // Voucherly's callback carries the payment's `referenceId`: our record is found by it.
    let body = json!({"id": "pay_9", "referenceId": reference, "mode": "Payment"});
    let response = app.post_callback(&body).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({"ok": true}));
    let row = app.payment_row(&reference);
    assert_eq!(row.status, "paid");
    assert_eq!(row.voucherly_payment_id.as_deref(), Some("pay_9"));
    assert_eq!(app.order_status(order), "paid");
}

#[tokio::test]
async fn a_second_payment_of_a_paid_order_is_recorded_and_the_order_stays_paid() {
    let (app, voucherly, order, first) = app_with_requested_payment().await;
    reads_back("pay_1", voucherly_payment("pay_1", &first, "Confirmed"), 1)
        .mount(&voucherly)
        .await;
    assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
    let second = app.insert_payment(order, Some("pay_2"), "requested", 1_000);
    reads_back("pay_2", voucherly_payment("pay_2", &second, "Confirmed"), 1)
        .mount(&voucherly)
        .await;
    assert_eq!(callback(&app, "pay_2").await, (200, json!({"ok": true})));
    // Both took money: both say so (the log asks for a refund), and the order is paid once.
    assert_eq!(app.payment_row(&first).status, "paid");
    assert_eq!(app.payment_row(&second).status, "paid");
    assert_eq!(app.order_status(order), "paid");
}

#[tokio::test]
async fn malformed_and_oversized_callback_bodies_are_refused_in_json() {
    let (app, voucherly, _, reference) = app_with_requested_payment().await;
    Mock::given(method("GET"))
        .and(path_regex("^/v1/payments/"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&voucherly)
        .await;
    let before = app.payment_row(&reference);
    let huge = json!({"id": "pay_1", "padding": "x".repeat(10_000)});
    let cases: [(reqwest::RequestBuilder, u16); 4] = [
        (
            app.client
                .post(app.url("/payments/callback"))
                .body("{not json"),
            400,
        ),
        (
            app.client
                .post(app.url("/payments/callback"))
                .json(&json!({"identifier": 1})),
            400,
        ),
        (
            app.client
                .post(app.url("/payments/callback"))
                .json(&json!({"id": "  "})),
            400,
        ),
        (
            app.client.post(app.url("/payments/callback")).json(&huge),
            413,
        ),
    ];
    for (request, expected) in cases {
        let response = request.send().await.expect("POST");
        assert_eq!(response.status().as_u16(), expected);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        let body: Value = response.json().await.expect("a JSON answer");
        assert_eq!(body["ok"], json!(false));
        assert!(body["error"].is_string());
    }
    assert_eq!(app.payment_row(&reference), before);
}

#[tokio::test]
async fn the_history_shows_the_meal_voucher_part_of_a_payment() {
    let (app, voucherly, _, reference) = app_with_requested_payment().await;
    let mut paid = voucherly_payment("pay_1", &reference, "Confirmed");
    paid["paidAmount"] = json!(1290);
    paid["paidVoucherAmount"] = json!(800);
    reads_back("pay_1", paid, 1).mount(&voucherly).await;

    assert_eq!(callback(&app, "pay_1").await, (200, json!({"ok": true})));
    app.sign_in_as("demo-mario").await;
    let html = app.get_html("/account").await;
    assert!(html.contains("(8,00 € con buono pasto)"), "{html}");
}
