//! Beginning a payment: recorded before Voucherly is called, once per form, at most one open
//! per order, however many requests arrive at once.

use voucherly_account::domain::LocalStatus;
use voucherly_account::domain::payment::Begun;
use voucherly_account::storage::PaymentStore;

use super::{at_once, created, new_payment};

#[tokio::test]
async fn a_form_sent_twice_makes_one_record_found_by_its_key_and_reference() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let Begun::New(first) = store
            .begin_payment(new_payment(anna, order, 7, 1500), 600)
            .await
            .unwrap()
        else {
            panic!("no new payment");
        };
        assert_eq!(first.status, LocalStatus::Creating);
        assert_eq!((first.shopper_id, first.order_id), (anna, order));
        assert_eq!(first.amount, 1500);
        assert_eq!(first.currency, "EUR");
        assert_eq!(first.environment, "sandbox");
        assert_eq!(first.method_id.as_deref(), Some("card-1"));
        assert_eq!(first.voucherly_payment_id, None);

        let again = store
            .begin_payment(new_payment(anna, order, 7, 1500), 600)
            .await
            .unwrap();
        assert_eq!(again, Begun::Existing(first.clone()));
        let key = format!("{:032x}", 7);
        assert_eq!(
            store.payment_by_idempotency_key(anna, &key).await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(
            store.payment_by_idempotency_key(anna, "0").await.unwrap(),
            None
        );
        assert_eq!(
            store.payment_by_reference(&first.reference).await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(store.payment_by_reference("nope").await.unwrap(), None);

        let summary = store
            .payment_summary(&first.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(summary.id, first.id);
        assert_eq!(summary.shopper_id, anna);
        assert_eq!(summary.store_order_id, "o-1");
        assert_eq!(summary.amount, 1500);
        assert_eq!(summary.status, LocalStatus::Creating);
        assert!(store.payment_summary("nope").await.unwrap().is_none());
    });
}

#[tokio::test]
async fn another_form_finds_the_open_payment_until_it_failed() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let Begun::New(first) = store
            .begin_payment(new_payment(anna, order, 1, 1500), 600)
            .await
            .unwrap()
        else {
            panic!("no new payment");
        };
        let busy = store
            .begin_payment(new_payment(anna, order, 2, 1500), 600)
            .await
            .unwrap();
        assert_eq!(busy, Begun::Busy(first.clone()));
        // Still open at the checkout: still busy.
        store
            .record_created(&first.reference, created("vp-1"))
            .await
            .unwrap();
        let Begun::Busy(open) = store
            .begin_payment(new_payment(anna, order, 2, 1500), 600)
            .await
            .unwrap()
        else {
            panic!("not busy");
        };
        assert_eq!(open.id, first.id);
        assert_eq!(open.status, LocalStatus::Requested);

        store.mark_outcome_unknown("vp-1").await.unwrap();
        let Begun::New(second) = store
            .begin_payment(new_payment(anna, order, 2, 1500), 600)
            .await
            .unwrap()
        else {
            panic!("no new payment once the first is no longer open");
        };
        assert_ne!(second.id, first.id);
        assert_ne!(second.reference, first.reference);
    });
}

#[tokio::test]
async fn a_record_stuck_creating_past_the_timeout_no_longer_blocks_the_order() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let Begun::New(first) = store
            .begin_payment(new_payment(anna, order, 1, 1500), 600)
            .await
            .unwrap()
        else {
            panic!("no new payment");
        };
        // Within the timeout it is open; past it (0 s) it is failed and a new one begins.
        assert!(matches!(
            store
                .begin_payment(new_payment(anna, order, 2, 1500), 600)
                .await
                .unwrap(),
            Begun::Busy(_)
        ));
        let Begun::New(_) = store
            .begin_payment(new_payment(anna, order, 2, 1500), 0)
            .await
            .unwrap()
        else {
            panic!("the stuck record still blocks the order");
        };
        let stuck = store
            .payment_by_reference(&first.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stuck.status, LocalStatus::CreateFailed);
    });
}

#[tokio::test]
async fn a_failed_create_frees_the_order_but_never_undoes_a_callback() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let Begun::New(first) = store
            .begin_payment(new_payment(anna, order, 1, 1500), 600)
            .await
            .unwrap()
        else {
            panic!("no new payment");
        };
        store
            .record_create_failed(&first.reference, "timed out")
            .await
            .unwrap();
        let failed = store
            .payment_by_reference(&first.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(failed.status, LocalStatus::CreateFailed);
        // Created after all, late: its id is kept, but it is not reopened.
        store
            .record_created(&first.reference, created("vp-late"))
            .await
            .unwrap();
        let late = store
            .payment_by_reference(&first.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(late.status, LocalStatus::CreateFailed);
        assert_eq!(late.voucherly_payment_id.as_deref(), Some("vp-late"));
        assert!(
            store
                .record_created("no-such-reference", created("vp-x"))
                .await
                .is_err()
        );
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_sends_of_one_form_at_once_make_one_record() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let begun = at_once(store, 20, move |store, _| async move {
            store
                .begin_payment(new_payment(anna, order, 7, 1500), 600)
                .await
                .unwrap()
        })
        .await;
        let new: Vec<_> = begun
            .iter()
            .filter_map(|b| match b {
                Begun::New(record) => Some(record.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(new.len(), 1, "{begun:?}");
        for b in &begun {
            match b {
                Begun::New(record) | Begun::Existing(record) => assert_eq!(record.id, new[0].id),
                Begun::Busy(_) | Begun::NotPayable => {
                    panic!("the same form found busy: {begun:?}")
                }
            }
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_forms_for_one_order_at_once_leave_one_payment_open() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "o-1", 1500).await;
        let begun = at_once(store, 20, move |store, i| async move {
            store
                .begin_payment(new_payment(anna, order, 100 + i as u32, 1500), 600)
                .await
                .unwrap()
        })
        .await;
        let new: Vec<_> = begun
            .iter()
            .filter_map(|b| match b {
                Begun::New(record) => Some(record.id),
                _ => None,
            })
            .collect();
        assert_eq!(new.len(), 1, "{begun:?}");
        for b in &begun {
            match b {
                Begun::New(record) | Begun::Busy(record) => assert_eq!(record.id, new[0]),
                Begun::Existing(_) | Begun::NotPayable => {
                    panic!("another form found as its own: {begun:?}")
                }
            }
        }
    });
}
