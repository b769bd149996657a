//! Readiness, backlogs and housekeeping.

use voucherly_account::storage::{HealthStore, OutboxStore};

use super::raw_setup::{Payment, Raw};

const NOW: i64 = 1_000_000;

#[tokio::test]
async fn a_fresh_database_is_ready_and_its_housekeeping_finishes() {
    on_both!(|store| {
        store.check_ready().await.unwrap();
        store.check_ready().await.unwrap();
        assert!(store.housekeep().await.unwrap());
    });
}

#[tokio::test]
async fn a_database_with_a_migration_this_program_does_not_know_is_not_ready() {
    on_both_with_raw!(|store, raw| {
        raw.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_from_the_future', 1)",
            &[],
        )
        .await;
        let error = store.check_ready().await.unwrap_err();
        assert!(
            format!("{error:#}").contains("9999_from_the_future"),
            "{error:#}"
        );
    });
}

#[tokio::test]
async fn a_database_that_lost_a_migration_is_not_ready() {
    on_both_with_raw!(|store, raw| {
        raw.execute(
            "DELETE FROM schema_migrations WHERE name = (SELECT MAX(name) FROM schema_migrations)",
            &[],
        )
        .await;
        let error = store.check_ready().await.unwrap_err();
        assert!(format!("{error:#}").contains("lacks"), "{error:#}");
    });
}

/// A payment of `order` in `status`, rechecked at `next_check_at`.
async fn payment(raw: &Raw, shopper_id: i64, order_id: i64, status: &str, next_check_at: i64) {
    raw.payment(Payment {
        shopper_id,
        order_id,
        reference: &format!("{status}-{order_id}-{next_check_at}"),
        environment: "sandbox",
        status,
        method_id: None,
        checkout_url: None,
        next_check_at,
        is_duplicate: false,
        created_at: NOW,
    })
    .await;
}

#[tokio::test]
async fn backlogs_count_the_work_still_waiting() {
    on_both_with_raw!(|store, raw| {
        let empty = store.backlogs(NOW).await.unwrap();
        assert_eq!(
            (
                empty.callback_inbox,
                empty.unsettled_payments,
                empty.payments_due,
                empty.outbox
            ),
            (0, 0, 0, 0)
        );
        let shopper = raw.shopper("ada").await;
        let mut orders = Vec::new();
        for n in 0..5 {
            orders.push(raw.order(shopper, &format!("order-{n}"), n).await);
        }
        payment(raw, shopper, orders[0], "creating", NOW - 1).await;
        payment(raw, shopper, orders[1], "requested", NOW).await;
        payment(raw, shopper, orders[2], "authorised", NOW + 1).await;
        payment(raw, shopper, orders[3], "paid", NOW - 1).await;
        payment(raw, shopper, orders[4], "failed", NOW - 1).await;
        for (id, done_at) in [("vp-1", "NULL"), ("vp-2", "NULL"), ("vp-3", "5")] {
            raw.execute(
                &format!(
                    "INSERT INTO callback_inbox (voucherly_payment_id, received_at, next_try_at,
                         done_at)
                     VALUES ($1, 1, 1, {done_at})"
                ),
                &[id.into()],
            )
            .await;
        }
        raw.event(orders[0], "e1", NOW).await;
        raw.event(orders[0], "e2", NOW).await;
        raw.event(orders[1], "e3", NOW).await;
        store.mark_event_delivered("e3".into(), NOW).await.unwrap();

        let backlogs = store.backlogs(NOW).await.unwrap();
        assert_eq!(backlogs.callback_inbox, 2);
        assert_eq!(backlogs.unsettled_payments, 3);
        assert_eq!(backlogs.payments_due, 2, "due at or before now");
        assert_eq!(backlogs.outbox, 2);
    });
}
