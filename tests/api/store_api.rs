//! The store API (`/api/v1/`) through real HTTP, as a store's server calls it: authentication,
//! orders, errors, and the OpenAPI document kept true by calling what it describes.

mod auth;
mod cancelling;
mod capturing;
mod creating;
mod from_memory;
mod reading;
mod reconciling;
mod refunding;
mod routes;
mod schema;
mod spec;
mod validation;

use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// The application in demo mode, with the store API key it generated.
pub struct StoreApi {
    pub app: TestApp,
    pub key: String,
    client: reqwest::Client,
}

pub async fn spawn_store_api() -> StoreApi {
    with_generated_key(spawn_app().await)
}

/// `app`, with the store API key demo mode generated and kept in the database (or the tests'
/// own, without the `demo` feature).
pub fn with_generated_key(app: TestApp) -> StoreApi {
    let key = app.store_api_key();
    StoreApi {
        app,
        key,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client"),
    }
}

impl StoreApi {
    /// A request to the API with the right key, as the store's server makes it.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.app.url(path))
            .bearer_auth(&self.key)
    }

    pub fn unauthenticated(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.app.url(path))
    }

    pub async fn post_order(&self, body: &Value) -> reqwest::Response {
        self.request(reqwest::Method::POST, "/api/v1/orders")
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn get_order(&self, store_order_id: &str) -> reqwest::Response {
        self.request(
            reqwest::Method::GET,
            &format!("/api/v1/orders/{store_order_id}"),
        )
        .send()
        .await
        .expect("GET")
    }

    /// The number of rows of `table` matching `condition` on `value`.
    pub fn count(&self, table_and_condition: &str, value: &str) -> i64 {
        self.app.db().value(
            &format!("SELECT COUNT(*) FROM {table_and_condition}"),
            args![value],
        )
    }
}

/// An order of two margherite (7.50 € each) less a 2 € discount: 13 € to pay.
pub fn order_body(store_order_id: &str, store_user_id: &str) -> Value {
    json!({
        "store_order_id": store_order_id,
        "shopper": {
            "store_user_id": store_user_id,
            "email": format!("{store_user_id}@shop.example"),
            "first_name": "Anna",
            "last_name": "Neri",
            "language": "en"
        },
        "lines": [{
            "product_id": "pizza-margherita",
            "product_name": "Pizza margherita",
            "quantity": 2,
            "unit_amount": 750,
            "tax_rate": 10,
            "is_food": true
        }],
        "discounts": [{"name": "Welcome", "amount": 200}],
        "currency": "EUR"
    })
}

/// The body of a JSON answer, after checking it says it is JSON.
pub async fn json_of(response: reqwest::Response) -> Value {
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let status = response.status();
    let text = response.text().await.expect("a body");
    assert!(
        content_type.starts_with("application/json"),
        "{status} answered {content_type:?}: {text}"
    );
    serde_json::from_str(&text).expect("a JSON body")
}

/// Checks the answer is the store API's JSON error with `status` and `code`; returns its
/// message.
pub async fn assert_error(response: reqwest::Response, status: u16, code: &str) -> String {
    let actual = response.status().as_u16();
    let body = json_of(response).await;
    assert_eq!(actual, status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    body["error"]["message"]
        .as_str()
        .expect("an error message")
        .to_owned()
}
