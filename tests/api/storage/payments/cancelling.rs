//! Cancelling an order before it is paid (`OrderStore::cancel_order`), on both engines: once,
//! with its `order.cancelled` event; its open payments given up for the reconciler to void; a
//! paid order left as it is; and a payment being begun at the same time either comes first
//! (and is given up) or finds the order cancelled, never left open on a cancelled order.

use voucherly_account::domain::LocalStatus;
use voucherly_account::domain::order::{CancelOrder, OrderStatus};
use voucherly_account::domain::payment::Begun;
use voucherly_account::storage::{OrderStore, PaymentStore};

use super::{new_payment, reading, requested};

/// How many times the race is run: each run is short, and a lost race shows in a few of them.
const ROUNDS: usize = 20;

#[tokio::test]
async fn an_order_is_cancelled_once_and_its_open_checkout_is_left_for_the_reconciler() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let reference = requested(store, anna, order, 1, "pay_1").await;

        let first = store
            .cancel_order(order, Some("out of stock".into()), 1_000)
            .await
            .unwrap();
        assert_eq!(
            first,
            CancelOrder::Cancelled {
                first: true,
                reason: Some("out of stock".into()),
                cancelled_at: 1_000
            }
        );
        // Again, later, with another reason: the first cancellation answers.
        let again = store
            .cancel_order(order, Some("changed my mind".into()), 2_000)
            .await
            .unwrap();
        assert_eq!(
            again,
            CancelOrder::Cancelled {
                first: false,
                reason: Some("out of stock".into()),
                cancelled_at: 1_000
            }
        );
        assert_eq!(rows.order_status(anna, order).await, "cancelled");
        assert!(
            store
                .orders_awaiting_payment(anna)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(rows.events(order).await, ["order.cancelled"]);

        // The checkout is no longer open for us, and still watched: the reconciler voids it.
        let payment = store
            .payment_by_reference(&reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(payment.status, LocalStatus::CreateFailed);
        assert_eq!(
            store.unsettled_for_order(order).await.unwrap(),
            ["pay_1".to_owned()]
        );
        let due = store.lease_due_checks(1_000, 10, 60).await.unwrap();
        assert_eq!(due.len(), 1, "{due:?}");
        assert_eq!(due[0].voucherly_payment_id, "pay_1");

        // No new payment of it begins.
        assert_eq!(
            store
                .begin_payment(new_payment(anna, order, 2, 1500), 600)
                .await
                .unwrap(),
            Begun::NotPayable
        );
        // Voided at Voucherly: closed, and no event for a failure of a cancelled order.
        store
            .apply_reading(reading("pay_1", LocalStatus::Failed, "Voided"))
            .await
            .unwrap();
        assert!(store.unsettled_for_order(order).await.unwrap().is_empty());
        assert_eq!(rows.events(order).await, ["order.cancelled"]);
    });
}

#[tokio::test]
async fn an_order_without_payments_is_cancelled_with_its_event() {
    on_both_with_rows!(|store, rows| {
        let bruno = rows.shopper("bruno").await;
        let order = rows.order(bruno, "o-2", 900).await;
        let outcome = store.cancel_order(order, None, 5).await.unwrap();
        assert_eq!(
            outcome,
            CancelOrder::Cancelled {
                first: true,
                reason: None,
                cancelled_at: 5
            }
        );
        assert_eq!(rows.events(order).await, ["order.cancelled"]);
    });
}

#[tokio::test]
async fn a_paid_order_is_not_cancelled() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        requested(store, anna, order, 1, "pay_1").await;
        store
            .apply_reading(reading("pay_1", LocalStatus::Paid, "Confirmed"))
            .await
            .unwrap();
        assert_eq!(
            store.cancel_order(order, None, 1_000).await.unwrap(),
            CancelOrder::NotAwaitingPayment(OrderStatus::Paid)
        );
        assert_eq!(rows.order_status(anna, order).await, "paid");
        assert_eq!(rows.events(order).await, ["order.paid"]);
    });
}

#[tokio::test]
async fn a_payment_of_a_cancelled_order_that_takes_money_is_due_for_a_refund() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        requested(store, anna, order, 1, "pay_1").await;
        store.cancel_order(order, None, 1_000).await.unwrap();
        // The shopper paid as the store cancelled.
        store
            .apply_reading(reading("pay_1", LocalStatus::Paid, "Confirmed"))
            .await
            .unwrap();
        assert_eq!(rows.order_status(anna, order).await, "cancelled");
        assert_eq!(
            rows.events(order).await,
            ["order.cancelled", "order.paid_after_cancel"]
        );
        let due = store.lease_due_refunds(i64::MAX / 2, 10).await.unwrap();
        assert_eq!(due.len(), 1, "{due:?}");
        assert_eq!(due[0].voucherly_payment_id, "pay_1");
        store
            .apply_reading(reading("pay_1", LocalStatus::Refunded, "Refunded"))
            .await
            .unwrap();
        assert_eq!(rows.order_status(anna, order).await, "cancelled");
        assert_eq!(
            rows.events(order).await,
            [
                "order.cancelled",
                "order.paid_after_cancel",
                "order.duplicate_refunded"
            ]
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancel_racing_a_payment_being_begun_never_leaves_it_open() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        for round in 0..ROUNDS {
            let order = rows.order(anna, &format!("race-{round}"), 1500).await;
            let key = u32::try_from(round).unwrap();
            let (cancelled, begun) = tokio::join!(
                store.cancel_order(order, None, 1_000),
                store.begin_payment(new_payment(anna, order, key, 1500), 600)
            );
            assert!(matches!(
                cancelled.unwrap(),
                CancelOrder::Cancelled { first: true, .. }
            ));
            match begun.unwrap() {
                // It came first: the cancellation gave it up.
                Begun::New(record) => {
                    let now = store
                        .payment_by_reference(&record.reference)
                        .await
                        .unwrap()
                        .unwrap();
                    assert_eq!(now.status, LocalStatus::CreateFailed, "round {round}");
                }
                Begun::NotPayable => {}
                other => panic!("round {round}: {other:?}"),
            }
            assert_eq!(rows.order_status(anna, order).await, "cancelled");
        }
    });
}
