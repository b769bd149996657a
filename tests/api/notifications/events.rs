//! Which changes produce which events, once each, what a store receives, and what is recorded
//! when it cannot be reached.

use serde_json::json;
use voucherly_account::storage::now;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{StoreSetup, assert_signed, header, outbox};

/// The store answers 200 to every event, exactly `times` times.
fn store_takes(times: u64) -> Mock {
    Mock::given(method("POST"))
        .and(path("/hooks"))
        .respond_with(ResponseTemplate::new(200))
        .expect(times)
}

#[tokio::test]
async fn a_paid_order_sends_one_signed_notification_however_often_the_callback_is_replayed() {
    let setup = StoreSetup::start().await;
    store_takes(1).mount(&setup.store).await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);

    for _ in 0..5 {
        setup.voucherly_says("pay_1", &reference, "Confirmed").await;
    }
    assert_eq!(setup.app.order_status(order), "paid");
    assert_eq!(outbox(&setup.app).len(), 1, "one event for one change");

    let t = now();
    assert_eq!(setup.notifications.deliver_once(t).await.expect("a run"), 1);
    for later in [t, t + 60, t + 86_400] {
        assert_eq!(
            setup
                .notifications
                .deliver_once(later)
                .await
                .expect("a run"),
            0
        );
    }

    let requests = setup.store.received_requests().await.expect("requests");
    let request = &requests[0];
    assert_signed(request);
    let event: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(header(request, "Content-Type"), "application/json");
    assert!(header(request, "User-Agent").starts_with("voucherly-account/"));
    assert_eq!(header(request, "Voucherly-Account-Event-Id"), event["id"]);
    assert_eq!(
        header(request, "Voucherly-Account-Event-Type"),
        "order.paid"
    );
    let id = event["id"].as_str().expect("an id");
    assert_eq!(
        uuid::Uuid::parse_str(id).expect("a UUID").get_version_num(),
        4
    );
    let created_at = event["created_at"].as_str().expect("a time");
    assert!(
        created_at.ends_with('Z') && created_at.len() == 20,
        "{created_at}"
    );
    assert_eq!(event["type"], "order.paid");
    assert_eq!(
        event["data"],
        json!({
            "store_order_id": "A-1",
            "store_user_id": "demo-mario",
            "amount": 1290,
            "currency": "EUR",
            "payment": {"reference": reference, "voucherly_payment_id": "pay_1", "status": "paid"},
        })
    );
    assert_eq!(outbox(&setup.app)[0].delivered_at, Some(t));
}

#[tokio::test]
async fn a_declined_payment_sends_order_payment_failed_once() {
    let setup = StoreSetup::start().await;
    store_takes(1).mount(&setup.store).await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);

    setup.voucherly_says("pay_1", &reference, "Cancelled").await;
    setup.voucherly_says("pay_1", &reference, "Voided").await;
    assert_eq!(
        setup
            .notifications
            .deliver_once(now())
            .await
            .expect("a run"),
        1
    );

    let events = setup.received().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["type"], "order.payment_failed");
    assert_eq!(events[0]["data"]["payment"]["status"], "failed");
    assert_eq!(setup.app.order_status(order), "awaiting_payment");
}

#[tokio::test]
async fn a_paid_then_refunded_order_sends_both_events_in_that_order() {
    let setup = StoreSetup::start().await;
    store_takes(2).mount(&setup.store).await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);

    setup.voucherly_says("pay_1", &reference, "Confirmed").await;
    setup.voucherly_says("pay_1", &reference, "Refunded").await;
    setup.voucherly_says("pay_1", &reference, "Refunded").await;
    let t = now();
    assert_eq!(setup.notifications.deliver_once(t).await.expect("a run"), 1);
    assert_eq!(setup.notifications.deliver_once(t).await.expect("a run"), 1);
    assert_eq!(setup.notifications.deliver_once(t).await.expect("a run"), 0);

    let kinds: Vec<_> = setup
        .received()
        .await
        .iter()
        .map(|e| e["type"].clone())
        .collect();
    assert_eq!(kinds, [json!("order.paid"), json!("order.refunded")]);
    assert_eq!(setup.app.order_status(order), "refunded");
}

#[tokio::test]
async fn a_failed_second_payment_of_a_paid_order_is_not_announced() {
    let setup = StoreSetup::start().await;
    store_takes(1).mount(&setup.store).await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let first = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    setup.voucherly_says("pay_1", &first, "Confirmed").await;
    // One open payment per order: the second is made once the first is no longer open.
    let second = setup
        .app
        .insert_payment(order, Some("pay_2"), "requested", 1_000);
    setup.voucherly_says("pay_2", &second, "Expired").await;
    let kinds: Vec<_> = outbox(&setup.app).into_iter().map(|row| row.kind).collect();
    assert_eq!(kinds, ["order.paid"]);
    assert_eq!(
        setup
            .notifications
            .deliver_once(now())
            .await
            .expect("a run"),
        1
    );
}

#[tokio::test]
async fn without_a_webhook_queued_events_are_deleted_rather_than_kept() {
    let setup = StoreSetup::start().await;
    store_takes(0).mount(&setup.store).await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    setup.voucherly_says("pay_1", &reference, "Confirmed").await;
    assert_eq!(outbox(&setup.app).len(), 1);

    let no_webhook = setup.app.notifications(None).await;
    assert_eq!(no_webhook.deliver_once(now()).await.expect("a run"), 0);
    assert_eq!(outbox(&setup.app), []);
}

#[tokio::test]
async fn an_unreachable_store_is_retried_and_the_recorded_error_does_not_repeat_the_url() {
    let setup = StoreSetup::start().await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    setup.voucherly_says("pay_1", &reference, "Confirmed").await;
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{closed_port}/hooks?token=tok_secret");
    let notifications = setup.app.notifications(Some((&url, super::SECRET))).await;

    let t = now();
    assert_eq!(notifications.deliver_once(t).await.expect("a run"), 1);
    let row = &outbox(&setup.app)[0];
    let error = row.last_error.as_deref().expect("an error");
    assert!(error.starts_with("could not connect"), "{error}");
    assert!(
        !error.contains("tok_secret") && !error.contains("127.0.0.1"),
        "{error}"
    );
    assert_eq!((row.attempts, row.next_attempt_at), (1, t + 10));
}
