//! Creating and reading payments, and deleting a payment method.

use std::collections::BTreeMap;

use serde_json::json;
use voucherly_account::voucherly::types::{
    CompletionMode, CreatePaymentRequest, LineType, NewPaymentLine, PaymentMode, PaymentProduct,
    PaymentStatus, TransactionStatus,
};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{API_KEY, client_for};

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
        completion_mode: Some(CompletionMode::Standard),
        timeout: Some(900),
        lines: vec![NewPaymentLine {
            quantity: 2,
            unit_amount: 395,
            external_id: Some("1".into()),
            product: PaymentProduct {
                external_id: Some("SKU-7".into()),
                name: Some("Pizza margherita".into()),
                tax_rate: Some(10.0),
                line_type: Some(LineType::Food),
                ..Default::default()
            },
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
        "completionMode": "Standard",
        "timeout": 900,
        "lines": [{
            "quantity": 2, "unitAmount": 395, "unitDiscountAmount": 0, "externalId": "1",
            "product": {"externalId": "SKU-7", "name": "Pizza margherita", "taxRate": 10.0,
                        "lineType": "Food"}
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
        "lines": [{"quantity": 2, "unitAmount": 395, "productName": "Pizza", "lineType": "Food",
                   "productExternalId1": "SKU-7", "externalId": "1", "finalAmount": 790}],
        "discounts": [],
        "transactions": [{"id": "3f1c9a52-2d7e-4c1b-9a51-0e6f0b3d1a22",
                          "paymentGatewayId": "stripe", "amount": 790, "status": "Reversed",
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
    let line = &payment.lines.unwrap()[0];
    assert_eq!(
        (line.final_amount, line.line_type.clone()),
        (Some(790), Some(LineType::Food))
    );
    let transactions = payment.transactions.unwrap();
    assert_eq!(transactions[0].amount, Some(790));
    assert_eq!(transactions[0].status, Some(TransactionStatus::Reversed));
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
