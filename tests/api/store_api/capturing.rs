//! A store that captures later: authorised payments are listed, captured or released through
//! the store API, and the order tells authorised from captured.

use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{StoreApi, json_of, with_generated_key};
use crate::callbacks::{reads_back, voucherly_payment};
use crate::helpers::spawn_with;

async fn store_capturing_later(voucherly: &MockServer) -> StoreApi {
    let base_url = voucherly.uri();
    with_generated_key(
        spawn_with(move |settings| {
            settings.voucherly_api_key = Some(secrecy::SecretString::from("sk_sand_key"));
            settings.voucherly_base_url = Some(base_url);
            settings.voucherly_timeout = 2;
            settings.demo = Some(true);
            settings.capture = voucherly_account::app::payments::Capture::Later;
        })
        .await,
    )
}

/// Order `store_order_id` of Mario, paid by `pay_id` and only authorised.
async fn authorised_order(
    api: &StoreApi,
    voucherly: &MockServer,
    store_order_id: &str,
    pay_id: &str,
) {
    let order = api.app.insert_order("demo-mario", store_order_id, 1290);
    let reference = api
        .app
        .insert_payment(order, Some(pay_id), "requested", 1_000);
    let _read = reads_back(pay_id, voucherly_payment(pay_id, &reference, "Paid"), 1)
        .mount_as_scoped(voucherly)
        .await;
    api.app.post_callback(&json!({"id": pay_id})).await;
    assert_eq!(api.app.payment_row(&reference).status, "authorised");
}

fn answers(action: &str, pay_id: &str, status: &str) -> Mock {
    Mock::given(method("POST"))
        .and(path(format!("/v1/payments/{pay_id}/{action}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": pay_id, "status": status})),
        )
        .expect(1)
}

#[tokio::test]
async fn authorisations_are_listed_then_captured_or_released_by_the_store() {
    let voucherly = MockServer::start().await;
    let api = store_capturing_later(&voucherly).await;
    authorised_order(&api, &voucherly, "A-1", "pay_1").await;
    authorised_order(&api, &voucherly, "A-2", "pay_2").await;

    let listed = json_of(
        api.request(Method::GET, "/api/v1/authorisations")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let orders: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["store_order_id"].as_str().unwrap())
        .collect();
    assert_eq!(orders, ["A-1", "A-2"]);
    assert_eq!(
        json_of(api.get_order("A-1").await).await["status"],
        "authorised"
    );

    answers("confirm", "pay_1", "Confirmed")
        .mount(&voucherly)
        .await;
    let captured = api
        .request(Method::POST, "/api/v1/orders/A-1/capture")
        .send()
        .await
        .unwrap();
    assert_eq!(captured.status().as_u16(), 200);
    assert_eq!(json_of(captured).await["status"], "paid");

    answers("refund", "pay_2", "Cancelled")
        .mount(&voucherly)
        .await;
    let released = api
        .request(Method::POST, "/api/v1/orders/A-2/release")
        .send()
        .await
        .unwrap();
    assert_eq!(released.status().as_u16(), 200);
    assert_eq!(json_of(released).await["status"], "refunded");

    let listed = json_of(
        api.request(Method::GET, "/api/v1/authorisations")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(listed["items"], json!([]));
    // Nothing is left to capture: a second capture is refused and Voucherly is not asked.
    let again = api
        .request(Method::POST, "/api/v1/orders/A-1/capture")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 409);
}

#[tokio::test]
async fn a_capture_voucherly_cannot_make_now_is_a_503_and_the_order_stays_authorised() {
    let voucherly = MockServer::start().await;
    let api = store_capturing_later(&voucherly).await;
    authorised_order(&api, &voucherly, "A-1", "pay_1").await;
    Mock::given(method("POST"))
        .and(path("/v1/payments/pay_1/confirm"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&voucherly)
        .await;

    let response = api
        .request(Method::POST, "/api/v1/orders/A-1/capture")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(
        json_of(api.get_order("A-1").await).await["status"],
        "authorised"
    );
}
