//! Each instance keeps Voucherly's lists in memory, but a change made through one instance is
//! never shown stale by another for longer than one notification takes: a method removed on
//! one is gone from the other's page well within the cache's minute. The time it took is
//! printed (`--nocapture`) for the README's figure.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{another_instance, on_voucherly};
use crate::helpers::spawn_on_postgres_with;
use crate::paying::support::MARIO_CUSTOMER;
use crate::removing_methods::{confirm_removal, real_list};

const VISA: &str = "pm_visa";
const AMEX: &str = "pm_amex";

#[tokio::test]
async fn a_method_removed_on_one_instance_is_gone_from_the_others_page_at_once() {
    let voucherly = MockServer::start().await;
    let removals = real_list(
        &voucherly,
        MARIO_CUSTOMER,
        json!([
            {"id": VISA, "paymentGatewayId": "card", "creditCard":
                {"brand": "visa", "pan": "************4242", "expirationMonth": 12, "expirationYear": 2099}},
            {"id": AMEX, "paymentGatewayId": "card", "creditCard":
                {"brand": "amex", "pan": "***********0005", "expirationMonth": 11, "expirationYear": 2098}}
        ]),
    )
    .await;
    Mock::given(method("DELETE"))
        .and(path(format!(
            "/v1/customers/{MARIO_CUSTOMER}/payment_methods/{AMEX}"
        )))
        .respond_with(removals.answering(ResponseTemplate::new(200)))
        .mount(&voucherly)
        .await;
    let a = spawn_on_postgres_with(on_voucherly(&voucherly)).await;
    let b = another_instance(&a, on_voucherly(&voucherly)).await;
    a.link_customer("demo-mario", "sandbox", MARIO_CUSTOMER);
    a.sign_in_as("demo-mario").await;
    let on_b = || async {
        let page = a.client.get(format!("{b}/account")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        page.text().await.unwrap()
    };
    // The other instance has the list with both cards in its cache.
    assert!(on_b().await.contains("0005"));

    let removed = confirm_removal(&a, AMEX).await;
    assert_eq!(removed.status(), 303);
    let answered = Instant::now();
    assert!(
        !a.get_html("/account").await.contains("0005"),
        "stale where removed"
    );
    loop {
        if !on_b().await.contains("0005") {
            break;
        }
        assert!(
            answered.elapsed() < Duration::from_secs(5),
            "the other instance still shows the removed card (its cache keeps a list a minute)"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    println!(
        "the other instance dropped the removed card {:?} after the removal's answer",
        answered.elapsed()
    );
}

/// The profile page on the instance at `address`, with Mario's session.
async fn profile_on(api: &crate::store_api::StoreApi, address: &str) -> String {
    let page = api
        .app
        .client
        .get(format!("{address}/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    page.text().await.unwrap()
}

#[tokio::test]
async fn an_order_cancelled_through_one_instance_leaves_its_next_page_and_the_others_within_a_notification()
 {
    let api = crate::store_api::with_generated_key(spawn_on_postgres_with(|_| {}).await);
    let a = api.app.address.clone();
    let b = another_instance(&api.app, |_| {}).await;
    api.app.sign_in_as("demo-mario").await;
    for _ in 0..2 {
        for instance in [&a, &b] {
            assert!(profile_on(&api, instance).await.contains("demo-1001"));
        }
    }

    let cancelled = api.cancel("demo-1001", None).await;
    assert_eq!(cancelled.status().as_u16(), 200);
    let answered = Instant::now();

    assert!(
        !profile_on(&api, &a).await.contains("demo-1001"),
        "stale on the instance that cancelled it"
    );
    while profile_on(&api, &b).await.contains("demo-1001") {
        assert!(
            answered.elapsed() < Duration::from_secs(5),
            "the other instance still shows the cancelled order"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    println!(
        "the other instance dropped the cancelled order {:?} after the cancel's answer",
        answered.elapsed()
    );
}

/// The status the store API shows of `store_order_id` on the instance at `address`.
async fn order_status_on(api: &crate::store_api::StoreApi, address: &str, id: &str) -> String {
    let order: serde_json::Value = reqwest::Client::new()
        .get(format!("{address}/api/v1/orders/{id}"))
        .bearer_auth(&api.key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    order["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_order_cancelled_through_one_instance_reads_back_cancelled_from_the_others_within_a_notification()
 {
    let api = crate::store_api::with_generated_key(spawn_on_postgres_with(|_| {}).await);
    let a = api.app.address.clone();
    let b = another_instance(&api.app, |_| {}).await;
    for _ in 0..3 {
        for instance in [&a, &b] {
            let status = order_status_on(&api, instance, "demo-1001").await;
            assert_eq!(status, "awaiting_payment");
        }
    }

    let cancelled = api.cancel("demo-1001", None).await;
    assert_eq!(cancelled.status().as_u16(), 200);
    let answered = Instant::now();

    let on_a = order_status_on(&api, &a, "demo-1001").await;
    assert_eq!(on_a, "cancelled", "stale on the instance that cancelled it");
    while order_status_on(&api, &b, "demo-1001").await != "cancelled" {
        assert!(
            answered.elapsed() < Duration::from_secs(5),
            "the other instance still shows the order awaiting payment"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
