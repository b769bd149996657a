//! The Voucherly client against a wiremock server standing in for Voucherly.

use std::collections::BTreeMap;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::json;
use voucherly_account::voucherly::{VoucherlyClient, VoucherlyError, types::*};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "sk_test_51HxYzVoucherlyKey";

fn client_at(base_url: &str, timeout: Duration) -> VoucherlyClient {
    VoucherlyClient::new(
        base_url,
        SecretString::from(API_KEY),
        Duration::from_secs(1),
        timeout,
    )
    .expect("the client builds")
}

/// `server.uri()` has no trailing slash, so every test also covers that form of base URL.
fn client_for(server: &MockServer) -> VoucherlyClient {
    client_at(&server.uri(), Duration::from_secs(5))
}

/// Answers any request with `response`, once, and returns the error that listing methods gives.
async fn listing_error_for(response: ResponseTemplate) -> VoucherlyError {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    client_for(&server)
        .list_payment_methods("cus_1")
        .await
        .expect_err("the call fails")
}

#[tokio::test]
async fn listing_methods_parses_cards_sepa_and_voucher_accounts_and_sends_the_key_and_identification_headers()
 {
    let server = MockServer::start().await;
    let body = json!({
        "items": [
            {
                "id": "pm_card_1", "paymentGatewayId": "stripe",
                "holderEmail": "mario.rossi@example.it", "holderName": "Mario Rossi",
                "creditCard": {
                    "brand": "visa", "pan": "**** **** **** 4242", "expiration": "12/29",
                    "expirationMonth": 12, "expirationYear": 2029, "product": null
                },
                "directDebit": null,
                "createdAtUtc": "2024-05-01T10:00:00",
                "status": "Suspended"
            },
            {
                "id": "pm_sepa_1", "paymentGatewayId": "sepa", "holderName": "Mario Rossi",
                "creditCard": null,
                "directDebit": {
                    "accountId": "acct_1", "accountBic": "UNCRITMMXXX",
                    "accountIban": "IT60X0542811101000000123456"
                }
            },
            { "id": "pm_voucher_1", "paymentGatewayId": "edenred", "holderEmail": null }
        ],
        "pageNumber": 1, "pageSize": 20, "totalCount": 3
    });
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_42/payment_methods"))
        .and(header("voucherly-api-key", API_KEY))
        .and(header("x-voucherly-os", std::env::consts::OS))
        .and(header("x-voucherly-osversion", "unknown"))
        .and(header("x-voucherly-osframework", "actix-web"))
        .and(header("x-voucherly-app", "voucherly-account"))
        .and(header("x-voucherly-appversion", env!("CARGO_PKG_VERSION")))
        .and(header("x-voucherly-apphouse", "voucherly-account"))
        .and(header("x-voucherly-devicetype", "server"))
        .and(header(
            "user-agent",
            concat!("voucherly-account/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;

    let methods = client_for(&server)
        .list_payment_methods("cus_42")
        .await
        .unwrap();

    assert_eq!(methods.len(), 3);
    let card = methods[0].credit_card.as_ref().unwrap();
    assert_eq!(card.brand.as_deref(), Some("visa"));
    assert_eq!(card.pan.as_deref(), Some("**** **** **** 4242"));
    assert_eq!(
        (card.expiration_month, card.expiration_year),
        (Some(12), Some(2029))
    );
    assert_eq!(methods[0].direct_debit, None);
    let sepa = methods[1].direct_debit.as_ref().unwrap();
    assert_eq!(
        sepa.account_iban.as_deref(),
        Some("IT60X0542811101000000123456")
    );
    assert_eq!(methods[1].credit_card, None);
    assert_eq!(methods[2].id, "pm_voucher_1");
    assert_eq!(methods[2].payment_gateway_id.as_deref(), Some("edenred"));
    assert_eq!(
        (&methods[2].credit_card, &methods[2].direct_debit),
        (&None, &None)
    );
}

#[tokio::test]
async fn listing_gateways_asks_for_all_of_them_and_keeps_unknown_payment_actions_as_text() {
    let server = MockServer::start().await;
    let body = json!({"items": [
        {"id": "satispay", "name": "Satispay", "paymentAction": "REDIRECT", "isActive": true,
         "merchantConfiguration": {"defaultPaymentGatewayId": null, "isFallback": false}},
        {"id": "newpay", "name": "NewPay", "paymentAction": "QRCODE", "surprise": [1, 2]}
    ]});
    Mock::given(method("GET"))
        .and(path("/v1/payment_gateways"))
        .and(query_param("all", "true"))
        .and(header("voucherly-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;

    let gateways = client_for(&server).list_payment_gateways().await.unwrap();

    assert_eq!(gateways[0].payment_action, Some(PaymentAction::Redirect));
    assert_eq!(
        gateways[1].payment_action,
        Some(PaymentAction::Other("QRCODE".into()))
    );
}

#[tokio::test]
async fn a_401_means_the_key_is_wrong_which_is_a_configuration_problem() {
    let error = listing_error_for(ResponseTemplate::new(401).set_body_string("bad key")).await;
    assert!(matches!(error, VoucherlyError::Unauthorized), "{error:?}");
    assert!(error.is_configuration_problem());
}

#[tokio::test]
async fn a_403_also_means_the_key_is_wrong() {
    let error = listing_error_for(ResponseTemplate::new(403)).await;
    assert!(matches!(error, VoucherlyError::Unauthorized), "{error:?}");
}

#[tokio::test]
async fn a_404_means_not_found() {
    let error = listing_error_for(ResponseTemplate::new(404)).await;
    assert!(matches!(error, VoucherlyError::NotFound), "{error:?}");
    assert!(!error.is_configuration_problem());
}

#[tokio::test]
async fn server_errors_and_throttling_mean_voucherly_is_unavailable() {
    for status in [500, 502, 503, 429] {
        let error = listing_error_for(ResponseTemplate::new(status).set_body_string("oops")).await;
        assert!(
            matches!(error, VoucherlyError::Unavailable(_)),
            "{status}: {error:?}"
        );
        assert!(error.to_string().contains(&status.to_string()), "{error}");
        assert!(!error.is_configuration_problem());
    }
}

#[tokio::test]
async fn an_answer_slower_than_the_timeout_means_voucherly_is_unavailable() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": []}))
                .set_delay(Duration::from_secs(3)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), Duration::from_millis(300));

    let started = std::time::Instant::now();
    let error = client.list_payment_methods("cus_1").await.unwrap_err();

    assert!(matches!(error, VoucherlyError::Unavailable(_)), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the client waited too long"
    );
}

#[tokio::test]
async fn a_refused_connection_means_voucherly_is_unavailable() {
    // Bind then drop a listener: the port is free, so nothing answers on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client_at(&format!("http://127.0.0.1:{port}/"), Duration::from_secs(5));

    let error = client.list_payment_gateways().await.unwrap_err();

    assert!(matches!(error, VoucherlyError::Unavailable(_)), "{error:?}");
}

#[tokio::test]
async fn malformed_json_is_an_unexpected_answer() {
    let answer = ResponseTemplate::new(200).set_body_string(r#"{"items": [{"id": "pm_1""#);
    let error = listing_error_for(answer).await;
    assert!(
        matches!(error, VoucherlyError::UnexpectedAnswer(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_an_unexpected_answer() {
    let answer = ResponseTemplate::new(200).set_body_json(json!({"items": 3}));
    let error = listing_error_for(answer).await;
    assert!(
        matches!(error, VoucherlyError::UnexpectedAnswer(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_client_error_status_is_an_unexpected_answer_that_keeps_the_body_for_logs() {
    let answer = ResponseTemplate::new(400).set_body_string("customerId is invalid");
    let error = listing_error_for(answer).await;
    assert!(
        matches!(error, VoucherlyError::UnexpectedAnswer(_)),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("customerId is invalid"),
        "{error}"
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed_so_the_key_is_not_sent_elsewhere() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/customers/cus_1/payment_methods"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/elsewhere"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .expect(0)
        .mount(&server)
        .await;

    let error = client_for(&server)
        .list_payment_methods("cus_1")
        .await
        .unwrap_err();

    assert!(
        matches!(error, VoucherlyError::UnexpectedAnswer(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn creating_a_payment_sends_camel_case_json_without_absent_fields_and_parses_the_answer() {
    let server = MockServer::start().await;
    let request = CreatePaymentRequest {
        mode: Some(PaymentMode::Payment),
        reference_id: Some("order-1234".into()),
        metadata: BTreeMap::from([("orderId".into(), "1234".into())]),
        customer_id: Some("cus_42".into()),
        customer_payment_method_id: Some("pm_card_1".into()),
        redirect_ok_url: Some("https://shop.example/ok".into()),
        redirect_ko_url: Some("https://shop.example/ko".into()),
        callback_url: Some("https://shop.example/callback".into()),
        language: Some("it".into()),
        lines: vec![PaymentLine {
            quantity: 2,
            unit_amount: 395,
            tax_rate: Some(10.0),
            product_name: "Pizza margherita".into(),
            is_food: true,
            ..Default::default()
        }],
        ..Default::default()
    };
    let expected_body = json!({
        "mode": "Payment",
        "referenceId": "order-1234",
        "metadata": {"orderId": "1234"},
        "customerId": "cus_42",
        "customerPaymentMethodId": "pm_card_1",
        "redirectOkUrl": "https://shop.example/ok",
        "redirectKoUrl": "https://shop.example/ko",
        "callbackUrl": "https://shop.example/callback",
        "language": "it",
        "lines": [{
            "quantity": 2, "unitAmount": 395, "unitDiscountAmount": 0, "discountAmount": 0,
            "taxRate": 10.0, "productName": "Pizza margherita", "isFood": true
        }]
    });
    let answer = json!({
        "id": "pay_1", "tenant": "sandbox", "referenceId": "order-1234", "mode": "Payment",
        "customerId": "cus_42", "checkoutUrl": "https://checkout.voucherly.it/pay_1",
        "finalAmount": 790, "status": "Requested", "somethingNew": {"nested": true}
    });
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .and(header("content-type", "application/json"))
        .and(header("voucherly-api-key", API_KEY))
        .and(body_json(expected_body))
        .respond_with(ResponseTemplate::new(201).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;

    let payment = client_for(&server).create_payment(&request).await.unwrap();

    assert_eq!(payment.id, "pay_1");
    assert_eq!(payment.customer_id.as_deref(), Some("cus_42"));
    assert_eq!(
        payment.checkout_url.as_deref(),
        Some("https://checkout.voucherly.it/pay_1")
    );
    assert_eq!(payment.final_amount, Some(790));
    assert_eq!(payment.status, Some(PaymentStatus::Requested));
}

#[tokio::test]
async fn reading_a_payment_asks_for_its_lines_discounts_and_transactions() {
    let server = MockServer::start().await;
    let answer = json!({
        "id": "pay_1", "status": "Captured", "paidAmount": 790,
        "lines": [{"quantity": 2, "unitAmount": 395, "productName": "Pizza", "isFood": true,
                   "totalAmount": 790, "finalAmount": 790}],
        "discounts": [],
        "transactions": [{"id": "3f1c9a52-2d7e-4c1b-9a51-0e6f0b3d1a22",
                          "paymentGatewayId": "stripe", "amount": 790, "status": "Captured",
                          "creditCard": {"brand": "visa", "pan": "**** 4242"}}]
    });
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .and(query_param("include", "Lines"))
        .and(query_param("include", "Discounts"))
        .and(query_param("include", "Transactions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;

    let payment = client_for(&server).get_payment("pay_1").await.unwrap();

    assert!(payment.status.as_ref().is_some_and(PaymentStatus::is_paid));
    assert_eq!(payment.lines.unwrap()[0].total_amount, Some(790));
    let transactions = payment.transactions.unwrap();
    assert_eq!(transactions[0].amount, Some(790));
}

#[tokio::test]
async fn deleting_a_method_sends_delete_to_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/customers/cus_42/payment_methods/pm_card_1"))
        .and(header("voucherly-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client_for(&server)
        .delete_payment_method("cus_42", "pm_card_1")
        .await
        .unwrap();
}

#[tokio::test]
async fn ids_with_a_slash_or_a_question_mark_stay_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(
            "/v1/customers/cus%2F42/payment_methods/pm%3Fx=1%2F..%2F2",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;

    client_for(&server)
        .delete_payment_method("cus/42", "pm?x=1/../2")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_base_url_path_prefix_is_kept_with_or_without_a_trailing_slash() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sandbox/v1/payments/pay_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "pay_1"})))
        .expect(2)
        .mount(&server)
        .await;

    for base_url in [
        format!("{}/sandbox/", server.uri()),
        format!("{}/sandbox", server.uri()),
    ] {
        let client = client_at(&base_url, Duration::from_secs(5));
        assert_eq!(client.get_payment("pay_1").await.unwrap().id, "pay_1");
    }
}

#[tokio::test]
async fn the_api_key_never_appears_in_debug_output() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let printed = format!("{client:?} {client:#?}");
    assert!(!printed.contains(API_KEY), "{printed}");
    assert!(printed.contains(&server.uri()), "{printed}");
}

#[tokio::test]
async fn base_urls_that_cannot_hold_the_api_paths_are_refused() {
    for base_url in [
        "not a url",
        "ftp://api.voucherly.it/",
        "mailto:api@voucherly.it",
        "https://api.voucherly.it/?tenant=live",
        "https://user:pass@api.voucherly.it/",
    ] {
        let built = VoucherlyClient::new(
            base_url,
            SecretString::from(API_KEY),
            Duration::from_secs(1),
            Duration::from_secs(1),
        );
        assert!(built.is_err(), "{base_url}");
    }
}
