//! Database faults an operator will meet: another writer holding the lock, the files made
//! read-only under the running app, and a file the app cannot open at start-up. Shoppers get a
//! page with a reference, the log gets the cause with that reference, readiness says so.

// Some of these tests need the embedded sandbox or the demo: without the `demo` feature,
// what only they use goes unused.
#![cfg_attr(not(feature = "demo"), allow(unused_imports, dead_code))]

use std::path::{Path, PathBuf};
use std::process::Command;

use voucherly_account::startup::Application;

use crate::helpers::{TestApp, logged, spawn_on_sqlite_with, spawn_with};

/// An app whose queries wait at most 200 ms for another writer.
/// An app on an SQLite file (a file another connection can lock) that waits 200 ms for a lock.
async fn impatient_app() -> TestApp {
    spawn_on_sqlite_with(|settings| settings.database_busy_timeout_ms = 200).await
}

/// A connection of the test's own to the app's SQLite file, to hold its lock.
fn locker(app: &TestApp) -> rusqlite::Connection {
    rusqlite::Connection::open(&app.db_path).expect("the database")
}

/// The reference an error page shows.
fn reference_in(html: &str) -> String {
    let marker = r#"<code class="reference">"#;
    let start = html.find(marker).expect("a reference on the page") + marker.len();
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

/// Checks an answer is the "busy, retry shortly" page, and its reference is in the log.
async fn assert_unavailable_page(response: reqwest::Response) {
    assert_eq!(response.status(), 503);
    let retry_after: u32 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0);
    let html = response.text().await.unwrap();
    assert!(html.contains("Il servizio è occupato"), "{html}");
    let reference = reference_in(&html);
    let lines = logged(&reference);
    assert_eq!(lines.len(), 1, "logged once with its reference: {lines:?}");
    assert!(lines[0].contains("ERROR"), "{}", lines[0]);
}

async fn readiness(app: &TestApp) -> (u16, serde_json::Value) {
    let response = app.get("/health/ready").await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_locked_database_gets_a_503_page_then_recovers() {
    let app = impatient_app().await;
    let token = app.csrf_token("/").await;
    assert_eq!(readiness(&app).await.0, 200);

    let locker = locker(&app);
    locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    // A handler's write (the sign-in counts the attempt) waits, then gives up.
    let sign_in = app
        .post_form(
            "/demo/sign-in",
            &[("csrf_token", &token), ("store_user_id", "demo-mario")],
        )
        .await;
    assert_unavailable_page(sign_in).await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_ne!(body["checks"]["database"], "ok", "{body}");
    locker.execute_batch("COMMIT").unwrap();

    assert_eq!(readiness(&app).await.0, 200);
    assert_eq!(app.sign_in_as("demo-mario").await.status(), 303);
}

#[tokio::test]
async fn a_session_write_that_cannot_happen_gets_the_error_page_too() {
    let app = impatient_app().await;
    app.sign_in_as("demo-mario").await;
    let token = app.csrf_token("/account").await;
    let locker = locker(&app);
    locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    // The handler succeeds; the session layer then cannot store the new language.
    let response = app
        .post_form(
            "/language",
            &[("csrf_token", &token), ("lang", "en"), ("next", "/account")],
        )
        .await;
    assert_unavailable_page(response).await;
    // Reading still works while another writer holds the lock.
    assert_eq!(app.get("/account").await.status(), 200);
    locker.execute_batch("COMMIT").unwrap();
}

#[tokio::test]
async fn a_session_that_cannot_be_read_gets_the_error_page_not_a_sign_out() {
    let app = spawn_with(|_| {}).await;
    app.sign_in_as("demo-mario").await;
    // A fault no operator would cause on purpose, but one the session layer must survive. An
    // instance just started has nothing in memory: it reads the session from storage.
    let restarted = app.restart_with(|_| {}).await;
    app.db()
        .execute("ALTER TABLE sessions RENAME TO sessions_away", &[]);
    let response = app
        .client
        .get(format!("{restarted}/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    let html = response.text().await.unwrap();
    assert!(html.contains("errore imprevisto"), "{html}");
    let reference = reference_in(&html);
    let lines = logged(&reference);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("no such table") || lines[0].contains("does not exist"),
        "the cause is logged: {}",
        lines[0]
    );

    app.db()
        .execute("ALTER TABLE sessions_away RENAME TO sessions", &[]);
    let again = app
        .client
        .get(format!("{restarted}/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200, "still signed in");
}

/// Makes files immutable (read-only even for root) for as long as it lives.
struct ReadOnly(Vec<PathBuf>);

impl ReadOnly {
    fn files(paths: Vec<PathBuf>) -> Self {
        for path in &paths {
            chattr("+i", path);
        }
        Self(paths)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        for path in &self.0 {
            chattr("-i", path);
        }
    }
}

fn chattr(flag: &str, path: &Path) {
    let status = Command::new("chattr")
        .arg(flag)
        .arg(path)
        .status()
        .expect("chattr (apt-get install e2fsprogs); the test must run as root on ext4");
    assert!(
        status.success(),
        "chattr {flag} {} failed: run the tests as root on ext4",
        path.display()
    );
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn read_only_files_get_a_503_page_and_readiness_says_so() {
    let app = impatient_app().await;
    let token = app.csrf_token("/").await;
    let files = vec![app.db_path.clone(), with_suffix(&app.db_path, "-wal")];
    let read_only = ReadOnly::files(files);

    let sign_in = app
        .post_form(
            "/demo/sign-in",
            &[("csrf_token", &token), ("store_user_id", "demo-mario")],
        )
        .await;
    assert_unavailable_page(sign_in).await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_ne!(body["checks"]["database"], "ok", "{body}");

    drop(read_only);
    assert_eq!(readiness(&app).await.0, 200);
    assert_eq!(app.sign_in_as("demo-mario").await.status(), 303);
}

async fn start_error(database: PathBuf) -> String {
    let settings = crate::helpers::settings_refused_at_start(database);
    match Application::build(settings).await {
        Ok(_) => panic!("the app started"),
        Err(error) => format!("{error:#}"),
    }
}

#[tokio::test]
async fn a_start_up_that_cannot_open_the_database_names_the_file_and_the_reason() {
    let dir = tempfile::tempdir().unwrap();

    let missing = dir.path().join("no-such-folder").join("app.db");
    let error = start_error(missing.clone()).await;
    assert!(error.contains(&missing.display().to_string()), "{error}");
    assert!(error.contains("does not exist"), "{error}");

    let garbage = dir.path().join("garbage.db");
    std::fs::write(
        &garbage,
        "this is not a database, it is a shopping list ".repeat(100),
    )
    .unwrap();
    let error = start_error(garbage.clone()).await;
    assert!(error.contains(&garbage.display().to_string()), "{error}");
    assert!(error.contains("not an SQLite database"), "{error}");

    let newer = dir.path().join("newer.db");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let error = start_error(newer.clone()).await;
    assert!(error.contains(&newer.display().to_string()), "{error}");
    assert!(error.contains("newer"), "{error}");

    let read_only = dir.path().join("read-only.db");
    rusqlite::Connection::open(&read_only).unwrap();
    let _guard = ReadOnly::files(vec![read_only.clone()]);
    let error = start_error(read_only.clone()).await;
    assert!(error.contains(&read_only.display().to_string()), "{error}");
    assert!(error.contains("read-only"), "{error}");
}
