//! Keys, status codes and problem details.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{basket, created, one_line, operate};
use crate::sandbox::spawn_sandbox;

async fn gateways_with(key: &str) -> (StatusCode, Value) {
    let app = spawn_sandbox().await;
    let request = app.client.get(app.url("/v1/payment_gateways"));
    let response = request
        .header("Voucherly-API-Key", key)
        .send()
        .await
        .expect("GET");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Source: files/openapi.yaml (`securitySchemes`: header `Voucherly-API-Key`); voucherly-php-sdk
/// `Api::testAuthentication` (a 401 from `GET payment_gateways` means a bad key); sandbox keys
/// start `sk_sand_`.
#[tokio::test]
async fn a_sandbox_key_is_accepted_and_any_other_value_is_a_401() {
    assert_eq!(gateways_with("sk_sand_merchant1").await.0, StatusCode::OK);
    for refused in ["sk_sandbox_old", "sk_test_1", "", "sk_sand_"] {
        assert_eq!(
            gateways_with(refused).await.0,
            StatusCode::UNAUTHORIZED,
            "{refused}"
        );
    }
}

/// Source: the contract's key rule (`sk_live_` keys are live keys); errors.mdx (problem details).
#[tokio::test]
async fn a_live_key_gets_a_401_that_says_it_is_a_live_key() {
    let (status, problem) = gateways_with("sk_live_1234").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["status"], 401);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("live key")),
        "{problem}"
    );
}

/// Source: docs/api/webapi/create-payment.StatusCodes.json (201); files/openapi.yaml
/// `TenantMode` ("sand" in test mode).
#[tokio::test]
async fn creating_a_payment_answers_201_with_a_sand_tenant() {
    let app = spawn_sandbox().await;
    let payment = created(&app, &basket(one_line(700, true))).await;
    assert_eq!(payment["tenant"], "sand");
    assert_eq!(payment["status"], "Requested");
    assert_eq!(payment["finalAmount"], 700);
}

/// Source: docs/api/general/errors.mdx and create-payment.StatusCodes.json (example
/// `ValidationError`: `code` VALIDATION_ERROR with the failing `parameter`);
/// create-payment.RequestSchema.json (`customerEmail` "Required when customerId is not provided").
#[tokio::test]
async fn a_validation_error_is_a_problem_with_code_and_parameter() {
    let app = spawn_sandbox().await;
    let mut body = basket(one_line(700, true));
    body.as_object_mut().expect("object").remove("customerId");
    let response = app
        .client
        .post(app.url("/v1/payments"))
        .header("Voucherly-API-Key", "sk_sand_x")
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    // openapi.yaml's `responses` declare `application/json`.
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let problem: Value = response.json().await.expect("a problem");
    assert_eq!(problem["status"], 400);
    assert_eq!(problem["code"], "VALIDATION_ERROR");
    assert_eq!(problem["parameter"], "CustomerEmail");
    assert!(problem["title"].is_string() && problem["type"].is_string());
}

/// Source: create-payment.StatusCodes.json, example `ResourceMissing` ("Unlike a 404 NOT FOUND
/// ... the referenced entity (e.g., CustomerId) does not exist": 400, `parameter` CustomerId).
#[tokio::test]
async fn an_unknown_customer_on_create_is_a_400_resource_missing() {
    let app = spawn_sandbox().await;
    let mut body = basket(one_line(700, true));
    body["customerId"] = json!("cs_YZOJp96qKlW");
    let (status, problem) = app.call(Method::POST, "/payments", Some(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["code"], "RESOURCE_MISSING");
    assert_eq!(problem["parameter"], "CustomerId");
    assert_eq!(problem["detail"], "No such CustomerId: 'cs_YZOJp96qKlW'.");
}

/// Source: create-payment.RequestSchema.json (`additionalProperties: false`).
#[tokio::test]
async fn an_unknown_field_is_refused_not_ignored() {
    let app = spawn_sandbox().await;
    let mut body = basket(one_line(700, true));
    body["sendMoneyTwice"] = json!(true);
    let (status, problem) = app.call(Method::POST, "/payments", Some(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["code"], "VALIDATION_ERROR");
    assert_eq!(problem["parameter"], "sendMoneyTwice");
}

/// Source: files/openapi.yaml (`retrieve-payment`, `confirm-payment`, `refund-payment`: 404
/// `ProblemDetails`).
#[tokio::test]
async fn unknown_payment_ids_are_404_problems() {
    let app = spawn_sandbox().await;
    let (status, problem) = app.call(Method::GET, "/payments/pay_nothing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["status"], 404);
    for operation in ["confirm", "void", "refund"] {
        let (status, _) = operate(&app, "pay_nothing", operation, json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{operation}");
    }
}

/// Source: the contract ("a POST without its JSON body is 415"); the requests' bodies are
/// `application/json` in openapi.yaml.
#[tokio::test]
async fn a_post_without_a_json_body_is_415() {
    let app = spawn_sandbox().await;
    let id = created(&app, &basket(one_line(700, true))).await["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for path in [
        "/v1/payments".to_owned(),
        format!("/v1/payments/{id}/confirm"),
        format!("/v1/payments/{id}/refund"),
    ] {
        let response = app
            .client
            .post(app.url(&path))
            .header("Voucherly-API-Key", "sk_sand_x")
            .header("content-type", "text/plain")
            .body("mode=Payment")
            .send()
            .await
            .expect("POST");
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{path}"
        );
        let bare = app
            .client
            .post(app.url(&path))
            .header("Voucherly-API-Key", "sk_sand_x");
        let response = bare.send().await.expect("POST");
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{path} without a body"
        );
    }
}

/// Source: confirm-payment.StatusCodes.json (409 `INVALID_STATUS`, "Only 'Paid' payment can be
/// confirmed.", `paymentStatus`).
#[tokio::test]
async fn confirming_a_payment_that_is_not_paid_is_a_409_with_its_status() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(basket(one_line(700, true))).await;
    let (status, problem) = operate(&app, &id, "confirm", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "INVALID_STATUS");
    assert_eq!(problem["paymentStatus"], "Requested");
}

/// Source: refund-payment.StatusCodes.json (409 with `paymentStatus`); payments-lifecycle.md
/// (refund is the way back from `Paid` or `Confirmed` only).
#[tokio::test]
async fn refunding_a_payment_that_holds_no_money_is_a_409_with_its_status() {
    let app = spawn_sandbox().await;
    let id = app.new_payment(basket(one_line(700, true))).await;
    let (status, problem) = operate(&app, &id, "refund", json!({"transactions": null})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "INVALID_STATUS");
    assert_eq!(problem["paymentStatus"], "Requested");
}

/// Source: create-payment.RequestSchema.json (`metadata`: "up to 10 key-value items with a
/// maximum length of 40 for the key and of 400 chars for the value"); openapi.yaml
/// (`retrieve-payment` `include` is an enum of Lines, Discounts, Transactions).
#[tokio::test]
async fn metadata_beyond_its_limits_and_unknown_includes_are_refused() {
    let app = spawn_sandbox().await;
    let mut body = basket(one_line(700, true));
    body["metadata"] = json!({"k".repeat(41): "v"});
    let (status, problem) = app.call(Method::POST, "/payments", Some(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["parameter"], "Metadata");
    let many: serde_json::Map<String, Value> =
        (0..11).map(|i| (format!("k{i}"), json!("v"))).collect();
    body["metadata"] = Value::Object(many);
    let (status, _) = app.call(Method::POST, "/payments", Some(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let id = app.new_payment(basket(one_line(700, true))).await;
    let (status, problem) = app
        .call(
            Method::GET,
            &format!("/payments/{id}?include=Secrets"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["parameter"], "include");
}
