//! How Voucherly's failures become errors: statuses, timeouts, refused connections, bad JSON and
//! redirects.

use std::time::Duration;

use serde_json::json;
use voucherly_account::voucherly::VoucherlyError;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_at, client_for};

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
async fn a_client_error_status_is_a_refusal_that_keeps_the_body_for_logs() {
    let answer = ResponseTemplate::new(400).set_body_string("customerId is invalid");
    let error = listing_error_for(answer).await;
    assert!(
        matches!(error, VoucherlyError::Refused { status: 400, .. }),
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

/// openapi.yaml declares error bodies `application/json`; RFC 7807's `application/problem+json`
/// is read the same. A confirm's 424, or 422 with `operations`, is `Interrupted` (resend as
/// is); its 400 and a 422 without them are `Refused`, with the problem's `code`.
#[tokio::test]
async fn confirm_errors_are_sorted_by_whether_resending_can_help() {
    let operations = json!([{"transactionId": "t1", "paymentGatewayId": "STRIPE", "amount": 300}]);
    for (status, content_type, body, interrupted, code) in [
        (
            424,
            "application/problem+json",
            json!({"code": "FAILED_DEPENDENCY", "operations": operations}),
            true,
            "FAILED_DEPENDENCY",
        ),
        (
            422,
            "application/json",
            json!({"code": "IMPOSSIBLE_REFUND", "operations": operations}),
            true,
            "IMPOSSIBLE_REFUND",
        ),
        (
            422,
            "application/problem+json",
            json!({"code": "CANNOT_ALLOCATE"}),
            false,
            "CANNOT_ALLOCATE",
        ),
        (
            400,
            "application/json",
            json!({"code": "QUANTITY_EXCEEDS_ORDERED", "line": 0}),
            false,
            "QUANTITY_EXCEEDS_ORDERED",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/payments/pay_1/confirm"))
            .respond_with(
                ResponseTemplate::new(status).set_body_raw(body.to_string(), content_type),
            )
            .expect(1)
            .mount(&server)
            .await;
        let error = client_for(&server)
            .confirm_payment("pay_1")
            .await
            .expect_err("refused");
        let found = match &error {
            VoucherlyError::Interrupted { code, .. } if interrupted => code.as_deref(),
            VoucherlyError::Refused { code, .. } if !interrupted => code.as_deref(),
            _ => None,
        };
        assert_eq!(found, Some(code), "{status}: {error:?}");
    }
}
