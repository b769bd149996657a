//! The refunds the app owes: leased to one worker at a time, retried, done, or handed to a
//! person once.

use voucherly_account::storage::PaymentStore;

use super::{at_once, paid_twice};

#[tokio::test]
async fn a_leased_refund_is_due_again_only_after_its_lease_or_its_retry_time() {
    on_both_with_rows!(|store, rows| {
        let (_, _, duplicate) = paid_twice(store, &rows, "anna", "vp-1", "vp-2").await;
        let now = voucherly_account::storage::now() + 10;
        let leased = store.lease_due_refunds(now, 10).await.unwrap();
        assert_eq!(leased.len(), 1);
        assert_eq!(leased[0].id, duplicate);
        assert!(store.lease_due_refunds(now, 10).await.unwrap().is_empty());
        assert!(
            store
                .lease_due_refunds(now + 119, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.lease_due_refunds(now + 120, 10).await.unwrap().len(),
            1
        );

        store
            .retry_refund_at(duplicate, now + 1000, "HTTP 500".into())
            .await
            .unwrap();
        assert!(
            store
                .lease_due_refunds(now + 999, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.lease_due_refunds(now + 1000, 10).await.unwrap().len(),
            1
        );

        store.refund_done(duplicate).await.unwrap();
        assert!(
            store
                .lease_due_refunds(i64::MAX / 2, 10)
                .await
                .unwrap()
                .is_empty()
        );
        // Done: nothing for a person to do either.
        assert!(
            !store
                .refund_impossible(duplicate, "ImpossibleRefund".into(), now)
                .await
                .unwrap()
        );
    });
}

#[tokio::test]
async fn an_impossible_refund_tells_the_store_once() {
    on_both_with_rows!(|store, rows| {
        let (_, order, duplicate) = paid_twice(store, &rows, "anna", "vp-1", "vp-2").await;
        let now = voucherly_account::storage::now();
        assert!(
            store
                .refund_impossible(duplicate, "ImpossibleRefund".into(), now)
                .await
                .unwrap()
        );
        assert!(
            !store
                .refund_impossible(duplicate, "ImpossibleRefund".into(), now)
                .await
                .unwrap()
        );
        assert!(
            store
                .lease_due_refunds(i64::MAX / 2, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            rows.events(order).await,
            [
                "order.paid",
                "order.paid_twice",
                "order.manual_refund_needed"
            ]
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refunds_leased_at_once_by_several_workers_are_disjoint() {
    on_both_with_rows!(|store, rows| {
        let mut duplicates = Vec::new();
        for i in 0..8 {
            let (_, _, duplicate) = paid_twice(
                store,
                &rows,
                &format!("shopper-{i}"),
                &format!("vp-{i}-a"),
                &format!("vp-{i}-b"),
            )
            .await;
            duplicates.push(duplicate);
        }
        duplicates.sort();
        let start = voucherly_account::storage::now() + 10;
        // Round after round, every lease of the round before has ended: all are due again.
        for round in 0..25 {
            let now = start + round * 1000;
            let leased = at_once(store, 4, move |store, _| async move {
                store.lease_due_refunds(now, 3).await.unwrap()
            })
            .await;
            assert!(leased.iter().all(|batch| batch.len() <= 3), "{leased:?}");
            let mut ids: Vec<i64> = leased.iter().flatten().map(|refund| refund.id).collect();
            ids.sort();
            assert_eq!(ids, duplicates, "round {round}: {leased:?}");
        }

        // And two impossible refunds of one payment at once: one event.
        let answers = at_once(store, 2, move |store, _| {
            let id = duplicates[0];
            async move {
                store
                    .refund_impossible(id, "ImpossibleRefund".into(), start)
                    .await
                    .unwrap()
            }
        })
        .await;
        assert_eq!(answers.iter().filter(|a| **a).count(), 1, "{answers:?}");
    });
}
