//! A spoofed callback costs nothing: no Voucherly call for a payment we never created, a bounded
//! inbox, and ids that cannot climb out of `v1/payments/`.

use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::durable::inbox_rows;
use crate::helpers::{TestApp, spawn_with};

pub const TOKEN: &str = "metrics-secret-token";

pub async fn spawn(voucherly: &MockServer, cap: u64) -> TestApp {
    let base_url = voucherly.uri();
    spawn_with(move |settings| {
        settings.voucherly_api_key = Some(SecretString::from("sk_test_key"));
        settings.voucherly_base_url = Some(base_url);
        settings.voucherly_timeout = 2;
        settings.demo = Some(true);
        settings.callback_inbox_cap = cap;
        settings.metrics_token = Some(SecretString::from(TOKEN));
    })
    .await
}

pub async fn metric(app: &TestApp, series: &str) -> f64 {
    let text = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |value| value.parse().unwrap())
}

/// Calls to Voucherly about payments (at start-up the app also lists the gateways).
async fn payment_reads(voucherly: &MockServer) -> usize {
    let calls = voucherly.received_requests().await.unwrap();
    calls
        .iter()
        .filter(|call| call.url.path().starts_with("/v1/payments"))
        .count()
}

async fn post(client: &reqwest::Client, url: &str, body: &Value) -> (u16, Value) {
    let response = client.post(url).json(body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_thousand_spoofed_callbacks_make_no_voucherly_call_and_leave_the_inbox_empty() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&voucherly)
        .await;
    let app = spawn(&voucherly, 100).await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    app.insert_payment(order, Some("pay_ours"), "requested", 1_000);

    let mut senders = tokio::task::JoinSet::new();
    for sender in 0..20 {
        let (client, url) = (app.client.clone(), app.url("/payments/callback"));
        senders.spawn(async move {
            for n in 0..50 {
                let id = format!("pay_spoof_{sender}_{n}");
                // Half name a reference too, half only an id.
                let body = if n % 2 == 0 {
                    json!({"id": id, "referenceId": format!("ref-{sender}-{n}"), "mode": "Payment"})
                } else {
                    json!({"id": id})
                };
                let answer = json!({"ok": false, "error": "unknown payment", "stop": true});
                assert_eq!(post(&client, &url, &body).await, (200, answer));
            }
        });
    }
    while let Some(sent) = senders.join_next().await {
        sent.unwrap();
    }

    let calls = payment_reads(&voucherly).await;
    assert_eq!(calls, 0, "reads of payments at Voucherly");
    assert_eq!(inbox_rows(&app), 0);
    let dropped = metric(
        &app,
        "voucherly_account_callbacks_total{outcome=\"not_ours\"}",
    )
    .await;
    assert!(dropped >= 1000.0, "{dropped}");
}

#[tokio::test]
async fn the_inbox_keeps_at_most_its_cap_and_counts_what_it_turned_away() {
    let voucherly = MockServer::start().await;
    // Voucherly down: every kept callback stays waiting.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&voucherly)
        .await;
    let app = spawn(&voucherly, 3).await;
    let full_before = metric(
        &app,
        "voucherly_account_callbacks_total{outcome=\"inbox_full\"}",
    )
    .await;
    for n in 1..=5 {
        let order = app.insert_order("demo-mario", &format!("A-{n}"), 1290);
        app.insert_payment(order, Some(&format!("pay_{n}")), "requested", 1_000);
    }

    let url = app.url("/payments/callback");
    for n in 1..=5 {
        let body = json!({"id": format!("pay_{n}")});
        assert_eq!(
            post(&app.client, &url, &body).await,
            (200, json!({"ok": true})),
            "pay_{n}: the reconciler still re-reads it"
        );
    }
    // Heard again, a waiting callback takes no more room.
    assert_eq!(
        post(&app.client, &url, &json!({"id": "pay_1"})).await,
        (200, json!({"ok": true}))
    );

    assert_eq!(inbox_rows(&app), 3);
    assert_eq!(
        metric(&app, "voucherly_account_callback_inbox_cap").await,
        3.0
    );
    let full = metric(
        &app,
        "voucherly_account_callbacks_total{outcome=\"inbox_full\"}",
    )
    .await;
    assert!(full - full_before >= 2.0, "{full_before} → {full}");
}

#[tokio::test]
async fn ids_that_are_dots_or_carry_a_slash_are_refused_without_a_voucherly_call() {
    let voucherly = MockServer::start().await;
    let app = spawn(&voucherly, 100).await;
    let url = app.url("/payments/callback");

    for id in ["..", ".", "a/../..", "pay 1", "pay_1?x=1", "%2e%2e"] {
        let (status, body) = post(&app.client, &url, &json!({"id": id})).await;
        assert_eq!(status, 400, "{id}");
        assert_eq!(body["ok"], false, "{id}");
    }
    assert_eq!(payment_reads(&voucherly).await, 0);
    assert_eq!(inbox_rows(&app), 0);
}
