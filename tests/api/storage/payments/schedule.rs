//! The reconciler's view: payments due for a re-read, stuck creations, open payments of an
//! order, and authorisations still to capture.

use voucherly_account::domain::LocalStatus;
use voucherly_account::domain::payment::Begun;
use voucherly_account::storage::PaymentStore;

use super::{new_payment, reading, requested};

#[tokio::test]
async fn due_checks_follow_the_schedule_unscheduled_open_payments_first() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let first = rows.order(anna, "o-1", 1500).await;
        let second = rows.order(anna, "o-2", 1500).await;
        requested(store, anna, first, 1, "vp-1").await;
        let now = voucherly_account::storage::now();
        let id = store
            .payment_by_idempotency_key(anna, &format!("{:032x}", 1))
            .await
            .unwrap()
            .unwrap()
            .id;
        assert!(store.lease_due_checks(now, 10, 0).await.unwrap().is_empty());
        let due = store.lease_due_checks(now + 30, 10, 0).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].id, id);
        assert_eq!(due[0].voucherly_payment_id, "vp-1");
        assert_eq!(due[0].status, LocalStatus::Requested);
        assert_eq!(due[0].check_interval, Some(30));

        // An open payment with no schedule is always due, before the scheduled ones.
        requested(store, anna, second, 2, "vp-2").await;
        let unscheduled = store
            .payment_by_idempotency_key(anna, &format!("{:032x}", 2))
            .await
            .unwrap()
            .unwrap()
            .id;
        store.stop_checking(unscheduled, now).await.unwrap();
        let due = store.lease_due_checks(now + 30, 1, 0).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].id, unscheduled);
        assert_eq!(
            store.lease_due_checks(now + 30, 10, 0).await.unwrap().len(),
            2
        );

        store.check_again_in(id, 300, now).await.unwrap();
        let due: Vec<i64> = store
            .lease_due_checks(now + 299, 10, 0)
            .await
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(due, [unscheduled]);
        let due = store.lease_due_checks(now + 300, 10, 0).await.unwrap();
        assert_eq!(due.len(), 2);
        assert!(
            due.iter()
                .any(|d| d.id == id && d.check_interval == Some(300))
        );

        store.abandon(id, now).await.unwrap();
        store.abandon(unscheduled, now).await.unwrap();
        assert!(
            store
                .lease_due_checks(i64::MAX / 2, 10, 0)
                .await
                .unwrap()
                .is_empty()
        );
        let record = store
            .payment_by_idempotency_key(anna, &format!("{:032x}", 1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(record.status, LocalStatus::Abandoned);
        // A settled payment is neither abandoned nor rescheduled.
        store.check_again_in(id, 10, now).await.unwrap();
        assert!(
            store
                .lease_due_checks(i64::MAX / 2, 10, 0)
                .await
                .unwrap()
                .is_empty()
        );
    });
}

#[tokio::test]
async fn creations_stuck_past_the_timeout_are_failed_once() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let first = rows.order(anna, "o-1", 1500).await;
        let second = rows.order(anna, "o-2", 1500).await;
        let Begun::New(stuck) = store
            .begin_payment(new_payment(anna, first, 1, 1500), 600)
            .await
            .unwrap()
        else {
            panic!("no new payment");
        };
        requested(store, anna, second, 2, "vp-2").await;
        let now = voucherly_account::storage::now();
        assert!(
            store
                .fail_stuck_creations(now, 60)
                .await
                .unwrap()
                .is_empty()
        );
        let failed = store.fail_stuck_creations(now + 60, 60).await.unwrap();
        assert_eq!(failed, [(stuck.id, stuck.reference.clone())]);
        assert!(
            store
                .fail_stuck_creations(now + 60, 60)
                .await
                .unwrap()
                .is_empty()
        );
        let record = store
            .payment_by_reference(&stuck.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(record.status, LocalStatus::CreateFailed);
    });
}

#[tokio::test]
async fn an_open_payment_voucherly_forgot_stays_watched_until_checks_stop() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let other = rows.order(anna, "o-2", 1500).await;
        assert!(store.unsettled_for_order(order).await.unwrap().is_empty());
        let reference = requested(store, anna, order, 1, "vp-1").await;
        requested(store, anna, other, 2, "vp-other").await;
        assert_eq!(store.unsettled_for_order(order).await.unwrap(), ["vp-1"]);
        store.mark_outcome_unknown("vp-1").await.unwrap();
        let record = store
            .payment_by_reference(&reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(record.status, LocalStatus::CreateFailed);
        assert_eq!(store.unsettled_for_order(order).await.unwrap(), ["vp-1"]);
        requested(store, anna, order, 3, "vp-3").await;
        assert_eq!(
            store.unsettled_for_order(order).await.unwrap(),
            ["vp-1", "vp-3"]
        );
        store.stop_checking(record.id, 0).await.unwrap();
        assert_eq!(store.unsettled_for_order(order).await.unwrap(), ["vp-3"]);
        // A paid payment is not marked unknown.
        store
            .apply_reading(reading("vp-3", LocalStatus::Paid, "Confirmed"))
            .await
            .unwrap();
        store.mark_outcome_unknown("vp-3").await.unwrap();
        assert_eq!(
            store
                .payment_by_idempotency_key(anna, &format!("{:032x}", 3))
                .await
                .unwrap()
                .unwrap()
                .status,
            LocalStatus::Paid
        );
        assert!(store.unsettled_for_order(order).await.unwrap().is_empty());
    });
}

#[tokio::test]
async fn authorisations_to_capture_are_listed_and_retried_duplicates_left_out() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        assert_eq!(store.authorised_for_order(order).await.unwrap(), None);
        requested(store, anna, order, 1, "vp-1").await;
        store
            .apply_reading(reading("vp-1", LocalStatus::Authorised, "Paid"))
            .await
            .unwrap();
        assert_eq!(
            store.authorised_for_order(order).await.unwrap().as_deref(),
            Some("vp-1")
        );
        let record = store
            .payment_by_idempotency_key(anna, &format!("{:032x}", 1))
            .await
            .unwrap()
            .unwrap();
        let uncaptured = store.uncaptured().await.unwrap();
        assert_eq!(uncaptured.len(), 1);
        assert_eq!(uncaptured[0].store_order_id, "o-1");
        assert_eq!(uncaptured[0].voucherly_payment_id, "vp-1");
        assert_eq!(uncaptured[0].amount, 1500);
        assert_eq!(uncaptured[0].authorised_at, record.updated_at);

        // Settled: not re-read until a capture failed.
        let now = voucherly_account::storage::now();
        assert!(
            store
                .lease_due_checks(now + 10_000, 10, 0)
                .await
                .unwrap()
                .is_empty()
        );
        store.retry_capture_at("vp-1", now + 500).await.unwrap();
        assert!(
            store
                .lease_due_checks(now + 499, 10, 0)
                .await
                .unwrap()
                .is_empty()
        );
        let due = store.lease_due_checks(now + 500, 10, 0).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].status, LocalStatus::Authorised);
        assert_eq!(due[0].check_interval, Some(30));

        // A second authorisation of the order is a duplicate: not to capture.
        requested(store, anna, order, 3, "vp-3").await;
        store
            .apply_reading(reading("vp-3", LocalStatus::Authorised, "Paid"))
            .await
            .unwrap();
        assert_eq!(
            store.authorised_for_order(order).await.unwrap().as_deref(),
            Some("vp-1")
        );
        let listed: Vec<String> = store
            .uncaptured()
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.voucherly_payment_id)
            .collect();
        assert_eq!(listed, ["vp-1"]);
        // Captured: no longer listed.
        store
            .apply_reading(reading("vp-1", LocalStatus::Paid, "Confirmed"))
            .await
            .unwrap();
        assert_eq!(store.authorised_for_order(order).await.unwrap(), None);
        assert!(store.uncaptured().await.unwrap().is_empty());
    });
}

#[tokio::test]
async fn a_leased_check_is_due_to_no_one_else_until_rescheduled_or_the_lease_ends() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let mut ids = Vec::new();
        for n in 1..=6 {
            let order = rows.order(anna, &format!("o-{n}"), 1500).await;
            requested(store, anna, order, n, &format!("vp-{n}")).await;
            let id = store
                .payment_by_idempotency_key(anna, &format!("{n:032x}"))
                .await
                .unwrap()
                .unwrap()
                .id;
            ids.push(id);
        }
        // Read after the last one is made: a slow setup (a loaded machine) crossing a second
        // would leave the last payments not yet due at `now + 30`.
        let now = voucherly_account::storage::now();
        // Two workers at once: every due payment once, none twice.
        let (a, b) = tokio::join!(
            store.lease_due_checks(now + 30, 4, 120),
            store.lease_due_checks(now + 30, 4, 120),
        );
        let mut leased: Vec<i64> = a
            .unwrap()
            .into_iter()
            .chain(b.unwrap())
            .map(|d| d.id)
            .collect();
        leased.sort();
        let mut distinct = leased.clone();
        distinct.dedup();
        assert_eq!(leased, distinct, "a payment leased twice");
        assert_eq!(leased.len(), 6);
        // Held for the lease, then due again if its worker never scheduled the next read.
        assert!(
            store
                .lease_due_checks(now + 149, 10, 120)
                .await
                .unwrap()
                .is_empty()
        );
        store.check_again_in(ids[0], 600, now + 30).await.unwrap();
        let again: Vec<i64> = store
            .lease_due_checks(now + 150, 10, 120)
            .await
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(again.len(), 5);
        assert!(!again.contains(&ids[0]), "rescheduled by its worker");
    });
}
