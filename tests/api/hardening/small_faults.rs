//! The smaller faults a round of probes found: personal downloads kept by no cache, a short idle
//! timeout extended by activity, the 404 page in the shopper's language, and `GET` on the demo
//! store's POST-only routes answered 405.

use crate::helpers::{spawn_app, spawn_with};

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_csv_history_and_receipts_are_kept_by_no_cache_and_static_files_still_are() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let reference = crate::receipts::pay_and_approve(&app).await;

    for path in [
        "/account/payments.csv".to_owned(),
        format!("/account/payments/{reference}/receipt"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let style = app.get("/static/style.css").await;
    assert_ne!(style.headers()["cache-control"], "no-store");
}

/// The shopper's stored idle deadline.
fn stored_deadline(app: &crate::helpers::TestApp) -> i64 {
    app.db().value("SELECT expires_at FROM sessions", &[])
}

#[tokio::test]
async fn a_one_minute_idle_timeout_is_extended_by_activity_every_35_seconds() {
    let app = spawn_with(|settings| settings.session_idle_minutes = 1).await;
    app.sign_in_as("demo-mario").await;
    for _ in 0..4 {
        let before = stored_deadline(&app);
        app.time_passes(35);
        let response = app.get("/account").await;
        assert_eq!(response.status().as_u16(), 200, "still signed in");
        // The deadline is moved in the background; 35 seconds later it has long been.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while stored_deadline(&app) < before + 35 {
            assert!(
                std::time::Instant::now() < deadline,
                "not extended by the request"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    let expires_at = stored_deadline(&app);
    let now = time::OffsetDateTime::now_utc().unix_timestamp() + 4 * 35;
    assert!(
        expires_at >= now + 55,
        "{expires_at} vs {now}: extended by the last request"
    );
}

#[tokio::test]
async fn the_404_page_speaks_the_language_the_shopper_chose() {
    let app = spawn_app().await;
    app.choose_language("/", "en", "/").await;
    let response = app
        .client
        .get(app.url("/nowhere"))
        .header("Accept-Language", "it")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<html lang="en">"#), "{html}");
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn get_on_the_demo_stores_post_only_routes_is_405() {
    let app = spawn_app().await;
    for path in [
        "/demo-store/handover",
        "/demo-store/orders",
        "/demo-store/webhook",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 405, "{path}");
        let allow = response
            .headers()
            .get("allow")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(allow.as_deref(), Some("POST"), "{path}");
    }
}

#[tokio::test]
async fn malformed_request_lines_are_answered_400_and_logged_below_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = spawn_app().await;
    let address = app.address.trim_start_matches("http://").to_owned();
    for line in [
        "GARBAGE LINE\r\n\r\n",
        "GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n",
        "G\u{1}T / HTTP/1.1\r\n\r\n",
        "GET / HTTP/9.9\r\n\r\n",
    ] {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream.write_all(line.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 400"), "{line:?}: {answer}");
    }
    // The tests keep ERROR lines only: none may be about these requests.
    let errors = crate::helpers::logged("request parse error");
    assert!(errors.is_empty(), "{errors:?}");
}
