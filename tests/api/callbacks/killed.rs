//! The spool outlives the process: the real binary, killed with SIGKILL after a callback went to
//! the spool and before it could be replayed, applies the payment once when started again.

use serde_json::json;
use wiremock::MockServer;

use super::durable::{WriteLock, spool_path, spooled};
use super::{eventually, reads_back, voucherly_payment};
use crate::helpers::running::Running;

/// The binary on the SQLite file `database`, waiting little for the file's write lock.
fn start(database: &std::path::Path, voucherly: &MockServer) -> Running {
    Running::start(database, voucherly, |command| {
        command.env("VOUCHERLY_ACCOUNT_DATABASE_BUSY_TIMEOUT_MS", "100");
    })
}

#[tokio::test]
async fn a_spooled_callback_survives_kill_9_and_is_applied_once_after_the_restart() {
    let voucherly = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("killed.db");
    let first = start(&database, &voucherly);
    let db = rusqlite::Connection::open(&database).unwrap();
    let order: i64 = db
        .query_row(
            "INSERT INTO orders (shopper_id, store_order_id, total_amount, discount_amount,
                 final_amount, request_digest, created_at, updated_at)
             SELECT id, 'A-1', 1290, 0, 1290, 'test', 0, 0 FROM shoppers
             WHERE store_user_id = 'demo-mario' RETURNING id",
            [],
            |row| row.get(0),
        )
        .unwrap();
    db.execute(
        "INSERT INTO payments (reference, shopper_id, order_id, idempotency_key, environment,
             amount, voucherly_payment_id, status, created_at, updated_at)
         SELECT 'ref-1', shopper_id, id, 'ref-1', 'sandbox', 1290, 'pay_1', 'requested', 0, 0
         FROM orders WHERE id = ?1",
        [order],
    )
    .unwrap();
    reads_back("pay_1", voucherly_payment("pay_1", "ref-1", "Confirmed"), 1)
        .mount(&voucherly)
        .await;
    let order_status = || -> String {
        db.query_row("SELECT status FROM orders WHERE id = ?1", [order], |row| {
            row.get(0)
        })
        .unwrap()
    };

    let lock = WriteLock::take(&database);
    let answer = reqwest::Client::new()
        .post(format!("{}/payments/callback", first.address))
        .json(&json!({"id": "pay_1", "referenceId": "ref-1", "mode": "Payment"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(spooled(&database).len(), 1);
    first.kill_9();
    drop(lock);
    assert_eq!(order_status(), "awaiting_payment");
    let count_inbox: i64 = db
        .query_row("SELECT COUNT(*) FROM callback_inbox", [], |row| row.get(0))
        .unwrap();
    assert_eq!(
        count_inbox, 0,
        "the first process never wrote it to the inbox"
    );

    let _second = start(&database, &voucherly);
    eventually(|| order_status() == "paid").await;
    eventually(|| !spool_path(&database).exists()).await;
}
