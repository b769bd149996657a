//! The accounting list of payments on both engines: filters, pages after a position that
//! neither lose nor repeat a row, and the amounts a reading kept.

use voucherly_account::domain::LocalStatus;
use voucherly_account::domain::ledger::{LedgerEntry, PaymentFilter};
use voucherly_account::domain::payment::{Breakdown, Reading};
use voucherly_account::storage::{LedgerStore, PaymentStore};

use super::payments::{Rows, on_both_with_rows, reading, requested};

fn all() -> PaymentFilter {
    PaymentFilter {
        limit: 100,
        ..PaymentFilter::default()
    }
}

fn orders(entries: &[LedgerEntry]) -> Vec<&str> {
    entries
        .iter()
        .map(|entry| entry.store_order_id.as_str())
        .collect()
}

/// The order `store_order_id` of 15 € of the shopper `who`, paid with the form `key` through
/// Voucherly's payment `pay_id`.
async fn paid<S: PaymentStore>(
    store: &S,
    rows: &Rows<'_>,
    (who, key): (&str, u32),
    store_order_id: &str,
    pay_id: &str,
) {
    let shopper = rows.shopper(who).await;
    let order = rows.order(shopper, store_order_id, 1500).await;
    requested(store, shopper, order, key, pay_id).await;
    store
        .apply_reading(reading(pay_id, LocalStatus::Paid, "Confirmed"))
        .await
        .unwrap();
}

#[tokio::test]
async fn payments_are_listed_oldest_first_by_status_shopper_time_and_environment() {
    on_both_with_rows!(|store, rows| {
        paid(store, &rows, ("anna", 1), "A-1", "vp-1").await;
        paid(store, &rows, ("bob", 1), "B-1", "vp-2").await;
        let anna = rows.shopper("anna").await;
        let open = rows.order(anna, "A-2", 900).await;
        requested(store, anna, open, 2, "vp-3").await;

        let listed = store.list_payments(all()).await.unwrap();
        assert_eq!(orders(&listed), ["A-1", "B-1", "A-2"]);
        assert_eq!(listed[0].store_user_id, "anna");
        assert_eq!(listed[0].voucherly_payment_id.as_deref(), Some("vp-1"));
        assert_eq!(listed[0].status, LocalStatus::Paid);
        assert_eq!(listed[2].status, LocalStatus::Requested);

        let by = |filter: PaymentFilter| async move {
            let entries = store.list_payments(filter).await.unwrap();
            entries
                .into_iter()
                .map(|entry| entry.store_order_id)
                .collect::<Vec<_>>()
        };
        let paid_only = PaymentFilter {
            status: Some(LocalStatus::Paid),
            ..all()
        };
        assert_eq!(by(paid_only).await, ["A-1", "B-1"]);
        let annas = PaymentFilter {
            store_user_id: Some("anna".into()),
            ..all()
        };
        assert_eq!(by(annas).await, ["A-1", "A-2"]);
        let now = listed[0].created_at;
        let today = PaymentFilter {
            from: Some(now - 60),
            to: Some(now + 60),
            ..all()
        };
        assert_eq!(by(today).await.len(), 3);
        let later = PaymentFilter {
            from: Some(now + 60),
            ..all()
        };
        assert!(by(later).await.is_empty());
        let before = PaymentFilter {
            to: Some(now - 60),
            ..all()
        };
        assert!(by(before).await.is_empty());
        let live = PaymentFilter {
            environment: Some("live".into()),
            ..all()
        };
        assert!(by(live).await.is_empty());
        let sandbox = PaymentFilter {
            environment: Some("sandbox".into()),
            ..all()
        };
        assert_eq!(by(sandbox).await.len(), 3);
    });
}

#[tokio::test]
async fn a_page_after_a_position_neither_loses_nor_repeats_a_row_inserted_meanwhile() {
    on_both_with_rows!(|store, rows| {
        for (n, order) in (1..).zip(["P-1", "P-2", "P-3"]) {
            paid(store, &rows, ("anna", n), order, &format!("vp-{n}")).await;
        }
        let first = store
            .list_payments(PaymentFilter { limit: 2, ..all() })
            .await
            .unwrap();
        assert_eq!(orders(&first), ["P-1", "P-2"]);

        paid(store, &rows, ("anna", 9), "P-4", "vp-9").await;

        let rest = store
            .list_payments(PaymentFilter {
                after: first.last().map(LedgerEntry::position),
                ..all()
            })
            .await
            .unwrap();
        assert_eq!(orders(&rest), ["P-3", "P-4"]);
    });
}

#[tokio::test]
async fn a_reading_keeps_voucherlys_amounts_by_method_and_a_silent_one_keeps_them_too() {
    on_both_with_rows!(|store, rows| {
        let anna = rows.shopper("anna").await;
        let order = rows.order(anna, "A-1", 1500).await;
        requested(store, anna, order, 1, "vp-1").await;
        let told = Breakdown {
            final_amount: Some(1500),
            paid_digital: Some(700),
            paid_fringe: Some(0),
            paid_cash: None,
            confirmed: Some(1500),
            refunded: Some(0),
            paid_at: Some(1_796_288_280),
            confirmed_at: None,
        };
        store
            .apply_reading(Reading {
                paid_amount: Some(1500),
                paid_voucher_amount: Some(800),
                breakdown: told,
                ..reading("vp-1", LocalStatus::Paid, "Confirmed")
            })
            .await
            .unwrap();
        // A later reading that says nothing of the money changes none of it.
        store
            .apply_reading(reading("vp-1", LocalStatus::Paid, "Confirmed"))
            .await
            .unwrap();

        let entry = store.list_payments(all()).await.unwrap().remove(0);
        assert_eq!(entry.paid_amount, Some(1500));
        assert_eq!(entry.paid_voucher_amount, Some(800));
        let kept = &entry.breakdown;
        assert_eq!(kept.final_amount, None, "the order's amount is ours");
        assert_eq!(kept.paid_digital, Some(700));
        assert_eq!(kept.paid_fringe, Some(0));
        assert_eq!(kept.paid_cash, None);
        assert_eq!(kept.confirmed, Some(1500));
        assert_eq!(kept.refunded, Some(0));
        assert_eq!(kept.paid_at, Some(1_796_288_280), "Voucherly's time");
        // Voucherly gave no capture time: when we learnt it was captured.
        assert!(kept.confirmed_at.is_some_and(|at| at >= entry.created_at));

        // Refunded later: the refunded total follows, the times stay.
        store
            .apply_reading(Reading {
                breakdown: Breakdown {
                    refunded: Some(1500),
                    ..Breakdown::default()
                },
                ..reading("vp-1", LocalStatus::Refunded, "Refunded")
            })
            .await
            .unwrap();
        let entry = store.list_payments(all()).await.unwrap().remove(0);
        assert_eq!(entry.breakdown.refunded, Some(1500));
        assert_eq!(entry.breakdown.confirmed, Some(1500));
        assert_eq!(entry.breakdown.paid_at, Some(1_796_288_280));
    });
}
