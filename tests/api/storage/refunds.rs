//! The store's refunds: recorded once per refund id and never beyond what was captured, even
//! when asked for at once; claimed by one worker at a time and, of one order, only the oldest
//! unfinished one; completed with the order and the store's events following once.

use voucherly_account::domain::LocalStatus;
use voucherly_account::domain::refund::{
    NewRefund, NotRefundable, RecordRefund, Refund, RefundDestination, RefundPart, RefundPlan,
    RefundStatus,
};
use voucherly_account::storage::{PaymentStore, RefundStore, Storage};

use crate::storage::payments::{Rows, at_once, on_both_with_rows, reading, requested};

/// How long a claim lasts in these tests, in seconds.
const LEASE: i64 = 120;

/// A paid order of 1500 cents (its payment `vp-{name}`): its id.
async fn paid_order<S: Storage>(store: &S, rows: &Rows<'_>, name: &str) -> i64 {
    let shopper = rows.shopper(name).await;
    let order = rows.order(shopper, &format!("{name}-order"), 1500).await;
    let voucherly_id = format!("vp-{name}");
    requested(store, shopper, order, 1, &voucherly_id).await;
    store
        .apply_reading(reading(&voucherly_id, LocalStatus::Paid, "Confirmed"))
        .await
        .unwrap();
    order
}

fn ask(order_id: i64, id: &str, amount: Option<i64>) -> NewRefund {
    NewRefund {
        order_id,
        store_refund_id: id.into(),
        fingerprint: format!("{amount:?}"),
        amount,
        food_amount: 0,
        destination: RefundDestination::OriginalMethods,
        reason: Some("returned".into()),
        lines: vec![],
    }
}

async fn created<S: RefundStore>(
    store: &S,
    order_id: i64,
    id: &str,
    amount: Option<i64>,
) -> Refund {
    match store
        .record_refund(ask(order_id, id, amount), 100, 100)
        .await
        .unwrap()
    {
        RecordRefund::Created(refund) => refund,
        other => panic!("not created: {other:?}"),
    }
}

#[tokio::test]
async fn a_refund_is_recorded_once_per_id_and_never_beyond_what_was_captured() {
    on_both_with_rows!(|store, rows| {
        let order = paid_order(store, &rows, "anna").await;
        let first = created(store, order, "r-1", Some(500)).await;
        assert_eq!(first.status, RefundStatus::Pending);
        assert_eq!(first.voucherly_payment_id, "vp-anna");
        assert_eq!(first.amount, 500);
        assert_eq!(first.reason.as_deref(), Some("returned"));
        assert_eq!(
            store
                .record_refund(ask(order, "r-1", Some(500)), 200, 200)
                .await
                .unwrap(),
            RecordRefund::Existing(first.clone())
        );
        assert!(matches!(
            store
                .record_refund(ask(order, "r-1", Some(400)), 200, 200)
                .await
                .unwrap(),
            RecordRefund::Conflict(_)
        ));
        assert_eq!(
            store
                .record_refund(ask(order, "r-2", Some(1001)), 200, 200)
                .await
                .unwrap(),
            RecordRefund::TooMuch { maximum: 1000 }
        );
        let rest = created(store, order, "r-2", None).await;
        assert_eq!(rest.amount, 1000);
        assert_eq!(
            store
                .record_refund(ask(order, "r-3", None), 200, 200)
                .await
                .unwrap(),
            RecordRefund::TooMuch { maximum: 0 }
        );
        let ids: Vec<String> = store
            .refunds_of_order(order)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.store_refund_id)
            .collect();
        assert_eq!(ids, ["r-1", "r-2"]);
        assert_eq!(
            store.refund_of_order(order, "r-2").await.unwrap(),
            Some(rest)
        );
        assert_eq!(store.refund_of_order(order, "r-9").await.unwrap(), None);
    });
}

#[tokio::test]
async fn an_order_not_paid_or_only_authorised_is_not_refundable() {
    on_both_with_rows!(|store, rows| {
        let shopper = rows.shopper("bruno").await;
        let unpaid = rows.order(shopper, "unpaid", 1500).await;
        assert_eq!(
            store
                .record_refund(ask(unpaid, "r-1", None), 100, 100)
                .await
                .unwrap(),
            RecordRefund::NotRefundable(NotRefundable::NotPaid {
                status: "awaiting_payment".into()
            })
        );
        let authorised = rows.order(shopper, "authorised", 1500).await;
        requested(store, shopper, authorised, 2, "vp-auth").await;
        store
            .apply_reading(reading("vp-auth", LocalStatus::Authorised, "Paid"))
            .await
            .unwrap();
        assert_eq!(
            store
                .record_refund(ask(authorised, "r-1", None), 100, 100)
                .await
                .unwrap(),
            RecordRefund::NotRefundable(NotRefundable::OnlyAuthorised)
        );
        assert!(store.refunds_of_order(authorised).await.unwrap().is_empty());
    });
}

#[tokio::test]
async fn refunds_recorded_at_once_are_created_once_and_never_overdraw() {
    on_both_with_rows!(|store, rows| {
        let order = paid_order(store, &rows, "carla").await;
        let same = at_once(store, 8, move |store, _| async move {
            store
                .record_refund(ask(order, "same", Some(400)), 100, 100)
                .await
                .unwrap()
        })
        .await;
        let new = same
            .iter()
            .filter(|r| matches!(r, RecordRefund::Created(_)))
            .count();
        let again = same
            .iter()
            .filter(|r| matches!(r, RecordRefund::Existing(_)))
            .count();
        assert_eq!((new, again), (1, 7));

        // 1100 left: of eight refunds of 500, two fit.
        let many = at_once(store, 8, move |store, i| async move {
            store
                .record_refund(ask(order, &format!("r-{i}"), Some(500)), 100, 100)
                .await
                .unwrap()
        })
        .await;
        let fitted = many
            .iter()
            .filter(|r| matches!(r, RecordRefund::Created(_)))
            .count();
        assert_eq!(fitted, 2);
        let total: i64 = store
            .refunds_of_order(order)
            .await
            .unwrap()
            .iter()
            .map(|r| r.amount)
            .sum();
        assert_eq!(total, 1400);
    });
}

#[tokio::test]
async fn a_refund_is_claimed_by_one_worker_and_only_the_oldest_of_an_order() {
    on_both_with_rows!(|store, rows| {
        let order = paid_order(store, &rows, "dario").await;
        let older = created(store, order, "r-1", Some(500)).await;
        let newer = created(store, order, "r-2", Some(500)).await;
        let now = 1_000;
        assert_eq!(
            store.claim_refund(newer.id, now, LEASE).await.unwrap(),
            None
        );
        let claimed = store.claim_refund(older.id, now, LEASE).await.unwrap();
        assert_eq!(claimed.map(|r| r.attempts), Some(1));
        assert_eq!(
            store.claim_refund(older.id, now, LEASE).await.unwrap(),
            None
        );
        assert!(
            store
                .lease_due_store_refunds(now + LEASE - 1, 10, LEASE)
                .await
                .unwrap()
                .is_empty()
        );
        // The lease over, one worker of eight claims it again.
        let claims = at_once(store, 8, move |store, _| async move {
            store
                .claim_refund(older.id, now + LEASE, LEASE)
                .await
                .unwrap()
        })
        .await;
        assert_eq!(claims.iter().flatten().count(), 1);

        store
            .retry_refund_later(older.id, now + 1_000, "HTTP 503".into())
            .await
            .unwrap();
        assert!(
            store
                .lease_due_store_refunds(now + 999, 10, LEASE)
                .await
                .unwrap()
                .is_empty()
        );
        let leased = at_once(store, 4, move |store, _| async move {
            store
                .lease_due_store_refunds(now + 1_000, 10, LEASE)
                .await
                .unwrap()
        })
        .await;
        let ids: Vec<i64> = leased.into_iter().flatten().map(|r| r.id).collect();
        assert_eq!(ids, [older.id]);
        let refund = store.refund_of_order(order, "r-1").await.unwrap().unwrap();
        assert_eq!(refund.last_error.as_deref(), Some("HTTP 503"));

        // Settled, it lets the next refund of the order be tried.
        assert!(store.complete_refund(older.id, now).await.unwrap());
        let next = store
            .lease_due_store_refunds(now + 5_000, 10, LEASE)
            .await
            .unwrap();
        assert_eq!(next.iter().map(|r| r.id).collect::<Vec<_>>(), [newer.id]);
    });
}

#[tokio::test]
async fn a_new_refund_is_left_to_its_request_until_it_is_due() {
    on_both_with_rows!(|store, rows| {
        let order = paid_order(store, &rows, "ivo").await;
        let RecordRefund::Created(refund) = store
            .record_refund(ask(order, "r-1", Some(500)), 100, 220)
            .await
            .unwrap()
        else {
            panic!("not created");
        };
        assert!(
            store
                .lease_due_store_refunds(219, 10, LEASE)
                .await
                .unwrap()
                .is_empty()
        );
        let due = store.lease_due_store_refunds(220, 10, LEASE).await.unwrap();
        assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), [refund.id]);
    });
}

#[tokio::test]
async fn a_refund_keeps_the_plan_of_its_first_attempt() {
    on_both_with_rows!(|store, rows| {
        let order = paid_order(store, &rows, "elena").await;
        let refund = created(store, order, "r-1", Some(500)).await;
        let plan = |before| RefundPlan {
            parts: vec![RefundPart {
                transaction_id: "tx-1".into(),
                amount: 500,
                refunded_before: before,
            }],
        };
        assert_eq!(
            store.keep_refund_plan(refund.id, plan(0)).await.unwrap(),
            plan(0)
        );
        assert_eq!(
            store.keep_refund_plan(refund.id, plan(500)).await.unwrap(),
            plan(0)
        );
        let read = store.refund_of_order(order, "r-1").await.unwrap().unwrap();
        assert_eq!(read.plan, Some(plan(0)));
    });
}

#[tokio::test]
async fn completed_refunds_move_the_order_and_queue_one_event_each() {
    on_both_with_rows!(|store, rows| {
        let order = paid_order(store, &rows, "fabio").await;
        let shopper = rows.shopper("fabio").await;
        let part = created(store, order, "r-1", Some(500)).await;
        assert!(store.complete_refund(part.id, 200).await.unwrap());
        assert!(!store.complete_refund(part.id, 200).await.unwrap());
        assert_eq!(
            rows.order_status(shopper, order).await,
            "partially_refunded"
        );
        let done = store.refund_of_order(order, "r-1").await.unwrap().unwrap();
        assert_eq!(done.status, RefundStatus::Refunded);
        assert_eq!(done.completed_at, Some(200));

        let rest = created(store, order, "r-2", None).await;
        assert!(store.complete_refund(rest.id, 300).await.unwrap());
        assert_eq!(rows.order_status(shopper, order).await, "refunded");
        // Voucherly's payment, read back refunded, makes no second `order.refunded`.
        store
            .apply_reading(reading("vp-fabio", LocalStatus::Refunded, "Refunded"))
            .await
            .unwrap();
        assert_eq!(
            rows.events(order).await,
            ["order.paid", "order.partially_refunded", "order.refunded"]
        );
    });
}

#[tokio::test]
async fn a_payment_read_back_refunded_while_the_refund_is_pending_makes_one_order_refunded() {
    on_both_with_rows!(|store, rows| {
        let order = paid_order(store, &rows, "hugo").await;
        let shopper = rows.shopper("hugo").await;
        let refund = created(store, order, "r-1", None).await;
        // Voucherly made it and a callback read it back before the refund was completed.
        store
            .apply_reading(reading("vp-hugo", LocalStatus::Refunded, "Refunded"))
            .await
            .unwrap();
        assert_eq!(rows.order_status(shopper, order).await, "paid");
        assert!(store.complete_refund(refund.id, 200).await.unwrap());
        assert_eq!(rows.order_status(shopper, order).await, "refunded");
        assert_eq!(rows.events(order).await, ["order.paid", "order.refunded"]);
    });
}

#[tokio::test]
async fn a_refund_voucherly_cannot_make_tells_the_store_once_and_frees_its_amount() {
    on_both_with_rows!(|store, rows| {
        let order = paid_order(store, &rows, "gino").await;
        let refund = created(store, order, "r-1", None).await;
        assert!(
            store
                .refund_needs_person(refund.id, "ImpossibleRefund".into(), 200)
                .await
                .unwrap()
        );
        assert!(
            !store
                .refund_needs_person(refund.id, "ImpossibleRefund".into(), 200)
                .await
                .unwrap()
        );
        assert!(!store.complete_refund(refund.id, 200).await.unwrap());
        let read = store.refund_of_order(order, "r-1").await.unwrap().unwrap();
        assert_eq!(read.status, RefundStatus::ManualRefundNeeded);
        assert_eq!(read.last_error.as_deref(), Some("ImpossibleRefund"));
        assert_eq!(
            rows.events(order).await,
            ["order.paid", "order.manual_refund_needed"]
        );
        assert_eq!(created(store, order, "r-2", None).await.amount, 1500);
    });
}
