//! The outbox: each order's oldest undelivered event, when due, leased to one worker at a time,
//! never overtaken by a later event of its order.

use std::collections::HashSet;

use voucherly_account::storage::{DueEvent, OutboxStore};

use super::raw_setup::Raw;

const NOW: i64 = 1_000_000;
const LEASE: i64 = 60;

fn ids(events: &[DueEvent]) -> Vec<&str> {
    events.iter().map(|event| event.event_id.as_str()).collect()
}

/// A shopper with orders `a`, `b`, `c`; returns their ids.
async fn three_orders(raw: &Raw) -> [i64; 3] {
    let shopper = raw.shopper("ada").await;
    [
        raw.order(shopper, "a", 1).await,
        raw.order(shopper, "b", 2).await,
        raw.order(shopper, "c", 3).await,
    ]
}

#[tokio::test]
async fn a_lease_gives_each_orders_oldest_event_when_due_and_holds_it_for_the_lease() {
    on_both_with_raw!(|store, raw| {
        let [a, b, c] = three_orders(raw).await;
        raw.event(a, "a1", NOW - 10).await;
        raw.event(a, "a2", NOW - 20).await;
        raw.event(b, "b1", NOW + 5).await;
        raw.event(c, "c1", NOW - 5).await;
        let leased = store.lease_due_events(NOW, 10, LEASE).await.unwrap();
        assert_eq!(ids(&leased), ["a1", "c1"], "oldest per order, due first");
        assert_eq!(leased[0].order_id, a);
        assert_eq!(leased[0].kind, "order.paid");
        assert_eq!(leased[0].payload, r#"{"id":"a1"}"#);
        assert_eq!(leased[0].attempts, 0);

        let during = store.lease_due_events(NOW + 10, 10, LEASE).await.unwrap();
        assert_eq!(ids(&during), ["b1"], "leased events are due to no one else");
        let after = store
            .lease_due_events(NOW + LEASE, 10, LEASE)
            .await
            .unwrap();
        assert_eq!(
            ids(&after),
            ["a1", "c1"],
            "an expired lease frees its events"
        );
    });
}

#[tokio::test]
async fn a_delivered_event_lets_the_next_one_of_its_order_through() {
    on_both_with_raw!(|store, raw| {
        let [a, _, _] = three_orders(raw).await;
        raw.event(a, "a1", NOW).await;
        raw.event(a, "a2", NOW).await;
        assert_eq!(
            ids(&store.lease_due_events(NOW, 10, LEASE).await.unwrap()),
            ["a1"]
        );
        store.mark_event_delivered("a1".into(), NOW).await.unwrap();
        assert_eq!(
            ids(&store.lease_due_events(NOW, 10, LEASE).await.unwrap()),
            ["a2"]
        );
        store.mark_event_delivered("a2".into(), NOW).await.unwrap();
        let none = store
            .lease_due_events(NOW + LEASE, 10, LEASE)
            .await
            .unwrap();
        assert!(
            none.is_empty(),
            "delivered events are never due: {:?}",
            ids(&none)
        );
    });
}

#[tokio::test]
async fn a_failed_event_waits_and_holds_back_the_later_ones_of_its_order() {
    on_both_with_raw!(|store, raw| {
        let [a, _, _] = three_orders(raw).await;
        raw.event(a, "a1", NOW).await;
        raw.event(a, "a2", NOW).await;
        store.lease_due_events(NOW, 10, LEASE).await.unwrap();
        store
            .mark_event_failed("a1".into(), 1, NOW + 30, "HTTP 500".into())
            .await
            .unwrap();
        let waiting = store.lease_due_events(NOW + 10, 10, LEASE).await.unwrap();
        assert!(waiting.is_empty(), "a2 overtook a1: {:?}", ids(&waiting));
        let retried = store.lease_due_events(NOW + 30, 10, LEASE).await.unwrap();
        assert_eq!(ids(&retried), ["a1"]);
        assert_eq!(retried[0].attempts, 1);

        // Marks on a delivered event change nothing.
        store
            .mark_event_delivered("a1".into(), NOW + 30)
            .await
            .unwrap();
        store
            .mark_event_failed("a1".into(), 5, NOW + 30, "late".into())
            .await
            .unwrap();
        let next = store.lease_due_events(NOW + 30, 10, LEASE).await.unwrap();
        assert_eq!(ids(&next), ["a2"], "a1 stays delivered");
    });
}

#[tokio::test]
async fn a_lease_takes_at_most_its_limit() {
    on_both_with_raw!(|store, raw| {
        let [a, b, c] = three_orders(raw).await;
        raw.event(a, "a1", NOW - 3).await;
        raw.event(b, "b1", NOW - 2).await;
        raw.event(c, "c1", NOW - 1).await;
        assert_eq!(
            ids(&store.lease_due_events(NOW, 2, LEASE).await.unwrap()),
            ["a1", "b1"]
        );
        assert_eq!(
            ids(&store.lease_due_events(NOW, 2, LEASE).await.unwrap()),
            ["c1"]
        );
    });
}

#[tokio::test]
async fn dropping_and_pruning_delete_what_they_say() {
    on_both_with_raw!(|store, raw| {
        let [a, b, c] = three_orders(raw).await;
        raw.event(a, "a1", NOW).await;
        raw.event(b, "b1", NOW).await;
        raw.event(c, "c1", NOW).await;
        raw.event(c, "c2", NOW).await;
        store
            .mark_event_delivered("a1".into(), NOW - 100)
            .await
            .unwrap();
        store.mark_event_delivered("b1".into(), NOW).await.unwrap();
        assert_eq!(store.prune_events_delivered_before(NOW).await.unwrap(), 1);
        assert_eq!(store.drop_undelivered_events().await.unwrap(), 2);
        assert_eq!(
            store.prune_events_delivered_before(NOW + 1).await.unwrap(),
            1
        );
        assert!(
            store
                .lease_due_events(NOW, 10, LEASE)
                .await
                .unwrap()
                .is_empty()
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_leases_at_once_never_share_an_event_nor_an_order() {
    on_both_with_raw!(|store, raw| {
        let shopper = raw.shopper("ada").await;
        let mut heads = HashSet::new();
        for n in 0..32 {
            let order = raw.order(shopper, &format!("order-{n}"), n).await;
            raw.event(order, &format!("{n}-first"), NOW - 1).await;
            raw.event(order, &format!("{n}-second"), NOW - 1).await;
            heads.insert(format!("{n}-first"));
        }
        // Each round, the leases of the round before have ended: every head is due again.
        for round in 0..20 {
            let now = NOW + round * LEASE;
            let (one, two) = tokio::join!(
                store.lease_due_events(now, 5, LEASE),
                store.lease_due_events(now, 5, LEASE),
            );
            let (one, two) = (one.unwrap(), two.unwrap());
            let mut seen_events = HashSet::new();
            let mut seen_orders = HashSet::new();
            for event in one.iter().chain(&two) {
                assert!(
                    heads.contains(&event.event_id),
                    "{} overtook",
                    event.event_id
                );
                assert!(
                    seen_events.insert(event.event_id.clone()),
                    "{} twice",
                    event.event_id
                );
                assert!(
                    seen_orders.insert(event.order_id),
                    "order {} twice",
                    event.order_id
                );
            }
            assert_eq!(
                seen_events.len(),
                10,
                "round {round}: each lease takes its 5"
            );
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_leases_at_once_on_one_order_get_its_oldest_event_once() {
    on_both_with_raw!(|store, raw| {
        let [a, _, _] = three_orders(raw).await;
        raw.event(a, "a1", NOW).await;
        raw.event(a, "a2", NOW).await;
        // Each round, the lease of the round before has ended.
        for round in 0..30 {
            let now = NOW + round * LEASE;
            let (one, two) = tokio::join!(
                store.lease_due_events(now, 10, LEASE),
                store.lease_due_events(now, 10, LEASE),
            );
            let (one, two) = (one.unwrap(), two.unwrap());
            let leased: Vec<&str> = ids(&one).into_iter().chain(ids(&two)).collect();
            assert_eq!(leased, ["a1"], "round {round}");
        }
    });
}
