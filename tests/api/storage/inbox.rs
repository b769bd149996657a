//! Voucherly's callbacks: kept when they name a payment of ours and there is room, leased to
//! one worker at a time, due again when heard again, and spooled entries kept once however
//! often they are offered, on either engine.

use voucherly_account::domain::payment_work::{Callback, Kept, Spooled};
use voucherly_account::storage::{CallbackInbox, PaymentStore};

use super::payments::{at_once, on_both_with_rows, requested};

fn callback(voucherly_payment_id: &str, received_at: i64) -> Callback {
    Callback {
        voucherly_payment_id: voucherly_payment_id.into(),
        reference: None,
        received_at,
    }
}

/// `n` payments of ours, created at Voucherly as `vp-0` … `vp-{n-1}`, one order each.
async fn payments<S: PaymentStore>(store: &S, rows: &super::payments::Rows<'_>, n: u32) {
    let anna = rows.shopper("anna").await;
    for i in 0..n {
        let order = rows.order(anna, &format!("o-{i}"), 1500).await;
        requested(store, anna, order, i, &format!("vp-{i}")).await;
    }
}

#[tokio::test]
async fn a_callback_is_kept_only_when_ours_and_while_there_is_room() {
    on_both_with_rows!(|store, rows| {
        payments(store, &rows, 3).await;
        assert_eq!(
            store
                .keep_callback(callback("vp-nobody", 100), 10)
                .await
                .unwrap(),
            Kept::NotOurs
        );
        // Named by our reference only (Voucherly's id not stored yet): ours.
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-by-reference", 1500).await;
        let voucherly_account::domain::payment::Begun::New(record) = store
            .begin_payment(super::payments::new_payment(anna, order, 99, 1500), 600)
            .await
            .unwrap()
        else {
            panic!("no new payment");
        };
        let by_reference = Callback {
            reference: Some(record.reference),
            ..callback("vp-new", 100)
        };
        assert_eq!(
            store.keep_callback(by_reference, 2).await.unwrap(),
            Kept::Kept
        );

        assert_eq!(
            store.keep_callback(callback("vp-0", 100), 2).await.unwrap(),
            Kept::Kept
        );
        assert_eq!(
            store.keep_callback(callback("vp-1", 100), 2).await.unwrap(),
            Kept::Full
        );
        // One already waiting takes no more room.
        assert_eq!(
            store.keep_callback(callback("vp-0", 101), 2).await.unwrap(),
            Kept::Kept
        );
        let due = store.lease_due_callbacks(200, 10).await.unwrap();
        let mut ids: Vec<_> = due
            .iter()
            .map(|d| d.voucherly_payment_id.as_str())
            .collect();
        ids.sort();
        assert_eq!(ids, ["vp-0", "vp-new"]);
        let first = due
            .iter()
            .find(|d| d.voucherly_payment_id == "vp-0")
            .unwrap();
        assert_eq!((first.attempts, first.received_at), (1, 100));
    });
}

#[tokio::test]
async fn a_leased_callback_is_due_again_after_its_lease_a_retry_or_when_heard_again() {
    on_both_with_rows!(|store, rows| {
        payments(store, &rows, 1).await;
        store
            .keep_callback(callback("vp-0", 100), 10)
            .await
            .unwrap();
        assert!(store.lease_due_callbacks(99, 10).await.unwrap().is_empty());
        let leased = store.lease_due_callbacks(100, 10).await.unwrap();
        assert_eq!(leased.len(), 1);
        assert_eq!(leased[0].attempts, 1);
        assert!(store.lease_due_callbacks(159, 10).await.unwrap().is_empty());
        let again = store.lease_due_callbacks(160, 10).await.unwrap();
        assert_eq!(again[0].attempts, 2);

        store
            .retry_callback_at("vp-0", "HTTP 503".into(), 500)
            .await
            .unwrap();
        assert!(store.lease_due_callbacks(499, 10).await.unwrap().is_empty());
        assert_eq!(
            store.lease_due_callbacks(500, 10).await.unwrap()[0].attempts,
            3
        );

        store.callback_done("vp-0", None, 510).await.unwrap();
        assert!(
            store
                .lease_due_callbacks(10_000, 10)
                .await
                .unwrap()
                .is_empty()
        );
        // A retry of a handled callback changes nothing.
        store
            .retry_callback_at("vp-0", "late".into(), 600)
            .await
            .unwrap();
        assert!(
            store
                .lease_due_callbacks(10_000, 10)
                .await
                .unwrap()
                .is_empty()
        );

        // Heard again after it was handled: due at once, counted afresh.
        store
            .keep_callback(callback("vp-0", 700), 10)
            .await
            .unwrap();
        let heard_again = store.lease_due_callbacks(700, 10).await.unwrap();
        assert_eq!(heard_again.len(), 1);
        assert_eq!(
            (heard_again[0].attempts, heard_again[0].received_at),
            (1, 700)
        );
        // Given up with an error: done as well.
        store
            .callback_done("vp-0", Some("gave up".into()), 800)
            .await
            .unwrap();
        assert!(
            store
                .lease_due_callbacks(10_000, 10)
                .await
                .unwrap()
                .is_empty()
        );
    });
}

#[tokio::test]
async fn the_oldest_due_callbacks_are_leased_first() {
    on_both_with_rows!(|store, rows| {
        payments(store, &rows, 3).await;
        for (id, at) in [("vp-0", 300), ("vp-1", 100), ("vp-2", 200)] {
            store.keep_callback(callback(id, at), 10).await.unwrap();
        }
        let first: Vec<_> = store
            .lease_due_callbacks(1000, 2)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.voucherly_payment_id)
            .collect();
        let mut first = first;
        first.sort();
        assert_eq!(first, ["vp-1", "vp-2"]);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn callbacks_leased_at_once_by_several_workers_are_disjoint() {
    on_both_with_rows!(|store, rows| {
        payments(store, &rows, 8).await;
        for i in 0..8 {
            store
                .keep_callback(callback(&format!("vp-{i}"), 100), 100)
                .await
                .unwrap();
        }
        let all: Vec<String> = (0..8).map(|i| format!("vp-{i}")).collect();
        // Round after round, every lease of the round before has ended: all are due again.
        for round in 0..25 {
            let now = 100 + round * 1000;
            let leased = at_once(store, 4, move |store, _| async move {
                store.lease_due_callbacks(now, 3).await.unwrap()
            })
            .await;
            assert!(leased.iter().all(|batch| batch.len() <= 3), "{leased:?}");
            let mut ids: Vec<_> = leased
                .iter()
                .flatten()
                .map(|d| d.voucherly_payment_id.clone())
                .collect();
            ids.sort();
            assert_eq!(ids, all, "round {round}: {leased:?}");
            assert!(leased.iter().flatten().all(|d| d.attempts == round + 1));
        }
    });
}

#[tokio::test]
async fn spooled_entries_are_kept_once_however_often_offered() {
    on_both_with_rows!(|store, rows| {
        payments(store, &rows, 3).await;
        let spooled = |entry: &str, id: &str| Spooled {
            entry: entry.into(),
            callback: callback(id, 100),
        };
        let kept = store
            .keep_spooled(
                vec![
                    spooled("e-0", "vp-0"),
                    spooled("e-x", "vp-nobody"),
                    spooled("e-1", "vp-1"),
                ],
                1,
                1000,
            )
            .await
            .unwrap();
        assert_eq!(kept, [Kept::Kept, Kept::NotOurs, Kept::Full]);
        // Offered again (the file outlived its replay): nothing new; a new entry is kept.
        let again = store
            .keep_spooled(
                vec![spooled("e-0", "vp-0"), spooled("e-2", "vp-2")],
                10,
                1001,
            )
            .await
            .unwrap();
        assert_eq!(again, [Kept::Kept]);
        let mut due: Vec<_> = store
            .lease_due_callbacks(1000, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.voucherly_payment_id)
            .collect();
        due.sort();
        assert_eq!(due, ["vp-0", "vp-2"]);
        // Remembered for a week, then forgotten.
        let week = 7 * 24 * 60 * 60;
        assert!(
            store
                .keep_spooled(vec![spooled("e-0", "vp-0")], 10, 1000 + week)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .keep_spooled(vec![spooled("e-0", "vp-0")], 10, 1001 + week)
                .await
                .unwrap(),
            [Kept::Kept]
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_spool_replayed_by_many_instances_at_once_keeps_each_entry_once() {
    on_both_with_rows!(|store, rows| {
        payments(store, &rows, 6).await;
        let entries: Vec<Spooled> = (0..6)
            .map(|i| Spooled {
                entry: format!("e-{i}"),
                callback: callback(&format!("vp-{i}"), 100),
            })
            .collect();
        let replays = at_once(store, 4, move |store, i| {
            // Each instance reads the file in its own order.
            let mut entries = entries.clone();
            entries.rotate_left(i);
            async move { store.keep_spooled(entries, 100, 1000).await.unwrap() }
        })
        .await;
        let kept: usize = replays.iter().map(Vec::len).sum();
        assert_eq!(kept, 6, "{replays:?}");
        assert!(replays.iter().flatten().all(|k| *k == Kept::Kept));
    });
}
