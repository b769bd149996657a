//! `GET /api/v1/orders/{id}` from memory: a warm read makes no trip to the database, and
//! whatever changes the order (the store cancelling it or refunding it, the shopper paying it)
//! reads back changed on the very next request. On the suite's engine (SQLite, or PostgreSQL
//! with `TEST_ENGINE=postgres`).

use super::{StoreApi, json_of, order_body, with_generated_key};
use crate::helpers::test_db::TestDb;
use crate::metrics::{sample, scrape, with_token};

const HIT: &str = r#"voucherly_account_cache_lookups_total{cache="store_orders",result="hit"}"#;
const MISS: &str = r#"voucherly_account_cache_lookups_total{cache="store_orders",result="miss"}"#;

/// The status the API shows of `store_order_id`, read `times` times (the last one returned).
async fn status_read(api: &StoreApi, store_order_id: &str, times: usize) -> String {
    let mut status = String::new();
    for _ in 0..times {
        let order = json_of(api.get_order(store_order_id).await).await;
        status = order["status"].as_str().expect("a status").to_owned();
    }
    status
}

/// Marks the order cancelled in the database where the app cannot hear it: a connection of
/// the test's own on SQLite (the app watches its own connections), the trigger switched off on
/// PostgreSQL.
fn cancel_unheard(api: &StoreApi, store_order_id: &str) {
    let db = api.app.db();
    let cancel = "UPDATE orders SET status = 'cancelled' WHERE store_order_id = ?1";
    if let TestDb::Postgres(_) = db {
        db.execute("ALTER TABLE orders DISABLE TRIGGER pages_orders", &[]);
        db.execute(cancel, args![store_order_id]);
        db.execute("ALTER TABLE orders ENABLE TRIGGER pages_orders", &[]);
    } else {
        db.execute(cancel, args![store_order_id]);
    }
}

#[tokio::test]
async fn a_warm_order_is_read_from_memory_without_reading_the_database() {
    let api = with_generated_key(with_token().await);
    let created = api.post_order(&order_body("A-1", "user-42")).await;
    assert_eq!(created.status().as_u16(), 201);
    let before = scrape(&api.app).await;
    assert_eq!(status_read(&api, "A-1", 3).await, "awaiting_payment");

    cancel_unheard(&api, "A-1");

    assert_eq!(
        status_read(&api, "A-1", 1).await,
        "awaiting_payment",
        "the warm order was read from the database again"
    );
    let after = scrape(&api.app).await;
    assert!(sample(&after, HIT) >= sample(&before, HIT) + 1.0, "{after}");
    assert!(
        sample(&after, MISS) >= sample(&before, MISS) + 1.0,
        "{after}"
    );
}

#[tokio::test]
async fn an_order_the_store_cancels_reads_back_cancelled_at_once() {
    let api = super::spawn_store_api().await;
    api.post_order(&order_body("A-1", "user-42")).await;
    assert_eq!(status_read(&api, "A-1", 3).await, "awaiting_payment");

    assert_eq!(api.cancel("A-1", None).await.status().as_u16(), 200);

    assert_eq!(status_read(&api, "A-1", 1).await, "cancelled");
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn an_order_paid_at_the_sandbox_then_refunded_reads_back_changed_at_once() {
    use serde_json::json;

    let api = super::spawn_store_api().await;
    assert_eq!(status_read(&api, "demo-1001", 3).await, "awaiting_payment");

    api.app.sign_in_as("demo-mario").await;
    crate::receipts::pay_and_approve(&api.app).await;
    assert_eq!(status_read(&api, "demo-1001", 1).await, "paid");
    assert_eq!(status_read(&api, "demo-1001", 2).await, "paid");

    let refund = json!({"refund_id": "R-1", "amount": 500});
    let refunded = super::refunding::post_refund(&api, "demo-1001", &refund).await;
    assert_eq!(refunded.status().as_u16(), 201);

    let order = json_of(api.get_order("demo-1001").await).await;
    assert_eq!(order["status"], "partially_refunded");
    assert_eq!(
        order["refunds"].as_array().map(Vec::len),
        Some(1),
        "{order}"
    );
}
