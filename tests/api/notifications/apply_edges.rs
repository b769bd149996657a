//! Edge paths of applying Voucherly's word that only mutation testing showed untested: a
//! capture after an authorisation is the same payment, not a second one; a payment Voucherly
//! gave back before we ever saw it paid leaves the order to pay, unannounced; an orphan paid
//! before it could be voided is recorded at once, and one that cannot be voided now is kept.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{StoreSetup, kinds};
use crate::callbacks::{reads_back, voucherly_payment};
use crate::helpers::test_db::{FromVal, Val};

/// `(is_duplicate, refund_due_at, error)` of the payment with `reference`.
fn flags(setup: &StoreSetup, reference: &str) -> (bool, Option<i64>, Option<String>) {
    let row = setup
        .app
        .db()
        .rows(
            "SELECT is_duplicate, refund_due_at, error FROM payments WHERE reference = ?1",
            args![reference],
        )
        .pop()
        .expect("the payment");
    let [duplicate, refund_due_at, error] = <[Val; 3]>::try_from(row).expect("three columns");
    (
        FromVal::from_val(duplicate),
        FromVal::from_val(refund_due_at),
        FromVal::from_val(error),
    )
}

#[tokio::test]
async fn capturing_an_authorised_payment_is_not_a_second_payment_of_its_order() {
    let setup = StoreSetup::start().await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);

    // Authorised (Voucherly's `Paid`; the confirm call finds no answer), then captured.
    let before = voucherly_account::storage::now();
    setup.voucherly_says("pay_1", &reference, "Paid").await;
    let row = setup.app.payment_row(&reference);
    assert_eq!(row.status, "authorised");
    // The capture Voucherly did not make is tried again in a minute.
    let retry_at = row.next_check_at.expect("a capture retry");
    let after = voucherly_account::storage::now();
    assert!(
        (before + 60..=after + 60).contains(&retry_at),
        "{retry_at} not a minute after {before}..{after}"
    );
    setup.voucherly_says("pay_1", &reference, "Confirmed").await;

    assert_eq!(setup.app.payment_row(&reference).status, "paid");
    assert_eq!(setup.app.order_status(order), "paid");
    assert_eq!(kinds(&setup), ["order.paid"]);
    assert_eq!(flags(&setup, &reference), (false, None, None));
}

#[tokio::test]
async fn a_payment_given_back_before_it_was_seen_paid_leaves_the_order_to_pay_unannounced() {
    let setup = StoreSetup::start().await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);

    // Taken and refunded at Voucherly before any callback reached us: the order was never paid.
    setup.voucherly_says("pay_1", &reference, "Refunded").await;

    assert_eq!(setup.app.payment_row(&reference).status, "refunded");
    assert_eq!(setup.app.order_status(order), "awaiting_payment");
    assert!(kinds(&setup).is_empty(), "{:?}", kinds(&setup));
}

#[tokio::test]
async fn a_capture_refused_as_already_made_reads_the_payment_back_at_once() {
    let setup = StoreSetup::start().await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    let _confirm =
        Mock::given(method("POST"))
            .and(path("/v1/payments/pay_1/confirm"))
            .respond_with(ResponseTemplate::new(409).set_body_json(
                json!({"code": "CONFLICT", "text": "the payment is not authorised"}),
            ))
            .expect(1)
            .mount_as_scoped(&setup.voucherly)
            .await;
    // Read once for the callback (`Paid`), then after the 409 (captured meanwhile).
    let _paid = reads_back("pay_1", voucherly_payment("pay_1", &reference, "Paid"), 1)
        .up_to_n_times(1)
        .mount_as_scoped(&setup.voucherly)
        .await;
    let _captured = reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount_as_scoped(&setup.voucherly)
    .await;

    let response = setup.app.post_callback(&json!({"id": "pay_1"})).await;
    assert_eq!(response.status().as_u16(), 200);
    let row = setup.app.payment_row(&reference);
    assert_eq!(row.status, "paid");
    assert_eq!(row.next_check_at, None, "no capture retry is left behind");
    assert_eq!(kinds(&setup), ["order.paid"]);
}

/// `(done, last error)` of the callback inbox's row for `id`.
fn inbox(setup: &StoreSetup, id: &str) -> (bool, Option<String>) {
    let row = setup
        .app
        .db()
        .rows(
            "SELECT done_at IS NOT NULL, last_error FROM callback_inbox
             WHERE voucherly_payment_id = ?1",
            args![id],
        )
        .pop()
        .expect("the inbox row");
    let [done, last_error] = <[Val; 2]>::try_from(row).expect("two columns");
    (FromVal::from_val(done), FromVal::from_val(last_error))
}

#[tokio::test]
async fn an_orphan_paid_before_it_could_be_voided_is_recorded_paid_at_once() {
    let setup = StoreSetup::start().await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    // A payment the app gave up on, whose checkout Voucherly still reports open.
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "create_failed", 1_000);
    let _open = reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Requested"),
        1,
    )
    .up_to_n_times(1)
    .mount_as_scoped(&setup.voucherly)
    .await;
    // The shopper paid it meanwhile: the void is refused (409) and the payment read again.
    let _void = Mock::given(method("POST"))
        .and(path("/v1/payments/pay_1/void"))
        .respond_with(
            ResponseTemplate::new(409)
                .set_body_json(json!({"code": "INVALID_STATUS", "paymentStatus": "Confirmed"})),
        )
        .expect(1)
        .mount_as_scoped(&setup.voucherly)
        .await;
    let _paid = reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount_as_scoped(&setup.voucherly)
    .await;

    let response = setup.app.post_callback(&json!({"id": "pay_1"})).await;
    assert_eq!(response.status().as_u16(), 200);
    // In the same pass, not after a retry.
    assert_eq!(setup.app.payment_row(&reference).status, "paid");
    assert_eq!(setup.app.order_status(order), "paid");
    assert_eq!(inbox(&setup, "pay_1"), (true, None));
    assert_eq!(kinds(&setup), ["order.paid"]);
}

#[tokio::test]
async fn an_orphan_voucherly_cannot_void_now_stays_in_the_inbox_to_be_voided_later() {
    let setup = StoreSetup::start().await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "create_failed", 1_000);
    let _open = Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(voucherly_payment(
            "pay_1",
            &reference,
            "Requested",
        )))
        .mount_as_scoped(&setup.voucherly)
        .await;
    // Voucherly is down for the void: the checkout is still open, so nothing is settled.
    let _void = Mock::given(method("POST"))
        .and(path("/v1/payments/pay_1/void"))
        .respond_with(ResponseTemplate::new(503))
        .mount_as_scoped(&setup.voucherly)
        .await;

    let response = setup.app.post_callback(&json!({"id": "pay_1"})).await;
    assert_eq!(response.status().as_u16(), 200);
    let (done, error) = inbox(&setup, "pay_1");
    assert!(!done, "an orphan still open is not done with");
    assert!(error.is_some(), "the failed void is kept for support");
    assert_eq!(setup.app.payment_row(&reference).status, "create_failed");
    assert_eq!(setup.app.order_status(order), "awaiting_payment");
    assert!(kinds(&setup).is_empty());
}

/// A confirm answered 422 or 424 (openapi.yaml `confirm-payment`): a 424, or a 422 listing the
/// `operations` already done, is resent later as is; a 422 without them (resending `{}` cannot
/// change it) is not retried soon, and the payment is read back instead.
#[tokio::test]
async fn a_capture_interrupted_is_retried_and_one_refused_is_read_back() {
    let operations = json!([{"transactionId": "t1", "paymentGatewayId": "STRIPE", "amount": 300}]);
    for (status, body, retried) in [
        (
            424,
            json!({"code": "FAILED_DEPENDENCY", "operations": operations}),
            true,
        ),
        (
            422,
            json!({"code": "IMPOSSIBLE_REFUND", "operations": operations}),
            true,
        ),
        (422, json!({"code": "CAPTURE_BELOW_MINIMUM"}), false),
        (
            400,
            json!({"code": "MARGIN_NOT_CONFIRMABLE", "line": 2}),
            false,
        ),
    ] {
        let setup = StoreSetup::start().await;
        let order = setup.app.insert_order("demo-mario", "A-1", 1290);
        let reference = setup
            .app
            .insert_payment(order, Some("pay_1"), "requested", 1_000);
        let _confirm = Mock::given(method("POST"))
            .and(path("/v1/payments/pay_1/confirm"))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .expect(1)
            .mount_as_scoped(&setup.voucherly)
            .await;
        // Read for the callback, and once more only when the refusal is read back.
        let reads = if retried { 1 } else { 2 };
        let _paid = reads_back(
            "pay_1",
            voucherly_payment("pay_1", &reference, "Paid"),
            reads,
        )
        .mount_as_scoped(&setup.voucherly)
        .await;

        let response = setup.app.post_callback(&json!({"id": "pay_1"})).await;
        assert_eq!(response.status().as_u16(), 200);
        let row = setup.app.payment_row(&reference);
        assert_eq!(row.status, "authorised", "{status}");
        assert_eq!(
            row.next_check_at.is_some(),
            retried,
            "{status} retried soon"
        );
    }
}
