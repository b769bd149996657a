//! The embedded Voucherly sandbox, over real HTTP: its API (key check, payments, customers'
//! methods), its hosted checkout (approve, decline, cancel, new cards, callbacks, redirects) and
//! its storage across a restart. Each test starts the sandbox's own scope on a loopback port with
//! a fresh SQLite file, so these tests do not depend on the rest of the app.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer};
use reqwest::header::LOCATION;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::{API_KEY, Sandbox, demo};
use voucherly_account::storage::Database;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VISA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01";
const EXPIRED_MASTERCARD: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a02";
const SEPA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a04";
const APPROVE_VISA: [(&str, &str); 2] = [("action", "approve"), ("method", VISA)];

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

    /// Calls the API with the embedded key, answering the status and the JSON body (or null).
    async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> (StatusCode, Value) {
        call(&self.client, method, &self.url(&format!("/v1{path}")), body).await
    }

    async fn api_get(&self, path: &str) -> Value {
        let (status, body) = self.call(Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "GET {path}");
        body
    }

    async fn methods_of(&self, customer_id: &str) -> Value {
        self.api_get(&format!("/customers/{customer_id}/payment_methods"))
            .await
    }

    async fn create_payment(&self, body: Value) -> Value {
        let (status, payment) = self.call(Method::POST, "/payments", Some(&body)).await;
        assert_eq!(status, StatusCode::OK, "{payment}");
        payment
    }

    /// Creates a payment and answers its id.
    async fn new_payment(&self, body: Value) -> String {
        let payment = self.create_payment(body).await;
        payment["id"].as_str().expect("an id").to_owned()
    }

    async fn payment(&self, id: &str) -> Value {
        let path = format!("/payments/{id}?include=Lines&include=Transactions");
        self.api_get(&path).await
    }

    async fn checkout_page(&self, id: &str) -> String {
        let url = self.url(&format!("/checkout/{id}"));
        let response = self.client.get(url).send().await.expect("the page");
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
        let request = self.client.post(self.url(&format!("/checkout/{id}")));
        request.form(&form).send().await.expect("the checkout form")
    }
}

async fn call(
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

async fn html(response: reqwest::Response) -> String {
    response.text().await.expect("HTML")
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

/// The new-card part of the checkout form, approving with `number` (expiring 11/2099).
fn new_card(number: &str, save: bool) -> Vec<(&str, &str)> {
    let mut fields = vec![
        ("action", "approve"),
        ("method", "new"),
        ("holder_name", "Mario Rossi"),
        ("card_number", number),
        ("expiry_month", "11"),
        ("expiry_year", "2099"),
    ];
    if save {
        fields.push(("save_card", "on"));
    }
    fields
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
    let id = app
        .new_payment(marios_payment(Some(&server), Some(VISA)))
        .await;
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
    let request = app.client.get(app.url("/v1/payment_gateways"));
    let request = request.header("Voucherly-API-Key", "sk_sandbox_anything");
    let response = request.send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    let items = body["items"].as_array().expect("items");
    let ids: Vec<&str> = items.iter().filter_map(|g| g["id"].as_str()).collect();
    assert_eq!(ids, ["card", "edenred", "pluxee", "sepa", "satispay"]);
    assert_eq!(items[0]["name"], "Carta di credito");
    assert!(items[0]["paymentAction"].is_string());
}

#[tokio::test]
async fn mario_has_his_seeded_methods_and_luca_none() {
    let app = spawn_sandbox().await;
    let mario = app.methods_of(demo::MARIO_CUSTOMER_ID).await;
    let methods = mario["items"].as_array().expect("items");
    assert_eq!(methods.len(), 4);
    assert_eq!(methods[0]["creditCard"]["pan"], "************4242");
    assert_eq!(methods[1]["creditCard"]["expirationYear"], 2023);
    assert_eq!(methods[2]["paymentGatewayId"], "edenred");
    assert!(methods[2]["creditCard"].is_null() && methods[2]["directDebit"].is_null());
    let iban = &methods[3]["directDebit"]["accountIban"];
    assert_eq!(iban, "IT60X0542811101000000123456");
    let luca = app.methods_of(demo::LUCA_CUSTOMER_ID).await;
    assert_eq!(luca, json!({"items": []}));
    let path = "/customers/nobody/payment_methods";
    let (status, _) = app.call(Method::GET, path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
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
    let amounts = ["totalAmount", "discountAmount", "finalAmount"].map(|name| &payment[name]);
    assert_eq!(amounts, [750, 150, 600]);
    let checkout_url = format!("{}/sandbox/checkout/{id}", app.address);
    assert_eq!(payment["checkoutUrl"], checkout_url);
    assert_eq!(app.methods_of(customer_id).await, json!({"items": []}));
    let bare = app.api_get(&format!("/payments/{id}")).await;
    assert!(bare.get("lines").is_none_or(Value::is_null), "{bare}");
    let full = app.api_get(&format!("/payments/{id}?include=Lines")).await;
    assert_eq!(full["lines"][0]["finalAmount"], 600);
    assert!(full.get("transactions").is_none_or(Value::is_null));
}

#[tokio::test]
async fn unknown_customers_foreign_methods_and_bad_bodies_are_refused() {
    let app = spawn_sandbox().await;
    let mut unknown = marios_payment(None, None);
    unknown["customerId"] = json!("no-such-customer");
    let (status, _) = app.call(Method::POST, "/payments", Some(&unknown)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut foreign = marios_payment(None, Some(VISA));
    foreign["customerId"] = json!(demo::LUCA_CUSTOMER_ID);
    let (status, error) = app.call(Method::POST, "/payments", Some(&foreign)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["message"].as_str().is_some_and(|m| m.contains(VISA)));
    let garbage = json!("not a payment");
    let (status, error) = app.call(Method::POST, "/payments", Some(&garbage)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["message"].is_string());
    let (status, _) = app
        .call(Method::GET, "/payments/no-such-payment", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, error) = app.call(Method::PUT, "/payments", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(error["message"].is_string());
    let (status, error) = app.call(Method::GET, "/no/such/route", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(error["message"].is_string());
}

#[tokio::test]
async fn a_paid_payment_can_be_confirmed_then_refunded_but_not_before() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(marios_payment(None, Some(VISA))).await;
    let (confirm, refund) = (
        format!("/payments/{id}/confirm"),
        format!("/payments/{id}/refund"),
    );
    let (status, _) = app.call(Method::POST, &confirm, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    app.pay(&id, &APPROVE_VISA).await;
    let (_, confirmed) = app.call(Method::POST, &confirm, None).await;
    assert_eq!(confirmed["status"], "Confirmed");
    let all = json!({"transactions": null});
    let (_, refunded) = app.call(Method::POST, &refund, Some(&all)).await;
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
    let (status, _) = app.call(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.call(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let list = app.methods_of(demo::MARIO_CUSTOMER_ID).await;
    let ids: Vec<&Value> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| &m["id"])
        .collect();
    assert!(!ids.contains(&&json!(SEPA)) && ids.len() == 3);
}

// The hosted checkout.

#[tokio::test]
async fn the_checkout_page_lists_the_lines_and_preselects_the_requested_method() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(marios_payment(None, Some(SEPA))).await;
    let html = app.checkout_page(&id).await;
    assert!(html.contains(r#"<html lang="it">"#));
    assert!(html.contains("Voucherly") && html.contains("sandbox"));
    assert!(html.contains("Pizza margherita") && html.contains("Acqua frizzante"));
    assert!(
        html.contains("15,80 €") && html.contains("17,80 €"),
        "line and total"
    );
    let requested = format!(r#"value="{SEPA}" checked"#);
    assert!(html.contains(&requested), "the requested method is chosen");
    let expired = format!(r#"value="{EXPIRED_MASTERCARD}" disabled"#);
    assert!(
        html.contains(&expired),
        "an expired card is shown but disabled"
    );
    assert!(html.contains("IT60 •••• 3456") && !html.contains("IT60X0542811101000000123456"));
    assert!(!html.contains("style=") && !html.contains("<script"));
    let mut english = marios_payment(None, None);
    english["language"] = json!("en");
    let html = app.checkout_page(&app.new_payment(english).await).await;
    assert!(html.contains(r#"<html lang="en">"#) && html.contains("€17.80"));
}

#[tokio::test]
async fn approving_posts_the_callback_and_redirects_to_the_ok_url() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 1).await;
    let response = app.pay(&id, &APPROVE_VISA).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let ok = "https://shop.test/return/ok?order=1234&success=true&status=Paid";
    assert_eq!(location(&response), format!("{ok}&paymentId={id}"));
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
        let ko = "https://shop.test/return/ko?success=false";
        let expected = format!("{ko}&status={status}&paymentId={id}");
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
    let first = app.submit(&id, &token, &APPROVE_VISA).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = app.submit(&id, &token, &APPROVE_VISA).await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert!(html(second).await.contains("già stato completato"));
    let reopened = app.checkout_page(&id).await;
    assert!(reopened.contains("già stato completato") && !reopened.contains(r#"name="token""#));
    wait_for_callbacks(&callback, 1).await;
    let transactions = app.payment(&id).await["transactions"].clone();
    assert_eq!(transactions.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_wrong_token_an_expired_card_or_a_bad_number_is_refused() {
    let app = spawn_sandbox().await;
    let (id, _callback) = marios_payment_with_callback(&app, 0).await;
    let forged = app.submit(&id, "forged", &APPROVE_VISA).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let expired = [("action", "approve"), ("method", EXPIRED_MASTERCARD)];
    let refused = app.pay(&id, &expired).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad_card = new_card("4242 4242 4242 4241", false);
    let refused = app.pay(&id, &bad_card).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html(refused)
            .await
            .contains("numero della carta non è valido")
    );
    assert_eq!(app.payment(&id).await["status"], "Requested");
}

#[tokio::test]
async fn a_new_saved_card_appears_masked_in_the_methods_list() {
    let app = spawn_sandbox().await;
    let (id, callback) = marios_payment_with_callback(&app, 1).await;
    let response = app.pay(&id, &new_card("5555 5555 5555 4444", true)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let list = app.methods_of(demo::MARIO_CUSTOMER_ID).await;
    let methods = list["items"].as_array().expect("items");
    assert_eq!(methods.len(), 5);
    let saved = &methods[4];
    assert_eq!(saved["creditCard"]["pan"], "************4444");
    assert_eq!(saved["creditCard"]["brand"], "Mastercard");
    assert_eq!(saved["creditCard"]["expirationYear"], 2099);
    assert!(!list.to_string().contains("5555555555554444"));
    let transaction = &app.payment(&id).await["transactions"][0];
    assert_eq!(transaction["customerPaymentMethodId"], saved["id"]);
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
    let fields = body.as_object_mut().expect("an object");
    fields.retain(|name, _| !name.starts_with("redirect"));
    let id = app.new_payment(body).await;
    let response = app
        .pay(&id, &[("action", "approve"), ("method", SEPA)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(html(response).await.contains("Pagamento riuscito"));
}

#[tokio::test]
async fn a_created_payment_survives_a_restart() {
    let app = spawn_sandbox().await;
    let created = app.create_payment(marios_payment(None, Some(VISA))).await;
    let id = created["id"].as_str().expect("id");
    app.server.stop(false).await;
    let (address, _server) = serve(&app.db_path).await;
    let url = format!("{address}/sandbox/v1/payments/{id}?include=Lines");
    let (status, reread) = call(&app.client, Method::GET, &url, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reread["lines"], created["lines"]);
    assert_eq!(reread["finalAmount"], 1780);
}

// As the app mounts it.

#[tokio::test]
async fn the_app_serves_the_seeded_sandbox_with_json_errors_and_its_checkout() {
    let app = crate::helpers::spawn_app().await;
    let refused = app.get("/sandbox/v1/payment_gateways").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let body: Value = refused
        .json()
        .await
        .expect("JSON, not the app's error page");
    assert!(body["message"].is_string());
    let path = format!(
        "/sandbox/v1/customers/{}/payment_methods",
        demo::MARIO_CUSTOMER_ID
    );
    let (_, methods) = call(&app.client, Method::GET, &app.url(&path), None).await;
    assert_eq!(methods["items"].as_array().map(Vec::len), Some(4));
    let body = marios_payment(None, None);
    let url = app.url("/sandbox/v1/payments");
    let (_, payment) = call(&app.client, Method::POST, &url, Some(&body)).await;
    let checkout_url = payment["checkoutUrl"].as_str().expect("a checkoutUrl");
    assert!(checkout_url.starts_with(&format!("{}/sandbox/checkout/", app.address)));
    let page = app.client.get(checkout_url).send().await.expect("the page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = html(page).await;
    assert!(html.contains("Pizza margherita") && html.contains(r#"href="/static/sandbox.css""#));
    assert_eq!(
        app.get("/static/sandbox.css").await.status(),
        StatusCode::OK
    );
}
