//! Listing payment methods and gateways, the headers every call sends, and the key kept out of
//! debug output.

use serde_json::json;
use voucherly_account::voucherly::types::PaymentAction;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{API_KEY, client_for};

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
async fn the_api_key_never_appears_in_debug_output() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let printed = format!("{client:?} {client:#?}");
    assert!(!printed.contains(API_KEY), "{printed}");
    assert!(printed.contains(&server.uri()), "{printed}");
}

#[tokio::test]
async fn every_page_of_a_customers_methods_is_read_newest_first() {
    let server = MockServer::start().await;
    let method = |id: &str| json!({"id": id, "paymentGatewayId": "card"});
    Mock::given(path("/v1/customers/cus_1/payment_methods"))
        .and(query_param("start", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [method("pm_c")],
            "pagination": {"hasMore": false, "nextStart": null}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers/cus_1/payment_methods"))
        .and(query_param("length", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [method("pm_a"), method("pm_b")],
            "pagination": {"hasMore": true, "nextStart": 2}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let ids: Vec<String> = client_for(&server)
        .list_payment_methods("cus_1")
        .await
        .expect("a list")
        .into_iter()
        .map(|method| method.id)
        .collect();
    assert_eq!(ids, ["pm_a", "pm_b", "pm_c"]);
}
