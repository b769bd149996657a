//! `/metrics`: off by default, protected when on, and its numbers move as the app works.

// Some of these tests need the embedded sandbox or the demo: without the `demo` feature,
// what only they use goes unused.
#![cfg_attr(not(feature = "demo"), allow(unused_imports, dead_code))]

use secrecy::SecretString;

use crate::helpers::{TestApp, spawn_app, spawn_with};
use crate::paying::support::{new_key, order_id, pay};

const TOKEN: &str = "metrics-secret-token";

pub async fn with_token() -> TestApp {
    spawn_with(|settings| settings.metrics_token = Some(SecretString::from(TOKEN))).await
}

pub async fn scrape(app: &TestApp) -> String {
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = response.text().await.unwrap();
    assert!(text.ends_with("# EOF\n"), "{text}");
    text
}

/// The value of the sample `name{labels}` (labels as written, in order), 0 when absent.
pub fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(|value| value.split(' ').next().unwrap().parse().unwrap())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn there_are_no_metrics_unless_configured() {
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics").await.status().as_u16(), 404);
}

#[tokio::test]
async fn metrics_need_the_bearer_token() {
    let app = with_token().await;
    assert_eq!(app.get("/metrics").await.status().as_u16(), 401);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("metrics-secret-tokeN")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    assert_eq!(wrong.headers()["www-authenticate"], "Bearer");
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn request_voucherly_and_cache_counters_move_as_the_app_is_used() {
    let app = with_token().await;
    let health =
        r#"voucherly_account_http_requests_total{method="GET",route="/health",status="200"}"#;
    let methods_ok = r#"voucherly_account_voucherly_calls_total{endpoint="GET v1/customers/{id}/payment_methods",outcome="ok"}"#;
    let latency =
        r#"voucherly_account_http_request_duration_seconds_count{method="GET",route="/account"}"#;
    let cache_hit = r#"voucherly_account_cache_lookups_total{cache="saved_methods",result="hit"}"#;
    let cache_miss =
        r#"voucherly_account_cache_lookups_total{cache="saved_methods",result="miss"}"#;
    let known_file = r#"voucherly_account_http_requests_total{method="GET",route="/static/style.css",status="200"}"#;
    let other_file = r#"voucherly_account_http_requests_total{method="GET",route="/static/{name}",status="404"}"#;
    let before = scrape(&app).await;

    for _ in 0..3 {
        assert_eq!(app.get("/health").await.status().as_u16(), 200);
    }
    assert_eq!(app.get("/static/style.css").await.status().as_u16(), 200);
    assert_eq!(app.get("/static/missing.css").await.status().as_u16(), 404);
    app.sign_in_as("demo-mario").await;
    app.get_html("/account").await;
    // The saved methods fetched for the first page are kept for the second: one call.
    app.get_html("/account").await;

    let after = scrape(&app).await;
    let moved = |series: &str, by: f64| sample(&after, series) >= sample(&before, series) + by;
    assert!(moved(health, 3.0), "{after}");
    assert!(moved(known_file, 1.0), "a known file by its path: {after}");
    assert!(moved(other_file, 1.0), "any other by the pattern: {after}");
    assert!(moved(methods_ok, 1.0), "{after}");
    assert!(moved(cache_miss, 1.0), "{after}");
    assert!(moved(latency, 2.0), "{after}");
    assert!(moved(cache_hit, 1.0), "{after}");
    let bucket = r#"voucherly_account_voucherly_call_duration_seconds_bucket{le="20.48",endpoint="GET v1/customers/{id}/payment_methods"}"#;
    assert!(
        moved(bucket, 1.0),
        "a latency histogram per endpoint: {after}"
    );
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn backlogs_are_read_from_the_database_at_each_scrape() {
    let app = with_token().await;
    let before = scrape(&app).await;
    assert_eq!(
        sample(&before, "voucherly_account_reconciler_backlog"),
        0.0,
        "{before}"
    );

    // A payment left at the checkout is one the reconciler has to settle.
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");
    assert_eq!(
        pay(&app, order, &new_key(), "checkout", &[])
            .await
            .status()
            .as_u16(),
        303
    );

    let after = scrape(&app).await;
    assert_eq!(
        sample(&after, "voucherly_account_reconciler_backlog"),
        1.0,
        "{after}"
    );
    assert!(
        after.contains("voucherly_account_outbox_backlog "),
        "{after}"
    );
}

#[tokio::test]
async fn metrics_can_live_on_a_separate_address_of_their_own() {
    let app = spawn_with(|settings| settings.metrics_bind = Some("127.0.0.1:0".into())).await;
    // Not on the app's own address...
    assert_eq!(app.get("/metrics").await.status().as_u16(), 404);
    // ...but on the metrics address, which serves nothing else.
    let metrics = app.metrics_address.clone().expect("a metrics address");
    let response = reqwest::get(format!("{metrics}/metrics")).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("voucherly_account_outbox_backlog")
    );
    let other = reqwest::get(format!("{metrics}/account")).await.unwrap();
    assert_eq!(other.status().as_u16(), 404);
}
