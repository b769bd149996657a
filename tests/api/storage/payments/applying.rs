//! Applying Voucherly's word: only forward, the order and the store's events following once,
//! however often, late or out of order the word comes, and from however many workers at once.

use voucherly_account::domain::LocalStatus;
use voucherly_account::domain::payment::{Applied, Reading};
use voucherly_account::storage::PaymentStore;

use super::{at_once, paid_twice, reading, requested};

#[tokio::test]
async fn a_payment_pays_its_order_once_and_older_words_change_nothing() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let reference = requested(store, anna, order, 1, "vp-1").await;

        let (applied, queued) = store
            .apply_reading(reading("vp-1", LocalStatus::Paid, "Confirmed"))
            .await
            .unwrap();
        let Applied::Known { id, status } = applied else {
            panic!("not known");
        };
        assert_eq!(status, LocalStatus::Paid);
        assert!(queued);
        assert_eq!(rows.order_status(anna, order).await, "paid");
        assert_eq!(rows.events(order).await, ["order.paid"]);

        // The same word again, and an older one: nothing moves, nothing is queued.
        for (older, word) in [
            (LocalStatus::Paid, "Confirmed"),
            (LocalStatus::Requested, "Pending"),
            (LocalStatus::Authorised, "Paid"),
        ] {
            let (applied, queued) = store
                .apply_reading(reading("vp-1", older, word))
                .await
                .unwrap();
            assert_eq!(
                applied,
                Applied::Known {
                    id,
                    status: LocalStatus::Paid
                }
            );
            assert!(!queued);
        }
        let record = store
            .payment_by_reference(&reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(record.status, LocalStatus::Paid);
        assert_eq!(record.voucherly_status.as_deref(), Some("Confirmed"));
        assert_eq!(rows.order_status(anna, order).await, "paid");
        assert_eq!(rows.events(order).await, ["order.paid"]);

        // Voided afterwards at Voucherly: the money was given back, the order is refunded.
        let (applied, queued) = store
            .apply_reading(reading("vp-1", LocalStatus::Failed, "Voided"))
            .await
            .unwrap();
        assert_eq!(
            applied,
            Applied::Known {
                id,
                status: LocalStatus::Refunded
            }
        );
        assert!(queued);
        assert_eq!(rows.order_status(anna, order).await, "refunded");
        assert_eq!(rows.events(order).await, ["order.paid", "order.refunded"]);
    });
}

#[tokio::test]
async fn a_failed_payment_tells_the_store_only_while_the_order_awaits_payment() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        requested(store, anna, order, 1, "vp-1").await;
        let (_, queued) = store
            .apply_reading(reading("vp-1", LocalStatus::Failed, "Declined"))
            .await
            .unwrap();
        assert!(queued);
        assert_eq!(rows.order_status(anna, order).await, "awaiting_payment");
        assert_eq!(rows.events(order).await, ["order.payment_failed"]);
        // Paid late after all: adopted, the order paid.
        let (applied, queued) = store
            .apply_reading(reading("vp-1", LocalStatus::Paid, "Confirmed"))
            .await
            .unwrap();
        assert!(matches!(
            applied,
            Applied::Known {
                status: LocalStatus::Paid,
                ..
            }
        ));
        assert!(queued);
        assert_eq!(rows.order_status(anna, order).await, "paid");
        assert_eq!(
            rows.events(order).await,
            ["order.payment_failed", "order.paid"]
        );
    });
}

#[tokio::test]
async fn a_reading_matched_by_reference_stores_voucherlys_id_and_an_unknown_one_is_ignored() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let voucherly_begun = store
            .begin_payment(super::new_payment(anna, order, 1, 1500), 600)
            .await
            .unwrap();
        let voucherly_account::domain::payment::Begun::New(record) = voucherly_begun else {
            panic!("no new payment");
        };
        // The app stopped before it stored Voucherly's answer; the callback names our reference.
        let by_reference = Reading {
            reference: Some(record.reference.clone()),
            checkout_url: Some("https://checkout.example/vp-9".into()),
            paid_amount: Some(1400),
            ..reading("vp-9", LocalStatus::Authorised, "Paid")
        };
        let (applied, queued) = store.apply_reading(by_reference.clone()).await.unwrap();
        assert_eq!(
            applied,
            Applied::Known {
                id: record.id,
                status: LocalStatus::Authorised
            }
        );
        assert!(queued);
        let stored = store
            .payment_by_reference(&record.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.voucherly_payment_id.as_deref(), Some("vp-9"));
        assert_eq!(
            stored.checkout_url.as_deref(),
            Some("https://checkout.example/vp-9")
        );
        assert_eq!(
            store.authorised_for_order(order).await.unwrap().as_deref(),
            Some("vp-9")
        );

        // Another Voucherly payment claiming the same reference is not ours.
        let impostor = Reading {
            reference: Some(record.reference.clone()),
            ..reading("vp-other", LocalStatus::Paid, "Confirmed")
        };
        assert_eq!(
            store.apply_reading(impostor).await.unwrap(),
            (Applied::Unknown, false)
        );
        assert_eq!(
            store
                .apply_reading(reading("vp-nobody", LocalStatus::Paid, "Confirmed"))
                .await
                .unwrap(),
            (Applied::Unknown, false)
        );
        assert_eq!(rows.events(order).await, ["order.paid"]);
    });
}

#[tokio::test]
async fn a_second_payment_of_a_paid_order_is_a_duplicate_and_its_refund_keeps_the_order_paid() {
    on_both_with_rows!(|store, rows| {
        let (shopper, order, duplicate) = paid_twice(store, &rows, "anna", "vp-1", "vp-2").await;
        let refunds = store.lease_due_refunds(i64::MAX / 2, 10).await.unwrap();
        assert_eq!(refunds.len(), 1);
        assert_eq!(refunds[0].id, duplicate);
        assert_eq!(refunds[0].voucherly_payment_id, "vp-2");
        assert_eq!(rows.order_status(shopper, order).await, "paid");
        assert_eq!(rows.events(order).await, ["order.paid", "order.paid_twice"]);

        // The duplicate refunded: the order stays paid; the store hears of it.
        let (_, queued) = store
            .apply_reading(reading("vp-2", LocalStatus::Refunded, "Refunded"))
            .await
            .unwrap();
        assert!(queued);
        assert_eq!(rows.order_status(shopper, order).await, "paid");
        assert_eq!(
            rows.events(order).await,
            ["order.paid", "order.paid_twice", "order.duplicate_refunded"]
        );
        // The first refunded too: now the order is.
        store
            .apply_reading(reading("vp-1", LocalStatus::Refunded, "Refunded"))
            .await
            .unwrap();
        assert_eq!(rows.order_status(shopper, order).await, "refunded");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_reading_applied_by_many_workers_at_once_pays_the_order_once() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        requested(store, anna, order, 1, "vp-1").await;
        let queued = at_once(store, 8, |store, _| async move {
            store
                .apply_reading(reading("vp-1", LocalStatus::Paid, "Confirmed"))
                .await
                .unwrap()
                .1
        })
        .await;
        assert_eq!(queued.iter().filter(|q| **q).count(), 1, "{queued:?}");
        assert_eq!(rows.order_status(anna, order).await, "paid");
        assert_eq!(rows.events(order).await, ["order.paid"]);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_payments_of_one_order_paid_at_once_make_one_paid_and_one_duplicate() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        requested(store, anna, order, 1, "vp-1").await;
        store.mark_outcome_unknown("vp-1").await.unwrap();
        requested(store, anna, order, 2, "vp-2").await;
        at_once(store, 2, |store, i| async move {
            store
                .apply_reading(reading(
                    &format!("vp-{}", i + 1),
                    LocalStatus::Paid,
                    "Confirmed",
                ))
                .await
                .unwrap()
        })
        .await;
        let mut events = rows.events(order).await;
        events.sort();
        assert_eq!(events, ["order.paid", "order.paid_twice"]);
        assert_eq!(rows.order_status(anna, order).await, "paid");
        let refunds = store.lease_due_refunds(i64::MAX / 2, 10).await.unwrap();
        assert_eq!(refunds.len(), 1, "{refunds:?}");

        // Both refunded at once: whichever goes second sees the first refunded.
        at_once(store, 2, |store, i| async move {
            store
                .apply_reading(reading(
                    &format!("vp-{}", i + 1),
                    LocalStatus::Refunded,
                    "Refunded",
                ))
                .await
                .unwrap()
        })
        .await;
        assert_eq!(rows.order_status(anna, order).await, "refunded");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn both_payments_of_an_order_paid_twice_refunded_at_once_refund_the_order() {
    on_both_with_rows!(|store, rows| {
        for round in 0..10 {
            let (shopper, order, _) = paid_twice(
                store,
                &rows,
                &format!("shopper-{round}"),
                &format!("vp-{round}-a"),
                &format!("vp-{round}-b"),
            )
            .await;
            at_once(store, 2, move |store, i| async move {
                let id = format!("vp-{round}-{}", ["a", "b"][i]);
                store
                    .apply_reading(reading(&id, LocalStatus::Refunded, "Refunded"))
                    .await
                    .unwrap()
            })
            .await;
            // Whichever went second saw the first refunded: the order is, and the store hears
            // it once.
            assert_eq!(
                rows.order_status(shopper, order).await,
                "refunded",
                "round {round}"
            );
            let events = rows.events(order).await;
            assert_eq!(
                events
                    .iter()
                    .filter(|kind| *kind == "order.refunded")
                    .count(),
                1,
                "round {round}: {events:?}"
            );
        }
    });
}
