//! The demo store's records: notifications once each, the latest calls, both bounded.

use voucherly_account::storage::demo_store::{ApiCall, DemoStoreRecords, ReceivedEvent};

fn event(event_id: &str, signature_valid: bool, received_at: i64) -> ReceivedEvent {
    ReceivedEvent {
        event_id: event_id.into(),
        event_type: "order.paid".into(),
        store_order_id: Some("order-1".into()),
        signature_valid,
        received_at,
    }
}

fn call(path: &str, status: Option<u16>) -> ApiCall {
    ApiCall {
        method: "POST",
        path: path.into(),
        request: "{}".into(),
        status,
        response: "ok".into(),
        store_user_id: "ada".into(),
        store_order_id: None,
    }
}

#[tokio::test]
async fn a_valid_notification_is_recorded_once_and_listed_newest_first() {
    on_both!(|store| {
        assert!(store.record_event(event("e1", true, 1)).await.unwrap());
        assert!(
            !store.record_event(event("e1", true, 2)).await.unwrap(),
            "a duplicate delivery"
        );
        assert!(store.record_event(event("e2", true, 3)).await.unwrap());
        // Badly signed ones are all kept (they prove nothing about the event id).
        assert!(store.record_event(event("e1", false, 4)).await.unwrap());
        assert!(store.record_event(event("e1", false, 5)).await.unwrap());
        let listed = store.events().await.unwrap();
        let seen: Vec<(&str, bool, i64)> = listed
            .iter()
            .map(|e| (e.event_id.as_str(), e.signature_valid, e.received_at))
            .collect();
        assert_eq!(
            seen,
            [
                ("e1", false, 5),
                ("e1", false, 4),
                ("e2", true, 3),
                ("e1", true, 1)
            ]
        );
        assert_eq!(listed[0].event_type, "order.paid");
        assert_eq!(listed[0].store_order_id.as_deref(), Some("order-1"));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_notification_delivered_twice_at_once_is_recorded_once() {
    on_both!(|store| {
        let (one, two) = tokio::join!(
            store.record_event(event("same", true, 1)),
            store.record_event(event("same", true, 1)),
        );
        assert!(one.unwrap() ^ two.unwrap(), "exactly one is new");
        assert_eq!(store.events().await.unwrap().len(), 1);
    });
}

#[tokio::test]
async fn only_the_latest_twenty_badly_signed_notifications_are_kept() {
    on_both!(|store| {
        store.record_event(event("valid", true, 0)).await.unwrap();
        for n in 1..=25 {
            store
                .record_event(event(&format!("bad-{n}"), false, n))
                .await
                .unwrap();
        }
        let listed = store.events().await.unwrap();
        assert_eq!(listed.len(), 21);
        assert_eq!(listed[0].event_id, "bad-25");
        assert_eq!(listed[19].event_id, "bad-6");
        assert_eq!(listed[20].event_id, "valid", "valid ones are not trimmed");
    });
}

#[tokio::test]
async fn a_saved_call_reads_back_by_its_key() {
    on_both!(|store| {
        store
            .save_call("key-1".into(), call("/orders", Some(201)))
            .await
            .unwrap();
        store
            .save_call("key-2".into(), call("/unreachable", None))
            .await
            .unwrap();
        let found = store.find_call("key-1".into()).await.unwrap().unwrap();
        assert_eq!(
            (
                found.method.as_str(),
                found.path.as_str(),
                found.request.as_str(),
                found.status,
                found.response.as_str(),
                found.store_user_id.as_str(),
                found.store_order_id
            ),
            ("POST", "/orders", "{}", Some(201), "ok", "ada", None)
        );
        let unreachable = store.find_call("key-2".into()).await.unwrap().unwrap();
        assert_eq!(unreachable.status, None);
        assert!(store.find_call("nope".into()).await.unwrap().is_none());
    });
}

#[tokio::test]
async fn only_the_latest_twenty_calls_are_kept() {
    on_both!(|store| {
        for n in 1..=21 {
            store
                .save_call(format!("key-{n}"), call(&format!("/{n}"), Some(200)))
                .await
                .unwrap();
        }
        assert!(store.find_call("key-1".into()).await.unwrap().is_none());
        for n in 2..=21 {
            assert!(
                store.find_call(format!("key-{n}")).await.unwrap().is_some(),
                "key-{n}"
            );
        }
    });
}
