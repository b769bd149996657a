//! The sandbox's API: the key check, the payment gateways and customers' payment methods.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::demo;

use super::{SEPA, spawn_sandbox};

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
        assert!(body["detail"].is_string(), "{key:?}");
    }
}

#[tokio::test]
async fn any_sandbox_key_lists_the_gateways() {
    let app = spawn_sandbox().await;
    let request = app.client.get(app.url("/v1/payment_gateways"));
    let request = request.header("Voucherly-API-Key", "sk_sand_anything");
    let response = request.send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    let items = body["items"].as_array().expect("items");
    let ids: Vec<&str> = items.iter().filter_map(|g| g["id"].as_str()).collect();
    assert_eq!(ids, ["card", "edenred", "pluxee", "sepa", "satispay"]);
    assert_eq!(items[1]["type"], 1);
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
    assert_eq!(
        luca,
        json!({"items": [], "pagination": {"hasMore": false, "nextStart": null}})
    );
    let path = "/customers/nobody/payment_methods";
    let (status, _) = app.call(Method::GET, path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
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
