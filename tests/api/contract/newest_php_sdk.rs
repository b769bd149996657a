//! The newest version of Voucherly's official PHP SDK (`voucherly/voucherly-php-sdk` at commit
//! d48f9067ed003a2bc45202d9322a917b0d8881ad, `VoucherlyClient::VERSION` 2.0.0), call by call, as
//! it sends them: the headers of `lib/VoucherlyClient.php` and `lib/Http/ApiRequestor.php`
//! (`Accept` always, `Content-Type` only with a body, `{}` for a bodiless POST), the paths of
//! `lib/Service/{PaymentGateway,Payment,Customer,PaymentMethod}Service.php`, the query strings of
//! `lib/Request/RequestParams.php` (`rawurlencode`d, unset properties left out, one pair per list
//! item, dates as `Y-m-d` or `DATE_ATOM`) and the bodies of `lib/VoucherlyObject.php` (only the
//! properties assigned, an explicit null kept, `JSON_PRESERVE_ZERO_FRACTION`) for
//! `lib/Request/{CreatePayment,PaymentLine,PaymentLineRequestProduct,RefundPayment,CreateCustomer,
//! UpdateCustomer}Request.php`. Every answer is the documented one, with the fields
//! `lib/Model/*.php` read. Each operation runs against the lenient sandbox and the strict one
//! in both dialects. This module has the payment calls, `customers` the customer calls.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::{Dialect, demo};

use super::approve;
use crate::sandbox::{SandboxApp, VISA, spawn_sandbox, spawn_sandbox_as};

mod customers;

/// One answer: status, content type and body.
struct Answer {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// Asserts the JSON answer `AbstractService::requestJson` decodes, with `status`.
    fn expect_json(&self, status: StatusCode, call: &str) -> Value {
        let body = self.json();
        assert_eq!(self.status, status, "{call}: {body}");
        assert!(
            self.content_type.starts_with("application/json"),
            "{call}: {}",
            self.content_type
        );
        assert!(body.is_object(), "{call}: requestJson needs an object");
        body
    }

    /// Asserts the PDF `AbstractService::requestBytes` returns.
    fn expect_pdf(&self, call: &str) {
        assert_eq!(self.status, StatusCode::OK, "{call}");
        assert_eq!(self.content_type, "application/pdf", "{call}");
        assert!(self.body.starts_with(b"%PDF-"), "{call}");
    }
}

/// `ApiRequestor::request` with a `VoucherlyClient(['apiKey' => 'sk_sand_merchant', 'app' =>
/// 'woocommerce'])`: `body` is the `json_encode`d request object, if any.
async fn sdk(
    app: &SandboxApp,
    method: Method,
    path_and_query: &str,
    body: Option<Value>,
    accept: &str,
) -> Answer {
    let mut request = app
        .client
        .request(method.clone(), app.url(path_and_query))
        .header("Voucherly-API-Key", "sk_sand_merchant")
        .header("User-Agent", "VoucherlyApiPhpSdk/2.0.0")
        .header("x-voucherly-app", "woocommerce")
        .header("Accept", accept);
    let payload = match body {
        Some(body) => Some(body.to_string()),
        None if method == Method::POST => Some("{}".to_owned()),
        None => None,
    };
    if let Some(payload) = payload {
        request = request
            .header("Content-Type", "application/json")
            .body(payload);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.bytes().await.expect("a body").to_vec();
    Answer {
        status,
        content_type,
        body,
    }
}

async fn json_call(app: &SandboxApp, method: Method, path: &str, body: Option<Value>) -> Answer {
    sdk(app, method, path, body, "application/json").await
}

/// A `CreatePaymentRequest` as an integration fills it: the nested `product` line of
/// `PaymentLineRequest`, `taxRate` a float kept as `10.0`, `callbackUrl` assigned null.
fn create_payment_request() -> Value {
    json!({
        "referenceId": "order-1234",
        "mode": "Payment",
        "customerId": demo::MARIO_CUSTOMER_ID,
        "metadata": {"orderId": "1234"},
        "lines": [
            {"quantity": 2, "unitAmount": 250, "unitDiscountAmount": 10, "externalId": "line-1",
             "product": {"externalId": "SKU-MUFFIN", "name": "Muffin", "taxRate": 10.0,
                         "lineType": "Food"}},
            {"quantity": 1, "unitAmount": 500,
             "product": {"name": "Mug", "variant": "Blue", "lineType": "NonFood"}}
        ],
        "isAutoConfirm": false,
        "redirectOkUrl": "http://localhost/wc-api/voucherly?action=redirect",
        "redirectKoUrl": "http://localhost/wc-api/voucherly?action=redirect",
        "callbackUrl": null,
        "language": "it",
        "country": "IT"
    })
}

/// `Payment` as `lib/Model/Payment.php` reads it.
fn assert_payment(payment: &Value, status: &str) {
    assert_eq!(payment["status"], status, "{payment}");
    assert!(payment["id"].is_string(), "{payment}");
    assert!(payment["finalAmount"].is_i64(), "{payment}");
}

/// `PaymentGatewayService::list`, `PaymentService::create`, `retrieve`, `confirm`,
/// `downloadReceipt`, `refund`, `downloadRefundReceipt` and `void`.
async fn replay_payments(app: &SandboxApp) {
    let gateways = json_call(app, Method::GET, "/v1/payment_gateways", None).await;
    let gateways = gateways.expect_json(StatusCode::OK, "paymentGateways->list");
    assert!(
        gateways["items"]
            .as_array()
            .is_some_and(
                |items| items.iter().all(|item| item["id"].is_string()) && !items.is_empty()
            ),
        "{gateways}"
    );

    let request = create_payment_request();
    let created = json_call(app, Method::POST, "/v1/payments", Some(request.clone())).await;
    let created = created.expect_json(StatusCode::CREATED, "payments->create");
    assert_payment(&created, "Requested");
    assert_eq!(created["finalAmount"], 2 * 240 + 500, "{created}");
    assert!(created["checkoutUrl"].is_string(), "{created}");
    let id = created["id"].as_str().expect("an id").to_owned();

    let path = format!("/v1/payments/{id}");
    // `RetrievePaymentParams::$include`, one `include=` pair per item.
    let with_all = format!("{path}?include=Lines&include=Discounts&include=Transactions");
    let read = json_call(app, Method::GET, &with_all, None).await;
    let read = read.expect_json(StatusCode::OK, "payments->retrieve");
    assert_payment(&read, "Requested");
    assert!(read["transactions"].is_array(), "{read}");
    // `Model/PaymentLine.php` reads the answer's lines flat, not nested as they were sent.
    let line = &read["lines"][0];
    assert_eq!(
        (
            &line["lineType"],
            &line["productName"],
            &line["productExternalId1"]
        ),
        (&json!("Food"), &json!("Muffin"), &json!("SKU-MUFFIN")),
        "{line}"
    );
    assert_eq!(
        (&line["externalId"], &line["taxRate"]),
        (&json!("line-1"), &json!(10.0))
    );
    assert_eq!(read["lines"][1]["lineType"], "NonFood");
    approve(app, &id, VISA).await;
    let confirmed = json_call(app, Method::POST, &format!("{path}/confirm"), None).await;
    let confirmed = confirmed.expect_json(StatusCode::OK, "payments->confirm");
    assert_payment(&confirmed, "Confirmed");
    sdk(
        app,
        Method::GET,
        &format!("{path}/receipt"),
        None,
        "application/pdf",
    )
    .await
    .expect_pdf("payments->downloadReceipt");
    // `new RefundPaymentRequest()` with nothing assigned encodes as `{}`.
    let refunded = json_call(
        app,
        Method::POST,
        &format!("{path}/refund"),
        Some(json!({})),
    )
    .await;
    assert_payment(
        &refunded.expect_json(StatusCode::OK, "payments->refund"),
        "Refunded",
    );
    let refund_receipt = format!("{path}/refund_receipt");
    sdk(app, Method::GET, &refund_receipt, None, "application/pdf")
        .await
        .expect_pdf("payments->downloadRefundReceipt");

    let other = json_call(app, Method::POST, "/v1/payments", Some(request)).await;
    let other = other.expect_json(StatusCode::CREATED, "payments->create");
    let void = format!("/v1/payments/{}/void", other["id"].as_str().expect("an id"));
    let voided = json_call(app, Method::POST, &void, None).await;
    assert_payment(
        &voided.expect_json(StatusCode::OK, "payments->void"),
        "Voided",
    );
}

/// Source: voucherly-php-sdk d48f906 `lib/Service/PaymentService.php`,
/// `lib/Service/PaymentGatewayService.php` and the request classes they send.
#[tokio::test]
async fn the_newest_php_sdks_payment_calls_get_the_documented_answers() {
    replay_payments(&spawn_sandbox().await).await;
    replay_payments(&spawn_sandbox_as(Dialect::Docs, true).await).await;
    replay_payments(&spawn_sandbox_as(Dialect::Sdk, true).await).await;
}
