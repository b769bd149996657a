//! Retries with backoff, order per order, and delivery across a restart.

use std::time::Duration;

use voucherly_account::storage::now;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{StoreSetup, assert_signed, outbox, received_events, settings};
use crate::callbacks::{reads_back, voucherly_payment};
use crate::helpers::spawn_with;

/// The store answers `status` to matching events, at most `times` times, and must be asked
/// exactly that often.
fn store_answers(status: u16, times: u64) -> Mock {
    Mock::given(method("POST"))
        .and(path("/hooks"))
        .respond_with(ResponseTemplate::new(status))
        .up_to_n_times(times)
        .expect(times)
}

#[tokio::test]
async fn a_failing_store_endpoint_is_retried_with_backoff_until_it_answers_2xx() {
    let setup = StoreSetup::start().await;
    store_answers(500, 2).mount(&setup.store).await;
    store_answers(200, 1).mount(&setup.store).await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    setup.voucherly_says("pay_1", &reference, "Confirmed").await;

    let t = now();
    let run = |at: i64| setup.notifications.deliver_once(at);
    assert_eq!(run(t).await.expect("a run"), 1);
    let row = &outbox(&setup.app)[0];
    assert_eq!((row.attempts, row.next_attempt_at), (1, t + 10));
    assert_eq!(row.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(row.delivered_at, None);

    assert_eq!(run(t + 9).await.expect("a run"), 0, "not before its time");
    assert_eq!(run(t + 10).await.expect("a run"), 1);
    let row = &outbox(&setup.app)[0];
    assert_eq!(
        (row.attempts, row.next_attempt_at),
        (2, t + 30),
        "the wait doubled"
    );

    assert_eq!(run(t + 29).await.expect("a run"), 0);
    assert_eq!(run(t + 30).await.expect("a run"), 1);
    let row = &outbox(&setup.app)[0];
    assert_eq!((row.attempts, row.delivered_at), (2, Some(t + 30)));
    assert_eq!(run(t + 100_000).await.expect("a run"), 0, "delivered once");

    // Every attempt carried the same event, each signed for its own time.
    let requests = setup.store.received_requests().await.expect("requests");
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.body == requests[0].body));
    requests.iter().for_each(assert_signed);
}

#[tokio::test]
async fn a_failing_event_holds_back_the_later_events_of_its_order_but_not_other_orders() {
    let setup = StoreSetup::start().await;
    Mock::given(method("POST"))
        .and(header(
            "Voucherly-Account-Event-Type",
            "order.payment_failed",
        ))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&setup.store)
        .await;
    store_answers(200, 3).mount(&setup.store).await;
    let a1 = setup.app.insert_order("demo-mario", "A-1", 1290);
    let b2 = setup.app.insert_order("demo-luca", "B-2", 500);
    let declined = setup
        .app
        .insert_payment(a1, Some("pay_1"), "requested", 1_000);
    let other = setup
        .app
        .insert_payment(b2, Some("pay_3"), "requested", 1_000);
    setup.voucherly_says("pay_1", &declined, "Cancelled").await;
    // One open payment per order: the retry is made once the first is no longer open.
    let retried = setup
        .app
        .insert_payment(a1, Some("pay_2"), "requested", 1_000);
    setup.voucherly_says("pay_2", &retried, "Confirmed").await;
    setup.voucherly_says("pay_3", &other, "Confirmed").await;

    let t = now();
    // A-1's failure notice fails; B-2 goes through; A-1's "paid" waits behind its failure notice.
    assert_eq!(setup.notifications.deliver_once(t).await.expect("a run"), 2);
    assert_eq!(
        setup
            .notifications
            .deliver_once(t + 5)
            .await
            .expect("a run"),
        0
    );
    assert_eq!(
        setup
            .notifications
            .deliver_once(t + 10)
            .await
            .expect("a run"),
        1
    );
    assert_eq!(
        setup
            .notifications
            .deliver_once(t + 10)
            .await
            .expect("a run"),
        1
    );

    let sent: Vec<(String, String)> = received_events(&setup.store)
        .await
        .iter()
        .map(|e| {
            let order = e["data"]["store_order_id"].as_str().unwrap_or_default();
            (
                order.to_owned(),
                e["type"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let a1_sent: Vec<&str> = sent
        .iter()
        .filter(|s| s.0 == "A-1")
        .map(|s| s.1.as_str())
        .collect();
    assert_eq!(
        a1_sent,
        ["order.payment_failed", "order.payment_failed", "order.paid"]
    );
    assert_eq!(sent.iter().filter(|s| s.0 == "B-2").count(), 1);
    assert!(
        outbox(&setup.app)
            .iter()
            .all(|row| row.delivered_at.is_some())
    );
}

#[tokio::test]
async fn an_undelivered_event_is_delivered_by_the_app_started_again_on_the_same_database() {
    let setup = StoreSetup::start().await;
    store_answers(502, 1).mount(&setup.store).await;
    Mock::given(method("POST"))
        .and(path("/hooks"))
        .and(body_string_contains("\"order.paid\""))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&setup.store)
        .await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    setup.voucherly_says("pay_1", &reference, "Confirmed").await;
    assert_eq!(
        setup
            .notifications
            .deliver_once(now())
            .await
            .expect("a run"),
        1
    );
    assert_eq!(outbox(&setup.app)[0].attempts, 1);
    // The app stops here, for longer than the retry's wait.
    setup.app.db().execute(
        "UPDATE outbox_events SET next_attempt_at = next_attempt_at - 60",
        &[],
    );

    // The restarted app's own worker delivers it, with no callback and no test driving it.
    setup
        .app
        .restart_with(settings(&setup.voucherly, &setup.store, 1))
        .await;
    let mut delivered = None;
    for _ in 0..50 {
        delivered = outbox(&setup.app)[0].delivered_at;
        if delivered.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(delivered.is_some(), "delivered after the restart");
    let requests = setup.store.received_requests().await.expect("requests");
    assert_eq!(requests.len(), 2);
    assert_signed(&requests[1]);
}

#[tokio::test]
async fn a_new_event_wakes_the_apps_worker_without_waiting_for_its_next_run() {
    let setup = StoreSetup::start().await;
    store_answers(200, 1).mount(&setup.store).await;
    // An app whose worker would otherwise sleep for an hour between runs.
    let app = spawn_with(settings(&setup.voucherly, &setup.store, 3600)).await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    let reference = app.insert_payment(order, Some("pay_1"), "requested", 1_000);
    let _read = reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount_as_scoped(&setup.voucherly)
    .await;
    let response = app.post_callback(&serde_json::json!({"id": "pay_1"})).await;
    assert_eq!(response.status().as_u16(), 200);

    let mut delivered = None;
    for _ in 0..50 {
        delivered = outbox(&app)[0].delivered_at;
        if delivered.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(delivered.is_some(), "delivered at once");
}

#[tokio::test]
async fn an_event_claimed_by_one_delivery_is_due_to_no_other_until_its_lease_ends() {
    let setup = StoreSetup::start().await;
    let order = setup.app.insert_order("demo-mario", "A-1", 1290);
    let reference = setup
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    setup.voucherly_says("pay_1", &reference, "Confirmed").await;
    let outbox = setup.app.storage().await;

    let t = now();
    let claimed = outbox.lease_due_events(t, 10, 60).await.expect("a lease");
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].kind, "order.paid");
    assert!(
        outbox
            .lease_due_events(t + 59, 10, 60)
            .await
            .expect("a lease")
            .is_empty()
    );
    assert_eq!(
        setup
            .notifications
            .deliver_once(t + 59)
            .await
            .expect("a run"),
        0,
        "another run leaves it alone"
    );
    let again = outbox
        .lease_due_events(t + 60, 10, 60)
        .await
        .expect("a lease");
    assert_eq!(
        again[0].event_id, claimed[0].event_id,
        "due again once the lease ended"
    );
}
