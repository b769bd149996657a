//! The request paths and the base URL: escaped ids, a kept path prefix, refused base URLs.

use std::time::Duration;

use secrecy::SecretString;
use serde_json::json;
use voucherly_account::voucherly::VoucherlyClient;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{API_KEY, client_at, client_for};

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

#[tokio::test]
async fn dot_and_empty_ids_never_reach_voucherly_and_a_slash_stays_inside_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/a%2F..%2Fb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a/../b"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);

    // `v1/payments/..` would be `v1/`, one level up: refused before any call.
    for id in ["..", ".", ""] {
        let error = client.get_payment(id).await.unwrap_err();
        assert_eq!(error.kind(), "unexpected", "{id:?}");
        assert!(client.void_payment(id).await.is_err(), "{id:?}");
    }
    assert_eq!(client.get_payment("a/../b").await.unwrap().id, "a/../b");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "{received:?}");
}
