//! The reconciler, driven one run at a time: it repairs a payment whose callback was lost, backs
//! off while a payment stays unsettled, and gives up in the end.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::mario_back_from_checkout;
use crate::callbacks::{reads_back, voucherly_payment};
use crate::helpers::spawn_app_with_voucherly;

#[tokio::test]
async fn the_reconciler_repairs_a_payment_whose_callback_was_lost() {
    let (app, voucherly, order, reference) = mario_back_from_checkout().await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;
    let payments = app.payments_with(&voucherly).await;

    // Not due yet: the payment was scheduled for 1_060.
    assert_eq!(payments.reconcile_once(1_059).await.expect("a run"), 0);
    assert_eq!(payments.reconcile_once(1_060).await.expect("a run"), 1);
    assert_eq!(app.payment_row(&reference).status, "paid");
    assert_eq!(app.order_status(order), "paid");
    // Settled: never read again.
    assert_eq!(payments.reconcile_once(999_999).await.expect("a run"), 0);
}

#[tokio::test]
async fn the_reconciler_backs_off_then_gives_up_on_a_payment_that_never_settles() {
    let (app, voucherly, order, reference) = mario_back_from_checkout().await;
    // Three runs, and a last read once abandoned: its checkout, still open, is voided.
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Requested"),
        4,
    )
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
    let payments = app.payments_with(&voucherly).await;

    let mut now = 1_060;
    let mut waits = Vec::new();
    for _ in 0..2 {
        assert_eq!(payments.reconcile_once(now).await.expect("a run"), 1);
        let row = app.payment_row(&reference);
        assert_eq!(row.status, "requested");
        let next = row.next_check_at.expect("a next check");
        waits.push(next - now);
        now = next;
    }
    assert_eq!(waits, [120, 240], "each wait doubles");

    let a_day_later = 1_000 + 24 * 60 * 60;
    assert_eq!(
        payments.reconcile_once(a_day_later).await.expect("a run"),
        1
    );
    let row = app.payment_row(&reference);
    assert_eq!(
        (row.status.as_str(), row.next_check_at),
        ("abandoned", None)
    );
    assert_eq!(app.order_status(order), "awaiting_payment");
}

#[tokio::test]
async fn the_reconciler_fails_a_payment_stuck_in_creation() {
    let voucherly = MockServer::start().await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    let reference = app.insert_payment(order, None, "creating", 1_000);
    let payments = app.payments_with(&voucherly).await;

    // The default creating timeout is a minute: the create call itself times out sooner.
    assert_eq!(payments.reconcile_once(1_000 + 59).await.expect("a run"), 0);
    assert_eq!(app.payment_row(&reference).status, "creating");
    assert_eq!(payments.reconcile_once(1_000 + 60).await.expect("a run"), 1);
    assert_eq!(app.payment_row(&reference).status, "create_failed");
}
