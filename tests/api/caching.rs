//! Voucherly's lists through the cache: one call for many concurrent pages, a fresh list after
//! the shopper removes a method, pays or comes back from a checkout, and the last known list,
//! saying as of when, when Voucherly hangs.

use std::time::{Duration, Instant};

use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, spawn_with};
use crate::paying::support::{
    EXPIRED_MASTERCARD, MARIO_CUSTOMER, VISA, created, mario_with, new_key, order_id, pay,
};
use crate::removing_methods::confirm_removal;

const METHODS_PATH: &str = "/v1/customers/cus_mario/payment_methods";

/// Voucherly lists `methods` for Mario, ahead of any list mounted before.
async fn mario_now_has(voucherly: &MockServer, methods: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(METHODS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "items": methods })))
        .with_priority(1)
        .mount(voucherly)
        .await;
}

fn edenred() -> serde_json::Value {
    json!({"id": "pm_edenred", "paymentGatewayId": "edenred"})
}

fn visa() -> serde_json::Value {
    json!({"id": VISA, "paymentGatewayId": "card", "creditCard":
        {"brand": "Visa", "pan": "************4242", "expirationMonth": 12, "expirationYear": 2099}})
}

fn mastercard() -> serde_json::Value {
    json!({"id": EXPIRED_MASTERCARD, "paymentGatewayId": "card", "creditCard":
        {"brand": "Mastercard", "pan": "************4444", "expirationMonth": 3, "expirationYear": 2023}})
}

async fn list_calls(voucherly: &MockServer) -> usize {
    voucherly
        .received_requests()
        .await
        .expect("recorded requests")
        .iter()
        .filter(|r| r.method.as_str() == "GET" && r.url.path() == METHODS_PATH)
        .count()
}

#[tokio::test]
async fn fifty_concurrent_loads_of_a_profile_make_one_call_to_voucherly() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(METHODS_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [mastercard()]}))
                .set_delay(Duration::from_millis(300)),
        )
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = crate::helpers::spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", MARIO_CUSTOMER);
    app.sign_in_as("demo-mario").await;

    let loads: Vec<_> = (0..50)
        .map(|_| {
            let (client, url) = (app.client.clone(), app.url("/account"));
            tokio::spawn(async move { client.get(url).send().await.expect("GET") })
        })
        .collect();
    for load in loads {
        let response = load.await.expect("a load");
        assert_eq!(response.status().as_u16(), 200);
        let html = response.text().await.expect("a body");
        assert!(html.contains("4444"), "every page lists the card");
    }
    // A later page within the cache period asks nobody either.
    assert!(app.get_html("/account").await.contains("4444"));
}

#[tokio::test]
async fn removing_a_method_drops_the_list_kept_for_the_shopper() {
    let voucherly = MockServer::start().await;
    let removals = crate::removing_methods::real_list(
        &voucherly,
        MARIO_CUSTOMER,
        json!([visa(), mastercard()]),
    )
    .await;
    Mock::given(method("DELETE"))
        .respond_with(removals.answering(ResponseTemplate::new(204)))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    assert!(app.get_html("/account").await.contains("4242"));
    assert!(app.get_html("/account").await.contains("4242"));
    assert_eq!(
        list_calls(&voucherly).await,
        1,
        "the second page used the kept list"
    );

    let removed = confirm_removal(&app, VISA).await;
    assert_eq!(removed.status().as_u16(), 303);

    let html = app.get_html("/account?notice=method_removed").await;
    assert!(!html.contains("4242"), "the removed card is gone: {html}");
    assert!(html.contains("4444"));
}

#[tokio::test]
async fn paying_drops_the_list_kept_for_the_shopper() {
    let voucherly = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("pay_1", MARIO_CUSTOMER))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    assert!(!app.get_html("/account").await.contains("pm_edenred"));
    // The shopper saves a meal-voucher account at the checkout.
    mario_now_has(&voucherly, json!([edenred()])).await;
    assert!(!app.get_html("/account").await.contains("pm_edenred"));

    let order = order_id(&app, "demo-1001");
    let paid = pay(&app, order, &new_key(), "checkout", &[]).await;
    assert_eq!(paid.status().as_u16(), 303);

    assert!(app.get_html("/account").await.contains("pm_edenred"));
}

#[tokio::test]
async fn coming_back_from_the_checkout_drops_the_list_kept_for_the_shopper() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_back"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_back", "status": "Requested", "customerId": MARIO_CUSTOMER
        })))
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1001");
    let reference = app.insert_payment(order, Some("pay_back"), "requested", now());
    assert!(!app.get_html("/account").await.contains("pm_edenred"));
    mario_now_has(&voucherly, json!([edenred()])).await;
    assert!(!app.get_html("/account").await.contains("pm_edenred"));

    let back = app.get(&format!("/payments/{reference}/return")).await;
    assert_eq!(back.status().as_u16(), 200);

    assert!(app.get_html("/account").await.contains("pm_edenred"));
}

// Demo only: it reads the page in both languages by the browser's; a hand-over (the sign-in
// without the demo) sets the session's language to the shopper's.
#[cfg(feature = "demo")]
#[tokio::test]
async fn when_voucherly_hangs_the_profile_shows_the_last_known_methods_within_three_seconds() {
    let voucherly = MockServer::start().await;
    let app = mario_asking_every_time(&voucherly).await;
    let html = app.get_html("/account").await;
    assert!(html.contains("4242") && !html.contains("aggiornati al"));

    Mock::given(method("GET"))
        .and(path(METHODS_PATH))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .with_priority(1)
        .mount(&voucherly)
        .await;
    for (language, as_of) in [
        (
            "it",
            "ecco i tuoi metodi di pagamento salvati, aggiornati al",
        ),
        ("en", "these are your saved payment methods as of"),
    ] {
        let started = Instant::now();
        let response = app
            .client
            .get(app.url("/account"))
            .header("Accept-Language", language)
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status().as_u16(), 200);
        let html = response.text().await.expect("a body");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert!(html.contains(as_of), "{html}");
        assert!(html.contains(r#"<time datetime=""#));
        assert!(html.contains("Visa") && html.contains("4242"), "{html}");
        // The pay forms still offer the card.
        assert!(html.contains(&format!(r#"value="{VISA}""#)));
    }
}

#[tokio::test]
async fn when_voucherly_hangs_and_nothing_is_known_the_profile_says_so_within_three_seconds() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(METHODS_PATH))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&voucherly)
        .await;
    let app = mario_asking_every_time(&voucherly).await;
    let started = Instant::now();
    let html = app.get_html("/account").await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        html.contains("Al momento non riusciamo a raggiungere Voucherly"),
        "{html}"
    );
    assert_eq!(list_calls(&voucherly).await, 1);
}

/// Mario, signed in, on an app that keeps no list (cache time 0) and waits up to 10 s for
/// Voucherly; Voucherly lists his Visa and an expired Mastercard.
async fn mario_asking_every_time(voucherly: &MockServer) -> TestApp {
    Mock::given(method("GET"))
        .and(path(METHODS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [
            {"id": VISA, "paymentGatewayId": "card", "creditCard":
                {"brand": "Visa", "pan": "************4242", "expirationMonth": 12, "expirationYear": 2099}},
            mastercard()
        ]})))
        .mount(voucherly)
        .await;
    let base_url = voucherly.uri();
    let app = spawn_with(move |settings| {
        settings.voucherly_api_key = Some(SecretString::from("sk_test_key"));
        settings.voucherly_base_url = Some(base_url);
        settings.voucherly_timeout = 10;
        settings.cache_seconds = 0;
        settings.demo = Some(true);
    })
    .await;
    app.link_customer("demo-mario", "sandbox", MARIO_CUSTOMER);
    app.sign_in_as("demo-mario").await;
    app
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        .try_into()
        .expect("a Unix time")
}
