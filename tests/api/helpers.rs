//! Starting the application for a test, and the requests tests make of it.

use std::path::PathBuf;
use std::sync::LazyLock;

use reqwest::header::LOCATION;
use secrecy::SecretString;
use voucherly_account::settings::Settings;
use voucherly_account::startup::Application;
use wiremock::MockServer;

/// Logs go to stdout when `TEST_LOG` is set, and nowhere otherwise.
static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        voucherly_account::telemetry::init("debug", std::io::stdout);
    } else {
        voucherly_account::telemetry::init("error", std::io::sink);
    }
});

pub struct TestApp {
    pub address: String,
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    _dir: tempfile::TempDir,
}

/// The application on its embedded sandbox, as `cargo run` starts it.
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

pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    LazyLock::force(&TRACING);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db_path = dir.path().join("test.db");
    let mut settings = Settings::for_tests(db_path.clone());
    configure(&mut settings);
    let app = Application::build(settings).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: browser(),
        db_path,
        _dir: dir,
    }
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

    /// Signs in a demo shopper (`demo-mario`, `demo-luca`, `demo-giulia`) through the demo page.
    pub async fn sign_in_as(&self, store_user_id: &str) -> reqwest::Response {
        let token = self.csrf_token("/").await;
        self.post_form(
            "/demo/sign-in",
            &[("csrf_token", &token), ("store_user_id", store_user_id)],
        )
        .await
    }

    /// Gives a shopper a Voucherly customer id, as a first payment would have.
    pub fn link_customer(&self, store_user_id: &str, environment: &str, customer_id: &str) {
        let conn = rusqlite::Connection::open(&self.db_path).expect("the database");
        let changed = conn
            .execute(
                "INSERT INTO voucherly_customers (shopper_id, environment, customer_id, updated_at)
                 SELECT id, ?2, ?3, 0 FROM shoppers WHERE store_user_id = ?1",
                [store_user_id, environment, customer_id],
            )
            .expect("an insert");
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
