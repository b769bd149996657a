//! Without the `demo` feature there are no demo shoppers, no demo orders and no demo sign-in:
//! the tests that use them get the same shoppers and orders from the store API, as a store's
//! server would create them, and sign in through its hand-over link.

use secrecy::SecretString;
use serde_json::{Value, json};
use voucherly_account::settings::Settings;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{TestApp, browser};

/// The store API key and the store origin the tests' app is configured with.
pub const STORE_API_KEY: &str = "test-store-key-0123456789abcdef0123456789";
pub const STORE_ORIGIN: &str = "https://shop.example";

/// What `settings` would run on with the `demo` feature, in a build without it: a Voucherly
/// that knows nothing but takes the key (wiremock) in place of the embedded sandbox when there is no key, and a
/// store API key and origin in place of the demo (asked for, or on by default with the
/// sandbox), to create the demo's shoppers and orders with. Answers whether to create them, and
/// the stand-in Voucherly, which must live as long as the app.
pub async fn stand_in(settings: &mut Settings) -> (bool, Option<MockServer>) {
    let voucherly = match settings.voucherly_api_key {
        Some(_) => None,
        None => {
            let server = MockServer::start().await;
            // It takes the key (the start-up check and readiness ask for the gateways).
            Mock::given(method("GET"))
                .and(path("/v1/payment_gateways"))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
                .mount(&server)
                .await;
            settings.voucherly_api_key = Some(SecretString::from("sk_test_key"));
            settings.voucherly_base_url = Some(server.uri());
            settings.voucherly_timeout = 2;
            Some(server)
        }
    };
    if !settings.demo.unwrap_or(voucherly.is_some()) {
        return (false, voucherly);
    }
    settings.demo = None;
    if settings.store_api_key.is_none() {
        settings.store_api_key = Some(SecretString::from(STORE_API_KEY));
    }
    if settings.store_origins.is_empty() {
        settings.store_origins = vec![STORE_ORIGIN.to_owned()];
    }
    (true, voucherly)
}

/// (store user id, first name, last name, e-mail): the demo's shoppers.
const SHOPPERS: &[(&str, &str, &str, &str)] = &[
    ("demo-mario", "Mario", "Rossi", "mario.rossi@example.com"),
    ("demo-luca", "Luca", "Verdi", "luca.verdi@example.com"),
    (
        "demo-giulia",
        "Giulia",
        "Bianchi",
        "giulia.bianchi@example.com",
    ),
];

fn shopper(store_user_id: &str) -> Value {
    let (id, first_name, last_name, email) = SHOPPERS
        .iter()
        .find(|(id, ..)| *id == store_user_id)
        .copied()
        .unwrap_or((store_user_id, "Anna", "Neri", "anna.neri@example.com"));
    json!({
        "store_user_id": id, "email": email, "first_name": first_name,
        "last_name": last_name, "language": "it",
    })
}

fn line(name: &str, quantity: i64, unit_amount: i64, tax_rate: f64, is_food: bool) -> Value {
    let mut line = json!({
        "product_name": name, "quantity": quantity, "unit_amount": unit_amount,
        "tax_rate": tax_rate, "is_food": is_food,
    });
    // The demo's own product ids (src/demo/orders.rs), so both builds send the same lines.
    let product_id = match name {
        "Pizza margherita" => Some("pizza-margherita"),
        "Tiramisù" => Some("tiramisu"),
        "Cuffie Bluetooth" => Some("cuffie-bt"),
        _ => None,
    };
    if let Some(id) = product_id {
        line["product_id"] = json!(id);
    }
    line
}

/// The demo's orders (src/demo/orders.rs), with the same amounts.
fn orders() -> Vec<(&'static str, &'static str, Vec<Value>, Vec<Value>)> {
    let mut tiramisu = line("Tiramisù", 1, 450, 10.0, true);
    tiramisu["unit_discount_amount"] = json!(50);
    vec![
        (
            "demo-1001",
            "demo-mario",
            vec![line("Pizza margherita", 2, 750, 10.0, true), tiramisu],
            vec![
                json!({"name": "Sconto pranzo", "description": "Benvenuto nel negozio", "amount": 200}),
            ],
        ),
        (
            "demo-1002",
            "demo-mario",
            vec![line("Cuffie Bluetooth", 1, 4990, 22.0, false)],
            Vec::new(),
        ),
        (
            "demo-1003",
            "demo-giulia",
            vec![line("Cesto di frutta", 1, 2490, 4.0, true)],
            Vec::new(),
        ),
        (
            "demo-1004",
            "demo-luca",
            vec![line("Libro di cucina", 1, 1890, 4.0, false)],
            Vec::new(),
        ),
    ]
}

/// Creates the demo's shoppers and orders through `POST /api/v1/orders`.
pub async fn seed(app: &TestApp) {
    for (store_order_id, store_user_id, lines, discounts) in orders() {
        let body = json!({
            "store_order_id": store_order_id, "shopper": shopper(store_user_id),
            "lines": lines, "discounts": discounts, "currency": "EUR",
        });
        let response = browser()
            .post(app.url("/api/v1/orders"))
            .bearer_auth(STORE_API_KEY)
            .json(&body)
            .send()
            .await
            .expect("POST");
        assert_eq!(
            response.status().as_u16(),
            201,
            "{store_order_id} is created"
        );
    }
}

/// Signs `store_user_id` in on `client` through a hand-over link; answers the link's response.
pub async fn sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    store_user_id: &str,
) -> reqwest::Response {
    let mut body = shopper(store_user_id);
    body["return_url"] = json!(format!("{STORE_ORIGIN}/my-account"));
    // As the demo sign-in: the page's language comes from the browser.
    body.as_object_mut().expect("an object").remove("language");
    let response = browser()
        .post(app.url("/api/v1/handovers"))
        .bearer_auth(STORE_API_KEY)
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status().as_u16(), 201, "a hand-over is created");
    let answer: Value = response.json().await.expect("a JSON answer");
    let url = answer["url"].as_str().expect("a URL");
    client.get(url).send().await.expect("GET")
}
