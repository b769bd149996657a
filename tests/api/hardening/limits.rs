//! Rate limits with 429 and Retry-After, counted in the database; client addresses from
//! X-Forwarded-For only behind a proxy named in the settings.

use reqwest::header::AUTHORIZATION;

use crate::helpers::{spawn_app, spawn_with};

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn wrong_store_api_keys_are_limited_per_client() {
    let app = spawn_app().await;
    let wrong = || {
        app.client
            .get(app.url("/api/v1/orders/A-1"))
            .header(AUTHORIZATION, "Bearer wrong-key-wrong-key-wrong-key-wrong")
            .send()
    };
    for _ in 0..30 {
        assert_eq!(wrong().await.unwrap().status(), 401);
    }
    let limited = wrong().await.unwrap();
    assert_eq!(limited.status(), 429);
    assert!((1..=60).contains(&retry_after(&limited)));
    assert_eq!(limited.headers()["cache-control"], "no-store");
    let body: serde_json::Value = limited.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests");
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn demo_sign_ins_are_limited_per_client() {
    let app = spawn_app().await;
    // Each time a new browser, from the same address.
    let sign_in = || async {
        let browser = crate::helpers::browser();
        let page = browser.get(app.url("/")).send().await.unwrap();
        let token = crate::helpers::csrf_token_in(&page.text().await.unwrap());
        browser
            .post(app.url("/demo/sign-in"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("store_user_id", "demo-luca"),
            ])
            .send()
            .await
            .unwrap()
    };
    for _ in 0..20 {
        assert_eq!(sign_in().await.status(), 303);
    }
    let limited = sign_in().await;
    assert_eq!(limited.status(), 429);
    assert!(retry_after(&limited) >= 1);
    assert!(limited.text().await.unwrap().contains("Troppi tentativi"));
}

#[tokio::test]
async fn handover_attempts_are_limited_per_client() {
    let app = spawn_app().await;
    for _ in 0..30 {
        assert_eq!(app.get("/handover/guessed-token").await.status(), 404);
    }
    let limited = app.get("/handover/guessed-token").await;
    assert_eq!(limited.status(), 429);
    assert!(retry_after(&limited) >= 1);
}

#[tokio::test]
async fn a_forwarded_address_counts_only_behind_a_named_proxy() {
    // Without a named proxy, X-Forwarded-For is the client's own claim: ignored.
    let app = spawn_app().await;
    for i in 0..30 {
        let response = app
            .client
            .get(app.url("/handover/guessed-token"))
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }
    let spoofed = app
        .client
        .get(app.url("/handover/guessed-token"))
        .header("x-forwarded-for", "198.51.100.7")
        .send()
        .await
        .unwrap();
    assert_eq!(
        spoofed.status(),
        429,
        "a made-up address does not reset the count"
    );

    // Behind a named proxy (here the loopback the tests connect from), each client counts.
    let app = spawn_with(|settings| {
        settings.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    for _ in 0..30 {
        let response = app
            .client
            .get(app.url("/handover/guessed-token"))
            .header("x-forwarded-for", "203.0.113.1")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }
    let other_client = app
        .client
        .get(app.url("/handover/guessed-token"))
        .header("x-forwarded-for", "203.0.113.2")
        .send()
        .await
        .unwrap();
    assert_eq!(other_client.status(), 404);
    let first_client_again = app
        .client
        .get(app.url("/handover/guessed-token"))
        .header("x-forwarded-for", "203.0.113.1")
        .send()
        .await
        .unwrap();
    assert_eq!(first_client_again.status(), 429);
}

#[tokio::test]
async fn pay_submissions_are_limited_per_shopper() {
    let voucherly = wiremock::MockServer::start().await;
    let app = crate::paying::support::mario_with(&voucherly).await;
    let token = app.csrf_token("/account").await;
    // Unknown orders: refused quickly, but still counted.
    for _ in 0..30 {
        let response = app
            .post_form(
                "/account/orders/999999/pay",
                &[
                    ("csrf_token", &token),
                    ("idempotency_key", &uuid()),
                    ("method_id", ""),
                ],
            )
            .await;
        assert_ne!(response.status(), 429);
    }
    let limited = app
        .post_form(
            "/account/orders/999999/pay",
            &[
                ("csrf_token", &token),
                ("idempotency_key", &uuid()),
                ("method_id", ""),
            ],
        )
        .await;
    assert_eq!(limited.status(), 429);
}

fn uuid() -> String {
    crate::paying::support::new_key()
}
