//! `voucherly-account copy-to-postgres`: a store on SQLite moves to PostgreSQL with its
//! shoppers, customer ids, orders, payments and pending work, the counts checked on both sides,
//! and a target that holds anything is refused.

use std::process::Command;

use secrecy::SecretString;
use voucherly_account::settings::DatabaseLocation;

use crate::helpers::test_db::TestDb;
use crate::helpers::{fresh_postgres_database, spawn_on_postgres_with, spawn_on_sqlite_with};

/// Runs the copy command; its exit status and what it printed (out, err).
fn copy(from: &std::path::Path, to: &str) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_voucherly-account"))
        .args(["copy-to-postgres", "--from"])
        .arg(from)
        .args(["--to", to])
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const COUNTED: &[&str] = &[
    "shoppers",
    "voucherly_customers",
    "orders",
    "order_lines",
    "payments",
    "callback_inbox",
    "outbox_events",
    "sessions",
    "app_settings",
];

fn counts(db: &TestDb) -> Vec<i64> {
    COUNTED
        .iter()
        .map(|table| db.value(&format!("SELECT count(*) FROM {table}"), &[]))
        .collect()
}

#[tokio::test]
async fn a_store_moves_to_postgres_with_everything_and_goes_on_there() {
    // A store on SQLite, running, with a customer, a paid order and work still pending.
    let sqlite = spawn_on_sqlite_with(|_| {}).await;
    sqlite.sign_in_as("demo-mario").await;
    sqlite.link_customer("demo-mario", "sandbox", "cus_mario");
    let order = sqlite.insert_order("demo-mario", "A-1", 1290);
    let reference = sqlite.insert_payment(order, Some("pay_1"), "paid", 1_700_000_000);
    sqlite.db().execute(
        "INSERT INTO callback_inbox (voucherly_payment_id, received_at, next_try_at)
         VALUES ('pay_1', 1, 1)",
        &[],
    );
    sqlite.db().execute(
        "INSERT INTO outbox_events (event_id, order_id, type, payload, created_at,
             next_attempt_at) VALUES ('ev-1', ?1, 'order.paid', '{}', 1, 1)",
        args![order],
    );
    let target = fresh_postgres_database().await;

    let (copied, out, err) = copy(&sqlite.db_path, &target);
    assert!(copied, "{out}{err}");
    assert!(out.contains("payments"), "{out}");
    let postgres = TestDb::Postgres(target.clone());
    assert_eq!(counts(&postgres), counts(&sqlite.db()));
    assert_eq!(
        postgres.value::<String>(
            "SELECT customer_id FROM voucherly_customers WHERE environment = 'sandbox'",
            &[]
        ),
        "cus_mario"
    );

    // The same store, now on PostgreSQL: Mario's payment is there, and new rows get new ids.
    let moved = spawn_on_postgres_with(move |settings| {
        settings.database = DatabaseLocation::Postgres(SecretString::from(target));
    })
    .await;
    assert_eq!(moved.payment_row(&reference).status, "paid");
    let next = moved.insert_order("demo-mario", "A-2", 990);
    assert!(next > order, "the ids go on after the copied ones");
    moved.sign_in_as("demo-mario").await;
    assert_eq!(moved.get("/account").await.status(), 200);
}

#[tokio::test]
async fn a_database_that_holds_anything_is_refused_and_left_as_it_was() {
    let sqlite = spawn_on_sqlite_with(|_| {}).await;
    // An instance already started on the target: it holds its settings and the demo shoppers.
    let target = fresh_postgres_database().await;
    let url = target.clone();
    let running = spawn_on_postgres_with(move |settings| {
        settings.database = DatabaseLocation::Postgres(SecretString::from(url));
    })
    .await;
    let before = counts(&running.db());

    let (copied, _, err) = copy(&sqlite.db_path, &target);
    assert!(!copied);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(counts(&running.db()), before);

    let (copied, _, err) = copy(&sqlite.db_path.with_file_name("missing.db"), &target);
    assert!(!copied);
    assert!(err.contains("no SQLite database"), "{err}");
}
