//! Money with two instances on one database: a form submitted many times at once, spread over
//! both, makes one Voucherly payment (and the shopper's rate limit counts them all); a callback heard by one and the return page shown by the
//! other agree.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{another_instance, on_voucherly};
use crate::callbacks::{reads_back, voucherly_payment};
use crate::helpers::{location, spawn_on_postgres_with};
use crate::paying::support::{
    MARIO_CUSTOMER, VISA, create_bodies, created, new_key, order_id, payment_records,
};

/// Voucherly knows Mario (`cus_mario`) with his Visa, and creates a payment slowly enough for
/// the submits to overlap.
async fn voucherly() -> MockServer {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/customers/{MARIO_CUSTOMER}/payment_methods")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [
            {"id": VISA, "paymentGatewayId": "card", "creditCard":
                {"brand": "Visa", "pan": "************4242", "expirationMonth": 12, "expirationYear": 2099}}
        ]})))
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(
            created("pay_1", MARIO_CUSTOMER).set_delay(std::time::Duration::from_millis(200)),
        )
        .mount(&voucherly)
        .await;
    voucherly
}

#[tokio::test]
async fn a_hundred_submits_of_one_form_spread_over_two_instances_make_one_payment() {
    let voucherly = voucherly().await;
    let a = spawn_on_postgres_with(on_voucherly(&voucherly)).await;
    let b = another_instance(&a, on_voucherly(&voucherly)).await;
    a.link_customer("demo-mario", "sandbox", MARIO_CUSTOMER);
    a.sign_in_as("demo-mario").await;
    let order = order_id(&a, "demo-1001");
    let csrf = a.csrf_token("/account").await;
    let key = new_key();

    let submits = (0..100).map(|n| {
        let base = if n % 2 == 0 {
            a.address.clone()
        } else {
            b.clone()
        };
        let request = a
            .client
            .post(format!("{base}/account/orders/{order}/pay"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("idempotency_key", key.as_str()),
                ("method_id", VISA),
            ]);
        tokio::spawn(async move { request.send().await.unwrap() })
    });
    let answers: Vec<_> = futures_answers(submits.collect()).await;

    assert_eq!(
        create_bodies(&voucherly).await.len(),
        1,
        "one Voucherly payment"
    );
    assert_eq!(payment_records(&a).len(), 1, "one payment record");
    // The shopper's rate limit is shared too: 30 submits a minute, whichever instance.
    let served: Vec<_> = answers.iter().filter(|a| a.status() == 303).collect();
    assert_eq!(served.len(), 30, "served past the shared rate limit");
    for answer in served {
        assert_eq!(location(answer), "https://checkout.example/pay_1");
    }
    assert!(
        answers
            .iter()
            .all(|a| a.status() == 303 || a.status() == 429)
    );
}

/// Waits for every spawned submit.
async fn futures_answers(
    tasks: Vec<tokio::task::JoinHandle<reqwest::Response>>,
) -> Vec<reqwest::Response> {
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

#[tokio::test]
async fn a_callback_heard_by_one_instance_and_the_return_page_of_the_other_agree() {
    let voucherly = MockServer::start().await;
    let a = spawn_on_postgres_with(on_voucherly(&voucherly)).await;
    let b = another_instance(&a, on_voucherly(&voucherly)).await;
    let order = a.insert_order("demo-mario", "A-1", 1290);
    let reference = a.insert_payment(order, Some("pay_1"), "requested", 1_000);
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;

    let answer = a.post_callback(&json!({"id": "pay_1"})).await;
    assert_eq!(answer.status(), 200);
    a.sign_in_as("demo-mario").await;
    let page = a
        .client
        .get(format!("{b}/payments/{reference}/return"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Pagamento riuscito"), "{html}");
    assert_eq!(a.payment_row(&reference).status, "paid");
    assert_eq!(a.order_status(order), "paid");
}
