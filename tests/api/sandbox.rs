//! The embedded Voucherly sandbox, over real HTTP: its API (key check, payments, customers'
//! methods), its hosted checkout (approve, decline, cancel, new cards, callbacks, redirects) and
//! its storage across a restart. Each test starts the sandbox's own scope on a loopback port with
//! a fresh SQLite file, so these tests do not depend on the rest of the app.
//!
//! `api` covers the key check, the gateways and customers' methods, `payments` the payments
//! API, `checkout` the hosted checkout, and `persistence_and_mounting` a restart and the sandbox
//! as the app mounts it.

mod api;
mod checkout;
mod customers;
mod payments;
mod persistence_and_mounting;

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::{API_KEY, Dialect, Sandbox, Timings, demo};
use voucherly_account::storage::Database;
use wiremock::MockServer;

pub(crate) const VISA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01";
pub(crate) const EXPIRED_MASTERCARD: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a02";
pub(crate) const SEPA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a04";
pub(crate) const APPROVE_VISA: [(&str, &str); 2] = [("action", "approve"), ("method", VISA)];

pub(crate) struct SandboxApp {
    pub(crate) address: String,
    /// A browser: keeps cookies, does not follow redirects.
    pub(crate) client: reqwest::Client,
    db_path: PathBuf,
    server: ServerHandle,
    _dir: tempfile::TempDir,
}

pub(crate) async fn spawn_sandbox() -> SandboxApp {
    spawn_sandbox_with(quick()).await
}

/// The sandbox's clock with callback retries 50 ms apart, so tests of retries stay fast.
pub(crate) fn quick() -> Timings {
    Timings {
        callback_retry_wait: std::time::Duration::from_millis(50),
        ..Timings::default()
    }
}

pub(crate) async fn spawn_sandbox_with(timings: Timings) -> SandboxApp {
    spawn_configured(|sandbox| sandbox.with_timings(timings)).await
}

/// The sandbox answering in `dialect`, strict or not.
pub(crate) async fn spawn_sandbox_as(dialect: Dialect, strict: bool) -> SandboxApp {
    spawn_configured(|sandbox| {
        sandbox
            .with_timings(quick())
            .with_dialect(dialect)
            .strict(strict)
    })
    .await
}

async fn spawn_configured(configure: impl FnOnce(Sandbox) -> Sandbox) -> SandboxApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db_path = dir.path().join("sandbox.db");
    let (address, server) = serve_sandbox(&db_path, configure).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    SandboxApp {
        address,
        client,
        db_path,
        server,
        _dir: dir,
    }
}

/// Opens the database at `db_path`, seeds it and serves the sandbox's scope, as the app does.
pub(crate) async fn serve(db_path: &Path) -> (String, ServerHandle) {
    serve_with(db_path, quick()).await
}

pub(crate) async fn serve_with(db_path: &Path, timings: Timings) -> (String, ServerHandle) {
    serve_sandbox(db_path, |sandbox| sandbox.with_timings(timings)).await
}

async fn serve_sandbox(
    db_path: &Path,
    configure: impl FnOnce(Sandbox) -> Sandbox,
) -> (String, ServerHandle) {
    let sandbox =
        configure(Sandbox::new(Database::open(db_path).expect("the database")).expect("a sandbox"));
    sandbox.seed().await.expect("the seed");
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("an address").port();
    let server = HttpServer::new(move || App::new().service(sandbox.scope()))
        .workers(1)
        .listen(listener)
        .expect("listening")
        .run();
    let handle = server.handle();
    tokio::spawn(server);
    (format!("http://127.0.0.1:{port}"), handle)
}

impl SandboxApp {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/sandbox{path}", self.address)
    }

    /// Calls the API with the embedded key, answering the status and the JSON body (or null).
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        call(&self.client, method, &self.url(&format!("/v1{path}")), body).await
    }

    pub(crate) async fn api_get(&self, path: &str) -> Value {
        let (status, body) = self.call(Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "GET {path}");
        body
    }

    pub(crate) async fn methods_of(&self, customer_id: &str) -> Value {
        self.api_get(&format!("/customers/{customer_id}/payment_methods"))
            .await
    }

    pub(crate) async fn create_payment(&self, body: Value) -> Value {
        let (status, payment) = self.call(Method::POST, "/payments", Some(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "{payment}");
        payment
    }

    /// Creates a payment and answers its id.
    pub(crate) async fn new_payment(&self, body: Value) -> String {
        let payment = self.create_payment(body).await;
        payment["id"].as_str().expect("an id").to_owned()
    }

    pub(crate) async fn payment(&self, id: &str) -> Value {
        let path = format!("/payments/{id}?include=Lines&include=Transactions");
        self.api_get(&path).await
    }

    pub(crate) async fn checkout_page(&self, id: &str) -> String {
        let url = self.url(&format!("/checkout/{id}"));
        let response = self.client.get(url).send().await.expect("the page");
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.expect("HTML")
    }

    /// Opens the checkout page and posts its form with `fields` added to the page's token.
    pub(crate) async fn pay(&self, id: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = token_in(&self.checkout_page(id).await);
        self.submit(id, &token, fields).await
    }

    pub(crate) async fn submit(
        &self,
        id: &str,
        token: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form = vec![("token", token)];
        form.extend_from_slice(fields);
        let request = self.client.post(self.url(&format!("/checkout/{id}")));
        request.form(&form).send().await.expect("the checkout form")
    }
}

pub(crate) async fn call(
    client: &reqwest::Client,
    method: Method,
    url: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut request = client
        .request(method, url)
        .header("Voucherly-API-Key", API_KEY);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status();
    let text = response.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) async fn html(response: reqwest::Response) -> String {
    response.text().await.expect("HTML")
}

pub(crate) fn token_in(html: &str) -> String {
    let marker = r#"name="token" value=""#;
    let start = html.find(marker).expect("a token field") + marker.len();
    let end = start + html[start..].find('"').expect("the end of the token");
    html[start..end].to_owned()
}

/// A payment for Mario of two pizzas (2 × 7,90 €) and a drink (3,00 €) less 1,00 €.
pub(crate) fn marios_payment(callback: Option<&MockServer>, method_id: Option<&str>) -> Value {
    let mut body = json!({
        "mode": "Payment",
        "referenceId": "order-1234",
        "customerId": demo::MARIO_CUSTOMER_ID,
        "language": "it",
        "redirectOkUrl": "http://127.0.0.1:9/return/ok?order=1234",
        "redirectKoUrl": "http://127.0.0.1:9/return/ko",
        "lines": [
            {"quantity": 2, "unitAmount": 790,
             "product": {"name": "Pizza margherita", "lineType": "Food"}},
            {"quantity": 1, "unitAmount": 300,
             "product": {"name": "Acqua frizzante", "lineType": "Food"}}
        ],
        "discounts": [{"discountName": "Benvenuto", "amount": 100}]
    });
    if let Some(server) = callback {
        body["callbackUrl"] = json!(format!("{}/callback", server.uri()));
    }
    if let Some(id) = method_id {
        body["customerPaymentMethodId"] = json!(id);
    }
    body
}
