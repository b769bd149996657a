//! The embedded Voucherly sandbox, over real HTTP: its API (key check, payments, customers'
//! methods), its hosted checkout (approve, decline, cancel, new cards, callbacks, redirects) and
//! its storage across a restart. Each test starts the sandbox's own scope on a loopback port with
//! a fresh SQLite file, so these tests do not depend on the rest of the app.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use voucherly_account::sandbox::{API_KEY, Sandbox, demo};
use voucherly_account::storage::Database;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VISA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01";
const EXPIRED_MASTERCARD: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a02";
const SEPA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a04";

struct SandboxApp {
    address: String,
    /// A browser: keeps cookies, does not follow redirects.
    client: reqwest::Client,
    db_path: PathBuf,
    server: ServerHandle,
    _dir: tempfile::TempDir,
}

async fn spawn_sandbox() -> SandboxApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db_path = dir.path().join("sandbox.db");
    let (address, server) = serve(&db_path).await;
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
async fn serve(db_path: &Path) -> (String, ServerHandle) {
    let sandbox = Sandbox::new(Database::open(db_path).expect("the database")).expect("a sandbox");
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
    fn url(&self, path: &str) -> String {
        format!("{}/sandbox{path}", self.address)
    }

    fn api(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let url = self.url(&format!("/v1{path}"));
        self.client
            .request(method, url)
            .header("Voucherly-API-Key", API_KEY)
    }

    async fn api_get(&self, path: &str) -> Value {
        let response = self
            .api(reqwest::Method::GET, path)
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("JSON")
    }

    async fn try_create(&self, body: &Value) -> reqwest::Response {
        let request = self.api(reqwest::Method::POST, "/payments").json(body);
        request.send().await.expect("POST v1/payments")
    }

    async fn create_payment(&self, body: Value) -> Value {
        let response = self.try_create(&body).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("a Payment")
    }

    async fn payment(&self, id: &str) -> Value {
        self.api_get(&format!(
            "/payments/{id}?include=Lines&include=Transactions"
        ))
        .await
    }

    async fn checkout_page(&self, id: &str) -> String {
        let response = self
            .client
            .get(self.url(&format!("/checkout/{id}")))
            .send()
            .await;
        let response = response.expect("the checkout page");
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.expect("HTML")
    }

    /// Opens the checkout page and posts its form with `fields` added to the page's token.
    async fn pay(&self, id: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = token_in(&self.checkout_page(id).await);
        self.submit(id, &token, fields).await
    }

    async fn submit(&self, id: &str, token: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form = vec![("token", token)];
        form.extend_from_slice(fields);
        let url = self.url(&format!("/checkout/{id}"));
        self.client
            .post(url)
            .form(&form)
            .send()
            .await
            .expect("the checkout form")
    }
}

fn token_in(html: &str) -> String {
    let marker = r#"name="token" value=""#;
    let start = html.find(marker).expect("a token field") + marker.len();
    let end = start + html[start..].find('"').expect("the end of the token");
    html[start..end].to_owned()
}

fn location(response: &reqwest::Response) -> String {
    let header = response.headers().get(LOCATION).expect("a Location header");
    header.to_str().expect("a readable Location").to_owned()
}

/// A payment for Mario of two pizzas (2 × 7,90 €) and a drink (3,00 €) less 1,00 €.
fn marios_payment(callback: Option<&MockServer>, method_id: Option<&str>) -> Value {
    let mut body = json!({
        "mode": "Payment",
        "referenceId": "order-1234",
        "customerId": demo::MARIO_CUSTOMER_ID,
        "language": "it",
        "redirectOkUrl": "https://shop.test/return/ok?order=1234",
        "redirectKoUrl": "https://shop.test/return/ko",
        "lines": [
            {"quantity": 2, "unitAmount": 790, "productName": "Pizza margherita", "isFood": true},
            {"quantity": 1, "unitAmount": 300, "productName": "Acqua frizzante", "isFood": true}
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

/// Waits (briefly) for the background callback post to arrive.
async fn wait_for_callbacks(server: &MockServer, count: usize) {
    for _ in 0..50 {
        let received = server.received_requests().await.unwrap_or_default();
        if received.len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Creates Mario's payment with a callback server of its own, expecting `times` callbacks.
async fn marios_payment_with_callback(app: &SandboxApp, times: u64) -> (String, MockServer) {
    // The server must exist before the payment names it, and its mock names the payment.
    let server = MockServer::start().await;
    let payment = app
        .create_payment(marios_payment(Some(&server), Some(VISA)))
        .await;
    let id = payment["id"].as_str().expect("an id").to_owned();
    Mock::given(method("POST"))
        .and(path("/callback"))
        .and(body_json(json!({"id": id})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(times)
        .mount(&server)
        .await;
    (id, server)
}

// The API.

#[tokio::test]
async fn api_calls_without_a_sandbox_key_are_unauthorised() {
    let app = spawn_sandbox().await;
    let url = app.url("/v1/payment_gateways");
    for key in [None, Some("sk_live_1234"), Some("wrong")] {
        let mut request = app.client.get(&url);
        if let Some(key) = key {
            request = request.header("Voucherly-API-Key", key);
        }
        let response = request.send().await.expect("GET");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{key:?}");
        let body: Value = response.json().await.expect("a JSON error");
        assert!(body["message"].is_string(), "{key:?}");
    }
}

#[tokio::test]
async fn any_sandbox_key_lists_the_gateways() {
    let app = spawn_sandbox().await;
    let response = app
        .client
        .get(app.url("/v1/payment_gateways"))
        .header("Voucherly-API-Key", "sk_sandbox_anything")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    let ids: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|gateway| gateway["id"].as_str())
        .collect();
    assert_eq!(ids, ["card", "edenred", "pluxee", "sepa", "satispay"]);
    assert_eq!(body["items"][0]["name"], "Carta di credito");
    assert!(body["items"][0]["paymentAction"].is_string());
}

#[tokio::test]
async fn mario_has_his_seeded_methods_and_luca_none() {
    let app = spawn_sandbox().await;
    let mario = app
        .api_get(&format!(
            "/customers/{}/payment_methods",
            demo::MARIO_CUSTOMER_ID
        ))
        .await;
    let methods = mario["items"].as_array().expect("items");
    assert_eq!(methods.len(), 4);
    assert_eq!(methods[0]["creditCard"]["pan"], "************4242");
    assert_eq!(methods[1]["creditCard"]["expirationYear"], 2023);
    assert_eq!(methods[2]["paymentGatewayId"], "edenred");
    assert!(methods[2]["creditCard"].is_null() && methods[2]["directDebit"].is_null());
    assert_eq!(
        methods[3]["directDebit"]["accountIban"],
        "IT60X0542811101000000123456"
    );
    let luca = app
        .api_get(&format!(
            "/customers/{}/payment_methods",
            demo::LUCA_CUSTOMER_ID
        ))
        .await;
    assert_eq!(luca, json!({"items": []}));
    let unknown = app
        .api(reqwest::Method::GET, "/customers/nobody/payment_methods")
        .send()
        .await;
    assert_eq!(unknown.expect("GET").status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_payment_without_customer_id_creates_a_customer_and_a_checkout_url() {
    let app = spawn_sandbox().await;
    let payment = app.create_payment(json!({
        "customerFirstName": "Giulia", "customerLastName": "Bianchi",
        "customerEmail": "giulia.bianchi@example.com",
        "lines": [{"quantity": 3, "unitAmount": 250, "unitDiscountAmount": 50, "productName": "Caffè"}]
    })).await;
    let id = payment["id"].as_str().expect("an id");
    let customer_id = payment["customerId"].as_str().expect("a new customerId");
    assert_eq!(payment["status"], "Requested");
    assert_eq!(payment["tenant"], "sandbox");
    assert_eq!(payment["customerFirstName"], "Giulia");
    assert_eq!(
        (
            payment["totalAmount"].as_i64(),
            payment["finalAmount"].as_i64()
        ),
        (Some(750), Some(600))
    );
    assert_eq!(payment["discountAmount"], 150);
    assert_eq!(
        payment["checkoutUrl"],
        format!("{}/sandbox/checkout/{id}", app.address)
    );
    let methods = app
        .api_get(&format!("/customers/{customer_id}/payment_methods"))
        .await;
    assert_eq!(methods, json!({"items": []}));
    let bare = app.api_get(&format!("/payments/{id}")).await;
    assert!(
        bare.get("lines").is_none_or(Value::is_null),
        "no lines without include"
    );
    let full = app.api_get(&format!("/payments/{id}?include=Lines")).await;
    assert_eq!(full["lines"][0]["finalAmount"], 600);
    assert!(full.get("transactions").is_none_or(Value::is_null));
}

#[tokio::test]
async fn unknown_customers_foreign_methods_and_bad_bodies_are_refused() {
    let app = spawn_sandbox().await;
    let mut unknown = marios_payment(None, None);
    unknown["customerId"] = json!("no-such-customer");
    assert_eq!(
        app.try_create(&unknown).await.status(),
        StatusCode::NOT_FOUND
    );
    let mut foreign = marios_payment(None, Some(VISA));
    foreign["customerId"] = json!(demo::LUCA_CUSTOMER_ID);
    let response = app.try_create(&foreign).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.expect("a JSON error");
    assert!(body["message"].as_str().is_some_and(|m| m.contains(VISA)));
    let garbage = app
        .api(reqwest::Method::POST, "/payments")
        .body("{not json")
        .send()
        .await;
    assert_eq!(garbage.expect("POST").status(), StatusCode::BAD_REQUEST);
    let missing = app
        .api(reqwest::Method::GET, "/payments/no-such-payment")
        .send()
        .await;
    assert_eq!(missing.expect("GET").status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_paid_payment_can_be_confirmed_then_refunded_but_not_before() {
    let app = spawn_sandbox().await;
    let id = app.create_payment(marios_payment(None, Some(VISA))).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let confirm = |id: &str| {
        app.api(reqwest::Method::POST, &format!("/payments/{id}/confirm"))
            .send()
    };
    assert_eq!(
        confirm(&id).await.expect("POST").status(),
        StatusCode::CONFLICT
    );
    app.pay(&id, &[("action", "approve"), ("method", VISA)])
        .await;
    let confirmed: Value = confirm(&id)
        .await
        .expect("POST")
        .json()
        .await
        .expect("a Payment");
    assert_eq!(confirmed["status"], "Confirmed");
    let refund = app.api(reqwest::Method::POST, &format!("/payments/{id}/refund"));
    let refunded: Value = refund
        .json(&json!({"transactions": null}))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("JSON");
    assert_eq!(refunded["status"], "Refunded");
    assert_eq!(refunded["transactions"][0]["refundedAmount"], 1780);
}

#[tokio::test]
async fn a_deleted_method_leaves_the_list() {
    let app = spawn_sandbox().await;
    let path = format!(
        "/customers/{}/payment_methods/{SEPA}",
        demo::MARIO_CUSTOMER_ID
    );
    let deleted = app
        .api(reqwest::Method::DELETE, &path)
        .send()
        .await
        .expect("DELETE");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let again = app
        .api(reqwest::Method::DELETE, &path)
        .send()
        .await
        .expect("DELETE");
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    let list = app
        .api_get(&format!(
            "/customers/{}/payment_methods",
            demo::MARIO_CUSTOMER_ID
        ))
        .await;
    assert!(
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|m| m["id"] != SEPA)
    );
}

// The hosted checkout.

#[tokio::test]
async fn the_checkout_page_lists_the_lines_and_preselects_the_requested_method() {
    let app = spawn_sandbox().await;
    let id = app.create_payment(marios_payment(None, Some(SEPA))).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let html = app.checkout_page(&id).await;
    assert!(html.contains(r#"<html lang="it">"#));
    assert!(html.contains("Voucherly") && html.contains("sandbox"));
    assert!(html.contains("Pizza margherita") && html.contains("Acqua frizzante"));
    assert!(
        html.contains("15,80 €") && html.contains("17,80 €"),
        "line and total amounts"
    );
    assert!(
        html.contains(&format!(r#"value="{SEPA}" checked"#)),
        "the requested method is chosen"
    );
    assert!(
        html.contains(&format!(r#"value="{EXPIRED_MASTERCARD}" disabled"#)),
        "expired is disabled"
    );
    assert!(html.contains("IT60 **** 3456") && !html.contains("IT60X0542811101000000123456"));
    assert!(!html.contains("style=") && !html.contains("<script"));
    let mut english = marios_payment(None, None);
    english["language"] = json!("en");
    let id = app.create_payment(english).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let html = app.checkout_page(&id).await;
    assert!(html.contains(r#"<html lang="en">"#) && html.contains("€17.80"));
}

#[tokio::test]
async fn approving_posts_the_callback_and_redirects_to_the_ok_url() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 1).await;
    let response = app
        .pay(&id, &[("action", "approve"), ("method", VISA)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        format!("https://shop.test/return/ok?order=1234&success=true&status=Paid&paymentId={id}")
    );
    wait_for_callbacks(&callback, 1).await;
    let payment = app.payment(&id).await;
    assert_eq!(payment["status"], "Paid");
    let transaction = &payment["transactions"][0];
    assert_eq!(transaction["customerPaymentMethodId"], VISA);
    assert_eq!(transaction["creditCard"]["pan"], "************4242");
    assert_eq!(transaction["amount"], 1780);
}

#[tokio::test]
async fn declining_and_cancelling_go_to_the_ko_url() {
    let app = spawn_sandbox().await;
    for (action, status) in [("decline", "Voided"), ("cancel", "Cancelled")] {
        let (id, callback) = marios_payment_with_callback(&app, 1).await;
        let response = app.pay(&id, &[("action", action)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{action}");
        let expected =
            format!("https://shop.test/return/ko?success=false&status={status}&paymentId={id}");
        assert_eq!(location(&response), expected);
        assert_eq!(app.payment(&id).await["status"], status);
        wait_for_callbacks(&callback, 1).await;
    }
}

#[tokio::test]
async fn a_completed_payment_cannot_be_paid_twice() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 1).await;
    let token = token_in(&app.checkout_page(&id).await);
    let first = app
        .submit(&id, &token, &[("action", "approve"), ("method", VISA)])
        .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = app
        .submit(&id, &token, &[("action", "approve"), ("method", VISA)])
        .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert!(
        second
            .text()
            .await
            .expect("HTML")
            .contains("già stato completato")
    );
    let reopened = app.checkout_page(&id).await;
    assert!(reopened.contains("già stato completato") && !reopened.contains(r#"name="token""#));
    wait_for_callbacks(&callback, 1).await;
    assert_eq!(
        app.payment(&id).await["transactions"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_wrong_token_or_an_expired_card_is_refused() {
    let app = spawn_sandbox().await;
    let (id, _callback) = marios_payment_with_callback(&app, 0).await;
    let forged = app
        .submit(&id, "forged", &[("action", "approve"), ("method", VISA)])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let expired = app
        .pay(
            &id,
            &[("action", "approve"), ("method", EXPIRED_MASTERCARD)],
        )
        .await;
    assert_eq!(expired.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad_card = [
        ("action", "approve"),
        ("method", "new"),
        ("holder_name", "Mario Rossi"),
        ("card_number", "4242 4242 4242 4241"),
        ("expiry_month", "12"),
        ("expiry_year", "2099"),
    ];
    let refused = app.pay(&id, &bad_card).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .expect("HTML")
            .contains("numero della carta non è valido")
    );
    assert_eq!(app.payment(&id).await["status"], "Requested");
}

#[tokio::test]
async fn a_new_saved_card_appears_masked_in_the_methods_list() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 1).await;
    let new_card = [
        ("action", "approve"),
        ("method", "new"),
        ("holder_name", "Mario Rossi"),
        ("card_number", "5555 5555 5555 4444"),
        ("expiry_month", "11"),
        ("expiry_year", "2099"),
        ("save_card", "on"),
    ];
    assert_eq!(
        app.pay(&id, &new_card).await.status(),
        StatusCode::SEE_OTHER
    );
    let path = format!("/customers/{}/payment_methods", demo::MARIO_CUSTOMER_ID);
    let list = app.api_get(&path).await;
    let methods = list["items"].as_array().expect("items");
    assert_eq!(methods.len(), 5);
    let saved = &methods[4];
    assert_eq!(saved["creditCard"]["pan"], "************4444");
    assert_eq!(saved["creditCard"]["brand"], "Mastercard");
    assert_eq!(saved["creditCard"]["expirationYear"], 2099);
    assert!(!list.to_string().contains("5555555555554444"));
    let payment = app.payment(&id).await;
    assert_eq!(
        payment["transactions"][0]["customerPaymentMethodId"],
        saved["id"]
    );
    wait_for_callbacks(&callback, 1).await;
}

#[tokio::test]
async fn a_lost_callback_is_never_posted_but_the_shopper_returns() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 0).await;
    let fields = [
        ("action", "approve"),
        ("method", VISA),
        ("lost_callback", "on"),
    ];
    let response = app.pay(&id, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).contains("success=true"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(callback);
    assert_eq!(app.payment(&id).await["status"], "Paid");
}

#[tokio::test]
async fn a_payment_without_redirect_urls_shows_its_result() {
    let app = spawn_sandbox().await;
    let mut body = marios_payment(None, None);
    body.as_object_mut()
        .map(|fields| fields.retain(|name, _| !name.starts_with("redirect")));
    let id = app.create_payment(body).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let response = app
        .pay(&id, &[("action", "approve"), ("method", SEPA)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .expect("HTML")
            .contains("Pagamento riuscito")
    );
}

#[tokio::test]
async fn a_created_payment_survives_a_restart() {
    let app = spawn_sandbox().await;
    let created = app.create_payment(marios_payment(None, Some(VISA))).await;
    let id = created["id"].as_str().expect("id");
    app.server.stop(true).await;
    let (address, _server) = serve(&app.db_path).await;
    let url = format!("{address}/sandbox/v1/payments/{id}?include=Lines");
    let response = app
        .client
        .get(url)
        .header("Voucherly-API-Key", API_KEY)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    let reread: Value = response.json().await.expect("a Payment");
    assert_eq!(reread["lines"], created["lines"]);
    assert_eq!(reread["finalAmount"], 1780);
}
