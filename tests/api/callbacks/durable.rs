//! A callback is kept even while the database refuses it: in the spool file beside the database,
//! replayed into the inbox once the database is back, each callback applied once.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{eventually, reads_back, voucherly_payment};
use crate::helpers::{TestApp, spawn_on_sqlite_with};

/// How long another writer holds the database in the long-lock test. Ten minutes in the field
/// changes nothing but how many rounds the replay fails: with a 100 ms busy timeout, 3 s already
/// means each callback waited out the lock thirty times over and the worker failed to replay
/// about three times.
const LOCKED_FOR: Duration = Duration::from_secs(3);

/// The app on `voucherly`, giving up on a held database lock after 100 ms.
pub async fn spawn_on(voucherly: &MockServer) -> TestApp {
    let base_url = voucherly.uri();
    spawn_on_sqlite_with(move |settings| {
        settings.voucherly_api_key = Some(SecretString::from("sk_test_key"));
        settings.voucherly_base_url = Some(base_url);
        settings.voucherly_timeout = 2;
        settings.demo = Some(true);
        settings.database_busy_timeout_ms = 100;
    })
    .await
}

/// Another process's write transaction on the database, held until dropped.
pub struct WriteLock {
    release: Option<mpsc::Sender<()>>,
    holder: Option<std::thread::JoinHandle<()>>,
}

impl WriteLock {
    pub fn take(database: &Path) -> Self {
        let (taken, is_taken) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let database = database.to_owned();
        let holder = std::thread::spawn(move || {
            let conn = rusqlite::Connection::open(database).unwrap();
            conn.execute_batch(
                "BEGIN IMMEDIATE; INSERT INTO app_settings (name, value) VALUES ('lock', 'held')
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value;",
            )
            .unwrap();
            taken.send(()).unwrap();
            let _ = released.recv();
            conn.execute_batch("ROLLBACK").unwrap();
        });
        is_taken.recv().expect("the lock is taken");
        Self {
            release: Some(release),
            holder: Some(holder),
        }
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        drop(self.release.take());
        if let Some(holder) = self.holder.take() {
            let _ = holder.join();
        }
    }
}

pub fn spool_path(database: &Path) -> PathBuf {
    PathBuf::from(format!("{}-callbacks.spool", database.display()))
}

/// The callbacks kept in the spool: in its file, and in the copy a replay has taken and not
/// finished (none when both are absent).
pub fn spooled(database: &Path) -> Vec<Value> {
    let spool = spool_path(database);
    let replaying = PathBuf::from(format!("{}.replaying", spool.display()));
    [replaying, spool]
        .iter()
        .flat_map(|path| {
            std::fs::read_to_string(path)
                .unwrap_or_default()
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect::<Vec<Value>>()
        })
        .collect()
}

pub fn inbox_rows(app: &TestApp) -> i64 {
    app.db().value("SELECT COUNT(*) FROM callback_inbox", &[])
}

async fn post(app: &TestApp, body: &Value) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/payments/callback"))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn callbacks_arriving_while_the_database_is_locked_are_all_applied_once_after() {
    let voucherly = MockServer::start().await;
    let app = spawn_on(&voucherly).await;
    let mut orders = Vec::new();
    for n in 1..=3 {
        let order = app.insert_order("demo-mario", &format!("A-{n}"), 1290);
        let id = format!("pay_{n}");
        let reference = app.insert_payment(order, Some(&id), "requested", 1_000);
        // Read back once each, though pay_1 is called back twice; a read whose write then met
        // the database busy (its timeout is 100 ms here, and a loaded machine may exceed it
        // behind another worker's write) is read again, and applies nothing new.
        Mock::given(method("GET"))
            .and(path(format!("/v1/payments/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(voucherly_payment(
                &id,
                &reference,
                "Confirmed",
            )))
            .expect(1..=2)
            .mount(&voucherly)
            .await;
        orders.push((order, reference));
    }

    let lock = WriteLock::take(&app.db_path);
    let locked_at = Instant::now();
    for id in ["pay_1", "pay_2", "pay_3", "pay_1"] {
        let body = json!({"id": id, "mode": "Payment"});
        assert_eq!(post(&app, &body).await, (200, json!({"ok": true})), "{id}");
    }
    assert_eq!(
        spooled(&app.db_path).len(),
        4,
        "each kept before the answer"
    );
    while locked_at.elapsed() < LOCKED_FOR {
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            inbox_rows(&app),
            0,
            "nothing is written while the lock is held"
        );
    }
    for (order, _) in &orders {
        assert_eq!(app.order_status(*order), "awaiting_payment");
    }
    drop(lock);

    for (order, reference) in &orders {
        eventually(|| app.order_status(*order) == "paid").await;
        assert_eq!(app.payment_row(reference).status, "paid");
    }
    eventually(|| !spool_path(&app.db_path).exists()).await;
    assert_eq!(
        inbox_rows(&app),
        3,
        "pay_1's two callbacks are one inbox row"
    );
}

#[tokio::test]
async fn a_callback_neither_the_database_nor_the_spool_can_keep_is_answered_503_with_retry_after() {
    let voucherly = MockServer::start().await;
    let app = spawn_on(&voucherly).await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    app.insert_payment(order, Some("pay_1"), "requested", 1_000);
    // Something that cannot be appended to stands where the spool goes.
    std::fs::create_dir(spool_path(&app.db_path)).unwrap();

    let _lock = WriteLock::take(&app.db_path);
    let response = app
        .client
        .post(app.url("/payments/callback"))
        .json(&json!({"id": "pay_1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        503,
        "{:?}",
        response.text().await
    );
    assert_eq!(response.headers()["retry-after"], "5");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["ok"], false, "{body}");
}

#[tokio::test]
async fn a_spool_replayed_again_after_a_crash_before_its_deletion_applies_nothing_twice() {
    let voucherly = MockServer::start().await;
    let app = spawn_on(&voucherly).await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    let reference = app.insert_payment(order, Some("pay_1"), "requested", 1_000);
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;

    let lock = WriteLock::take(&app.db_path);
    assert_eq!(
        post(&app, &json!({"id": "pay_1"})).await,
        (200, json!({"ok": true}))
    );
    let spool = std::fs::read(spool_path(&app.db_path)).unwrap();
    drop(lock);
    eventually(|| app.order_status(order) == "paid").await;
    eventually(|| !spool_path(&app.db_path).exists()).await;

    // As if the app had stopped between the replay's commit and the file's deletion.
    let replaying = format!("{}.replaying", spool_path(&app.db_path).display());
    std::fs::write(&replaying, spool).unwrap();
    eventually(|| !Path::new(&replaying).exists()).await;
    // Another callback handled means the worker's round after that replay is over too.
    let other = app.insert_order("demo-mario", "A-2", 1290);
    let other = app.insert_payment(other, Some("pay_2"), "requested", 1_000);
    reads_back("pay_2", voucherly_payment("pay_2", &other, "Confirmed"), 1)
        .mount(&voucherly)
        .await;
    app.post_callback(&json!({"id": "pay_2"})).await;
    assert_eq!(app.payment_row(&other).status, "paid");

    let reads = voucherly.received_requests().await.unwrap();
    let reads_of_pay_1 = reads
        .iter()
        .filter(|request| request.url.path() == "/v1/payments/pay_1")
        .count();
    assert_eq!(reads_of_pay_1, 1, "the entry was replayed once");
    assert_eq!(app.payment_row(&reference).status, "paid");
}
