//! The spool outlives the process: the real binary, killed with SIGKILL after a callback went to
//! the spool and before it could be replayed, applies the payment once when started again.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;
use wiremock::MockServer;

use super::durable::{WriteLock, spool_path, spooled};
use super::{eventually, reads_back, voucherly_payment};

/// The binary on `database`, talking to `voucherly`; killed (SIGKILL) when dropped.
struct Running {
    child: Child,
    address: String,
}

impl Running {
    fn start(database: &Path, voucherly: &MockServer) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_voucherly-account"))
            .args(["--bind", "127.0.0.1:0", "--database"])
            .arg(database)
            .env("RUST_LOG", "info")
            .env("VOUCHERLY_API_KEY", "sk_test_key")
            .env("VOUCHERLY_BASE_URL", voucherly.uri())
            .env("VOUCHERLY_ACCOUNT_DEMO", "true")
            .env("VOUCHERLY_ACCOUNT_DATABASE_BUSY_TIMEOUT_MS", "100")
            // Only the callback worker reads payments back in this test.
            .env("VOUCHERLY_ACCOUNT_RECONCILE_EVERY", "3600")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("its output");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let address = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(20))
                .expect("the binary says where it listens");
            if let Some((_, rest)) = line.split_once("is ready: open ") {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_owned();
            }
        };
        Self { child, address }
    }

    /// SIGKILL: no shutdown code runs.
    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_spooled_callback_survives_kill_9_and_is_applied_once_after_the_restart() {
    let voucherly = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("killed.db");
    let first = Running::start(&database, &voucherly);
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

    let _second = Running::start(&database, &voucherly);
    eventually(|| order_status() == "paid").await;
    eventually(|| !spool_path(&database).exists()).await;
}
