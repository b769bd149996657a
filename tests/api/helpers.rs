//! Starting the application for a test, and the requests tests make of it. Without the `demo`
//! feature there is no embedded sandbox (`spawn_app`) and some helpers go unused.
#![cfg_attr(not(feature = "demo"), allow(dead_code))]

#[cfg(not(feature = "demo"))]
mod like_demo;
pub mod running;
#[macro_use]
pub mod test_db;

use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex};

use reqwest::header::LOCATION;
use secrecy::SecretString;
use voucherly_account::app::notifications::Notifications;
use voucherly_account::app::payments::{Dependencies, Payments, Spool};
use voucherly_account::domain::{ShiftedClock, SystemClock};
use voucherly_account::settings::{DatabaseLocation, Settings};
use voucherly_account::startup::Application;
use voucherly_account::storage::Storage;
use wiremock::MockServer;

use test_db::TestDb;

/// Logs are kept in memory, for tests that check what an operator would read (see `logged`):
/// errors only, or everything, also on stdout, when `TEST_LOG` is set.
static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        voucherly_account::telemetry::init("debug", || KeptLog { echo: true });
    } else {
        voucherly_account::telemetry::init("error", || KeptLog { echo: false });
    }
});

static KEPT_LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct KeptLog {
    echo: bool,
}

impl std::io::Write for KeptLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.echo {
            std::io::stdout().write_all(buf)?;
        }
        KEPT_LOG
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Starts keeping logs, for a test that checks them without starting the app.
pub fn keep_logs() {
    LazyLock::force(&TRACING);
}

/// The lines logged so far (by every test of this run) that contain `needle`.
pub fn logged(needle: &str) -> Vec<String> {
    let log = KEPT_LOG.lock().unwrap_or_else(|e| e.into_inner());
    String::from_utf8_lossy(&log)
        .lines()
        .filter(|line| line.contains(needle))
        .map(str::to_owned)
        .collect()
}

pub struct TestApp {
    pub address: String,
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub client: reqwest::Client,
    /// The SQLite file, on SQLite; on PostgreSQL, where the embedded sandbox keeps its state.
    pub db_path: PathBuf,
    /// The app's database, on whichever engine the suite runs on.
    pub database: TestDb,
    /// The separate metrics address, when `--metrics-bind` is set.
    pub metrics_address: Option<String>,
    /// The clock the app's sessions end by (shared with `another_instance`s).
    pub session_clock: ShiftedClock,
    _dir: tempfile::TempDir,
    /// The Voucherly standing in for the embedded sandbox, in a build without it.
    #[cfg(not(feature = "demo"))]
    _voucherly: Option<MockServer>,
}

/// The application on its embedded sandbox, as `cargo run` starts it. Without the `demo`
/// feature: with the demo's shoppers and orders, on a wiremock Voucherly that knows nothing
/// (see `like_demo`), for tests that never reach Voucherly.
pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

/// The application talking to `voucherly` (a wiremock server) with an API key, demo sign-in on.
pub async fn spawn_app_with_voucherly(voucherly: &MockServer) -> TestApp {
    let base_url = voucherly.uri();
    spawn_with(move |settings| {
        settings.voucherly_api_key = Some(SecretString::from("sk_test_key"));
        settings.voucherly_base_url = Some(base_url);
        settings.voucherly_timeout = 2;
        settings.demo = Some(true);
    })
    .await
}

/// Settings for a test of a start-up refusal: without the `demo` feature they get a Voucherly
/// key (for a Voucherly never reached), so that the refusal tested is the one that comes first.
pub fn settings_refused_at_start(database: PathBuf) -> Settings {
    #[allow(unused_mut)]
    let mut settings = Settings::for_tests(database);
    #[cfg(not(feature = "demo"))]
    {
        settings.voucherly_api_key = Some(SecretString::from("sk_test_key"));
        settings.voucherly_base_url = Some("http://127.0.0.1:9/".into());
    }
    settings
}

/// The application with `configure`d settings. Without the `demo` feature, settings asking for
/// the demo or the sandbox get stand-ins (see `like_demo`).
pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_on(Engine::of_suite(), configure).await
}

/// Like [`spawn_with`], always on an SQLite file: for what only SQLite has (a file to lock or
/// make read-only, a file to copy).
pub async fn spawn_on_sqlite_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_on(Engine::Sqlite, configure).await
}

/// Like [`spawn_with`], always on a fresh PostgreSQL database: for what only a shared database
/// allows (several instances).
pub async fn spawn_on_postgres_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_on(Engine::Postgres, configure).await
}

/// The engine the integration suite runs on: SQLite, or PostgreSQL with `TEST_ENGINE=postgres`
/// (`scripts/test` runs the suite both ways).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_suite() -> Self {
        match std::env::var("TEST_ENGINE").as_deref() {
            Ok("postgres") => Engine::Postgres,
            _ => Engine::Sqlite,
        }
    }
}

async fn spawn_on(engine: Engine, configure: impl FnOnce(&mut Settings)) -> TestApp {
    LazyLock::force(&TRACING);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db_path = dir.path().join("test.db");
    let mut settings = Settings::for_tests(db_path.clone());
    if engine == Engine::Postgres {
        let url = fresh_postgres_database().await;
        settings.database = DatabaseLocation::Postgres(SecretString::from(url));
        settings.sandbox_database = db_path.clone();
        settings.callback_spool = Some(dir.path().join("test.db-callbacks.spool"));
    }
    configure(&mut settings);
    let session_clock = settings.session_clock.clone();
    let database = test_db_of(&settings.database);
    #[cfg(not(feature = "demo"))]
    let (like_demo, voucherly) = like_demo::stand_in(&mut settings).await;
    let app = Application::build(settings).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    tokio::spawn(app.run_until_stopped());
    let app = TestApp {
        address,
        metrics_address,
        session_clock,
        client: browser(),
        db_path,
        database,
        _dir: dir,
        #[cfg(not(feature = "demo"))]
        _voucherly: voucherly,
    };
    #[cfg(not(feature = "demo"))]
    if like_demo {
        like_demo::seed(&app).await;
    }
    app
}

fn test_db_of(location: &DatabaseLocation) -> TestDb {
    match location {
        DatabaseLocation::Sqlite(path) => TestDb::Sqlite(path.clone()),
        DatabaseLocation::Postgres(url) => {
            TestDb::Postgres(secrecy::ExposeSecret::expose_secret(url).to_owned())
        }
    }
}

/// The URL of a new, empty database on the test server, `TEST_DATABASE_URL`.
pub async fn fresh_postgres_database() -> String {
    let server = std::env::var("TEST_DATABASE_URL").expect(
        "TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts a \
         throwaway PostgreSQL, or point it at a server where databases may be created",
    );
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let (client, connection) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
        .await
        .expect("the test PostgreSQL server");
    tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("a new test database");
    let mut url = reqwest::Url::parse(&server).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// A fresh client, as a second browser would be.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_html(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("a body")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// The CSRF token of the page at `path`, as a browser's form would carry it.
    pub async fn csrf_token(&self, path: &str) -> String {
        csrf_token_in(&self.get_html(path).await)
    }

    /// Signs in a demo shopper (`demo-mario`, `demo-luca`, `demo-giulia`) through the demo page
    /// or, without the `demo` feature, through a hand-over link.
    pub async fn sign_in_as(&self, store_user_id: &str) -> reqwest::Response {
        self.sign_in_on(&self.client, store_user_id).await
    }

    /// Like [`TestApp::sign_in_as`], in another browser.
    pub async fn sign_in_on(
        &self,
        client: &reqwest::Client,
        store_user_id: &str,
    ) -> reqwest::Response {
        #[cfg(not(feature = "demo"))]
        return like_demo::sign_in(self, client, store_user_id).await;
        #[cfg(feature = "demo")]
        {
            let start = client.get(self.url("/")).send().await.expect("GET");
            let token = csrf_token_in(&start.text().await.expect("a body"));
            client
                .post(self.url("/demo/sign-in"))
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("store_user_id", store_user_id),
                ])
                .send()
                .await
                .expect("POST")
        }
    }

    /// Chooses `lang` with the language form of the page at `page`, which goes back to `next`.
    pub async fn choose_language(&self, page: &str, lang: &str, next: &str) -> reqwest::Response {
        let token = self.csrf_token(page).await;
        self.post_form(
            "/language",
            &[("csrf_token", &token), ("lang", lang), ("next", next)],
        )
        .await
    }

    /// `GET /sandbox/v1{path}` on this app's embedded sandbox, with a sandbox key: the JSON.
    pub async fn sandbox_json(&self, path: &str) -> serde_json::Value {
        self.client
            .get(self.url(&format!("/sandbox/v1{path}")))
            .header("Voucherly-API-Key", "sk_sand_x")
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("a JSON answer")
    }

    /// Gives a shopper a Voucherly customer id, as a first payment would have.
    pub fn link_customer(&self, store_user_id: &str, environment: &str, customer_id: &str) {
        let changed = self.db().execute(
            "INSERT INTO voucherly_customers (shopper_id, environment, customer_id, updated_at)
             SELECT id, ?2, ?3, 0 FROM shoppers WHERE store_user_id = ?1",
            args![store_user_id, environment, customer_id],
        );
        assert_eq!(changed, 1, "no shopper {store_user_id}");
    }
}

pub fn csrf_token_in(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    let end = start + html[start..].find('"').expect("the end of the token");
    html[start..end].to_owned()
}

pub fn location(response: &reqwest::Response) -> &str {
    response
        .headers()
        .get(LOCATION)
        .expect("a Location header")
        .to_str()
        .expect("a readable Location")
}

/// A payment row as a test reads it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub status: String,
    pub voucherly_payment_id: Option<String>,
    pub voucherly_status: Option<String>,
    pub next_check_at: Option<i64>,
    pub check_interval: Option<i64>,
}

/// Orders and payments written straight into the database, for tests of what happens after a
/// payment was created.
impl TestApp {
    /// The app's database, for a statement of the test's own.
    pub fn db(&self) -> TestDb {
        self.database.clone()
    }

    /// The embedded sandbox's own SQLite file (the app's file, on SQLite).
    pub fn sandbox_db(&self) -> TestDb {
        TestDb::Sqlite(self.db_path.clone())
    }

    /// The app's storage interface, on its engine.
    pub async fn storage(&self) -> Arc<dyn Storage> {
        match &self.database {
            TestDb::Sqlite(path) => {
                Arc::new(voucherly_account::storage::Database::open(path).expect("the database"))
            }
            TestDb::Postgres(url) => Arc::new(
                voucherly_account::storage::postgres::Postgres::open(url, 4)
                    .await
                    .expect("the database"),
            ),
        }
    }

    /// An order of `amount` cents awaiting payment by the shopper; returns its id.
    pub fn insert_order(&self, store_user_id: &str, store_order_id: &str, amount: i64) -> i64 {
        self.db().value(
            "INSERT INTO orders (shopper_id, store_order_id, total_amount, discount_amount,
                 final_amount, request_digest, created_at, updated_at)
             SELECT id, ?2, ?3, 0, ?3, 'test', 0, 0 FROM shoppers WHERE store_user_id = ?1
             RETURNING id",
            args![store_user_id, store_order_id, amount],
        )
    }

    /// A payment of the order, as the pay route would have left it; returns its reference.
    pub fn insert_payment(
        &self,
        order_id: i64,
        voucherly_payment_id: Option<&str>,
        status: &str,
        created_at: i64,
    ) -> String {
        let reference = uuid::Uuid::new_v4().to_string();
        let inserted = self.db().execute(
            "INSERT INTO payments (reference, shopper_id, order_id, idempotency_key,
                 environment, amount, voucherly_payment_id, status, next_check_at,
                 check_interval, created_at, updated_at)
             SELECT ?1, shopper_id, id, ?1, 'sandbox', final_amount, ?2, ?3, ?4 + 60, 60,
                 ?4, ?4
             FROM orders WHERE id = ?5",
            args![
                reference.as_str(),
                voucherly_payment_id,
                status,
                created_at,
                order_id
            ],
        );
        assert_eq!(inserted, 1, "no order {order_id}");
        reference
    }

    pub fn payment_row(&self, reference: &str) -> PaymentRow {
        let row = self
            .db()
            .rows(
                "SELECT status, voucherly_payment_id, voucherly_status, next_check_at,
                     check_interval FROM payments WHERE reference = ?1",
                args![reference],
            )
            .pop()
            .expect("the payment");
        let [
            status,
            voucherly_payment_id,
            voucherly_status,
            next_check_at,
            check_interval,
        ] = <[test_db::Val; 5]>::try_from(row).expect("five columns");
        use test_db::FromVal;
        PaymentRow {
            status: FromVal::from_val(status),
            voucherly_payment_id: FromVal::from_val(voucherly_payment_id),
            voucherly_status: FromVal::from_val(voucherly_status),
            next_check_at: FromVal::from_val(next_check_at),
            check_interval: FromVal::from_val(check_interval),
        }
    }

    pub fn order_status(&self, order_id: i64) -> String {
        self.db()
            .value("SELECT status FROM orders WHERE id = ?1", args![order_id])
    }

    /// The payment service on this app's database talking to `voucherly`, for driving the
    /// reconciler and the capture work without waiting for them.
    pub async fn payments_with(&self, voucherly: &MockServer) -> Payments {
        let timeout = std::time::Duration::from_secs(2);
        let storage = self.storage().await;
        let mut spool = self.db_path.as_os_str().to_owned();
        spool.push("-callbacks.spool");
        Payments::new(Dependencies {
            store: storage.clone(),
            inbox: storage.clone(),
            shoppers: storage.clone(),
            orders: storage,
            voucherly: voucherly_account::voucherly::VoucherlyClient::new(
                &voucherly.uri(),
                SecretString::from("sk_test_key"),
                timeout,
                timeout,
            )
            .expect("a client"),
            clock: Arc::new(SystemClock),
            config: Default::default(),
            environment: "sandbox",
            public_url: self.address.clone(),
            spool: Arc::new(Spool::at(std::path::Path::new(&spool))),
        })
    }

    /// Posts a callback and, when the app kept it, waits until its worker has read the
    /// payment back (applied it, or recorded why not), so the test can look at the outcome.
    pub async fn post_callback(&self, body: &serde_json::Value) -> reqwest::Response {
        let response = self
            .client
            .post(self.url("/payments/callback"))
            .json(body)
            .send()
            .await
            .expect("POST");
        if let Some(id) = body["id"].as_str() {
            self.wait_for_callback(id.trim()).await;
        }
        response
    }

    /// Waits (at most 10 s) until the callback inbox has tried `voucherly_payment_id` since it
    /// was last received; returns at once for an id it does not hold.
    pub async fn wait_for_callback(&self, voucherly_payment_id: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let tried: Option<bool> = self.db().optional(
                "SELECT done_at IS NOT NULL OR last_error IS NOT NULL FROM callback_inbox
                 WHERE voucherly_payment_id = ?1",
                args![voucherly_payment_id],
            );
            match tried {
                None | Some(true) => return,
                Some(false) => {}
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the callback for {voucherly_payment_id} was never handled"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

/// Hand-overs through the store API, and the session rows behind the cookies.
impl TestApp {
    /// The store API key demo mode generated and kept in the database (without the `demo`
    /// feature: the one the tests configure).
    pub fn store_api_key(&self) -> String {
        #[cfg(not(feature = "demo"))]
        return like_demo::STORE_API_KEY.to_owned();
        #[cfg(feature = "demo")]
        self.db().value(
            "SELECT value FROM app_settings WHERE name = 'store_api_key'",
            &[],
        )
    }

    /// `POST /api/v1/handovers` with the generated key, as the store's server would call it.
    pub async fn post_handover(&self, body: &serde_json::Value) -> reqwest::Response {
        browser()
            .post(self.url("/api/v1/handovers"))
            .bearer_auth(self.store_api_key())
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    /// A hand-over body for a store shopper, returning to the store's `/shop/my-account`.
    pub fn handover_body(&self, store_user_id: &str) -> serde_json::Value {
        serde_json::json!({
            "store_user_id": store_user_id,
            "email": format!("{store_user_id}@shop.example"),
            "first_name": "Anna",
            "last_name": "Neri",
            "return_url": self.store_url("/shop/my-account"),
        })
    }

    /// A page of the store: on this app's own origin (a store origin in demo mode), or on the
    /// store origin the tests configure without the `demo` feature.
    pub fn store_url(&self, path: &str) -> String {
        #[cfg(not(feature = "demo"))]
        return format!("{}{path}", like_demo::STORE_ORIGIN);
        #[cfg(feature = "demo")]
        self.url(path)
    }

    /// Makes a hand-over and returns the path of its link (`/handover/{token}`).
    pub async fn handover_path(&self, body: &serde_json::Value) -> String {
        let response = self.post_handover(body).await;
        assert_eq!(response.status().as_u16(), 201, "a hand-over is created");
        let answer: serde_json::Value = response.json().await.expect("a JSON answer");
        let url = answer["url"].as_str().expect("a URL");
        url.strip_prefix(&self.address)
            .expect("a link to this app")
            .to_owned()
    }

    /// Lets `seconds` pass for the app's sessions (on every instance of its database).
    pub fn time_passes(&self, seconds: i64) {
        self.session_clock.shift(seconds);
    }

    /// Lets every session go unused past the default idle timeout (30 minutes).
    pub fn expire_sessions(&self) {
        self.time_passes(31 * 60);
    }

    /// Pretends every hand-over expired a minute ago.
    pub fn expire_handovers(&self) {
        let a_minute_ago = voucherly_account::storage::now() - 60;
        self.db()
            .execute("UPDATE handovers SET expires_at = ?1", args![a_minute_ago]);
    }

    /// Every stored hand-over row, each column as text (empty for none).
    pub fn handover_rows(&self) -> Vec<Vec<String>> {
        self.db()
            .rows(
                "SELECT token_hash, shopper_id, return_url, order_id, expires_at, used_at,
                     created_at FROM handovers",
                &[],
            )
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|value| match value {
                        test_db::Val::Null => String::new(),
                        other => other.text(),
                    })
                    .collect()
            })
            .collect()
    }
}

/// The value of the session cookie a response sets, if it sets one.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("va_session="))
        .map(str::to_owned)
}

/// Store notifications: driving the delivery worker, and the app started again on the same file.
impl TestApp {
    /// The delivery of store notifications on this app's database, to the store's webhook at
    /// `url` signed with `secret` (none: events are dropped), for driving it one run at a time.
    pub async fn notifications(&self, webhook: Option<(&str, &str)>) -> Notifications {
        Notifications::new(
            self.storage().await,
            voucherly_account::app::notifications::client().expect("a client"),
            webhook.map(|(url, secret)| voucherly_account::app::store::Webhook {
                url: url.to_owned(),
                secret: SecretString::from(secret),
            }),
            std::sync::Arc::new(voucherly_account::domain::SystemClock),
        )
    }

    /// Test settings on this app's database (and sandbox file and spool), for another
    /// instance or a restart.
    pub fn settings_for_another(&self) -> Settings {
        let mut settings = Settings::for_tests(self.db_path.clone());
        settings.session_clock = self.session_clock.clone();
        if let TestDb::Postgres(url) = &self.database {
            settings.database = DatabaseLocation::Postgres(SecretString::from(url.clone()));
            settings.sandbox_database = self.db_path.clone();
            settings.callback_spool = Some(self.db_path.with_file_name("test.db-callbacks.spool"));
        }
        settings
    }

    /// A second application on this app's database, as after a restart; returns its address.
    pub async fn restart_with(&self, configure: impl FnOnce(&mut Settings)) -> String {
        let mut settings = self.settings_for_another();
        configure(&mut settings);
        // The stand-in Voucherly of a restart goes away with it: only for settings with a key.
        #[cfg(not(feature = "demo"))]
        like_demo::stand_in(&mut settings).await;
        let app = Application::build(settings)
            .await
            .expect("the app builds again");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        address
    }
}
