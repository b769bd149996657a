//! Voucherly's official PHP SDK, call by call, as its `Request::call_on_demand` sends them: every
//! answer is one Voucherly documents.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::demo;

use super::approve;
use crate::sandbox::{SandboxApp, VISA, spawn_sandbox};

/// One call with the SDK's headers and its `json_encode`d body (`$params = []` for a bodiless
/// POST, as `Payment::capture` sends it).
async fn sdk(
    app: &SandboxApp,
    method: Method,
    route: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app
        .client
        .request(method.clone(), app.url(&format!("/v1/{route}")))
        .header("Voucherly-API-Key", "sk_sand_merchant")
        .header("x-voucherly-os", "Linux")
        .header("x-voucherly-app", "woocommerce")
        .header("User-Agent", "VoucherlyApiPhpSdk/1.2.0")
        .header("Content-Type", "application/json");
    if method == Method::POST {
        request = request.body(body.unwrap_or(json!([])).to_string());
    }
    let response = request.send().await.expect("an answer");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Source: voucherly-php-sdk `lib/` (`Payment::create`, `get`, `capture`, `refund`,
/// `PaymentGateway::list`, `Customer::paymentMethods`, `CreatePaymentRequest` and
/// `CreatePaymentRequestLine` defaults: empty strings, nulls, `metadata: []`,
/// `discountAmount: 0`) and `Api::testAuthentication`.
#[tokio::test]
async fn the_php_sdks_calls_get_the_documented_answers() {
    let app = spawn_sandbox().await;
    let (status, gateways) = sdk(&app, Method::GET, "payment_gateways", None).await;
    assert_eq!(status, StatusCode::OK, "testAuthentication");
    assert!(
        gateways["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
    );
    let request = json!({
        "mode": "Payment", "referenceId": null, "customerPaymentMethodId": null,
        "customerId": demo::MARIO_CUSTOMER_ID, "customerEmail": "", "customerFirstName": "",
        "customerLastName": "", "redirectOkUrl": "http://localhost/wc-api/voucherly?action=redirect",
        "redirectKoUrl": "http://localhost/wc-api/voucherly?action=redirect",
        "callbackUrl": null, "language": "it", "country": "IT", "shippingAddress": null,
        "metadata": {"orderId": "1234"},
        "lines": [{"quantity": 2, "unitAmount": 250, "unitDiscountAmount": 10, "discountAmount": 0,
            "taxRate": 10.0, "productName": "Muffin", "productDescription": "", "productImage": "",
            "isFood": true}],
        "discounts": [{"discountName": "WELCOME", "discountDescription": "", "amount": 100.0}]
    });
    let (status, created) = sdk(&app, Method::POST, "payments", Some(request)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["finalAmount"], 380);
    assert_eq!(created["tenant"], "sand");
    let id = created["id"].as_str().expect("an id").to_owned();
    let (status, read) = sdk(&app, Method::GET, &format!("payments/{id}"), None).await;
    assert_eq!(
        (status, &read["status"]),
        (StatusCode::OK, &json!("Requested"))
    );
    approve(&app, &id, VISA).await;
    let (status, captured) = sdk(&app, Method::POST, &format!("payments/{id}/confirm"), None).await;
    assert_eq!(status, StatusCode::OK, "{captured}");
    assert_eq!(captured["status"], "Confirmed");
    let refund = json!({"transactions": null});
    let (status, refunded) = sdk(
        &app,
        Method::POST,
        &format!("payments/{id}/refund"),
        Some(refund),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{refunded}");
    assert_eq!(refunded["status"], "Refunded");
    let methods = format!("customers/{}/payment_methods", demo::MARIO_CUSTOMER_ID);
    let (status, listed) = sdk(&app, Method::GET, &methods, None).await;
    assert_eq!(status, StatusCode::OK);
    let first = listed["items"][0]["id"]
        .as_str()
        .expect("a method")
        .to_owned();
    let (status, _) = sdk(&app, Method::DELETE, &format!("{methods}/{first}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

/// Source: docs/api/webapi/create-payment.RequestSchema.json (`unitDiscountAmount`: "A
/// non-negative integer in cents") and docs/api/general/errors.mdx (`parameter` names the
/// failing field). The official WooCommerce plugin computes `unitDiscountAmount` as the regular
/// price less the price with tax, which is negative in a shop that enters prices before tax.
#[tokio::test]
async fn a_negative_unit_discount_is_refused_naming_that_field() {
    let app = spawn_sandbox().await;
    let mut body = super::basket(json!([{"quantity": 1, "unitAmount": 1000,
        "unitDiscountAmount": -220, "discountAmount": 0, "taxRate": 22.0,
        "productName": "Pasta", "productDescription": "", "productImage": "", "isFood": true}]));
    let (status, problem) = app.call(Method::POST, "/payments", Some(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["code"], "VALIDATION_ERROR");
    assert_eq!(problem["parameter"], "Lines[0].UnitDiscountAmount");
    body["lines"][0]["unitDiscountAmount"] = json!(0);
    body["lines"][0]["discountAmount"] = json!(-5);
    let (status, problem) = app.call(Method::POST, "/payments", Some(&body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["parameter"], "Lines[0].DiscountAmount");
}

/// Source: docs/api/webapi/create-payment.RequestSchema.json, example "Preselected gateway"
/// (`"selectedPaymentGatewayId": "SATISPAY"`): the documented request works as written; the
/// payment carries the gateway under the id the gateways list gives it.
#[tokio::test]
async fn the_documented_preselected_gateway_example_is_accepted() {
    let app = spawn_sandbox().await;
    let mut body = super::basket(super::one_line(500, true));
    body["country"] = json!("IT");
    body["selectedPaymentGatewayId"] = json!("SATISPAY");
    let payment = super::created(&app, &body).await;
    // The answer's name has no `Id` (openapi.yaml `Payment.selectedPaymentGateway`).
    assert_eq!(payment["selectedPaymentGateway"], "satispay");
    body["selectedPaymentGatewayId"] = json!("NOSUCHGATEWAY");
    let (status, problem) = app.call(Method::POST, "/payments", Some(&body)).await;
    assert_eq!(
        (status, &problem["code"]),
        (StatusCode::BAD_REQUEST, &json!("RESOURCE_MISSING"))
    );
}
