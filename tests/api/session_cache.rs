//! Sessions answered from memory: a signed-in page loaded again and again reads its session
//! from storage at most once, and what ends a session still ends it at once (sign-out, the
//! idle timeout and the maximum age: see also `handover::session_expiry`). The counts come from
//! the instance's own `/metrics`.

use std::time::{Duration, Instant};

use reqwest::header::COOKIE;
use secrecy::SecretString;

use crate::helpers::{TestApp, browser, location, session_cookie, spawn_with};

const TOKEN: &str = "metrics-secret-token";

/// The app with `/metrics` on (behind [`TOKEN`]).
pub async fn counted_app() -> TestApp {
    spawn_with(|settings| settings.metrics_token = Some(SecretString::from(TOKEN))).await
}

/// The instance at `address`'s session loads answered from memory, and those that read
/// storage, as its `/metrics` says (read by a browser without the session's cookie).
pub async fn session_lookups(address: &str) -> (u64, u64) {
    let text = browser()
        .get(format!("{address}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let count = |name: &str| -> u64 {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    (
        count("voucherly_account_session_cache_hits_total "),
        count("voucherly_account_session_cache_misses_total "),
    )
}

/// Loads `/account` on `address` with `cookie` until the session is answered from memory (the
/// instance listens for changes only shortly after it starts).
pub async fn until_in_memory(address: &str, cookie: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (hits, _) = session_lookups(address).await;
        let page = browser()
            .get(format!("{address}/account"))
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        if session_lookups(address).await.0 > hits {
            return;
        }
        assert!(Instant::now() < deadline, "the session is never in memory");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The `name=value` part of a response's session cookie.
pub fn cookie_of(response: &reqwest::Response) -> String {
    let cookie = session_cookie(response).expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_signed_in_page_loaded_again_and_again_reads_its_session_from_storage_at_most_once() {
    let app = counted_app().await;
    let cookie = cookie_of(&app.sign_in_as("demo-mario").await);
    until_in_memory(&app.address, &cookie).await;

    let (hits, misses) = session_lookups(&app.address).await;
    for _ in 0..20 {
        assert_eq!(app.get("/account").await.status(), 200);
    }
    assert_eq!(
        session_lookups(&app.address).await,
        (hits + 20, misses),
        "(answered from memory, read from storage)"
    );
}

#[tokio::test]
async fn a_signed_out_session_held_in_memory_is_refused_at_once() {
    let app = counted_app().await;
    let cookie = cookie_of(&app.sign_in_as("demo-mario").await);
    until_in_memory(&app.address, &cookie).await;

    let token = app.csrf_token("/account").await;
    let out = app.post_form("/sign-out", &[("csrf_token", &token)]).await;
    assert_eq!(out.status(), 303);
    let replay = browser()
        .get(app.url("/account"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!((replay.status().as_u16(), location(&replay)), (303, "/"));
}

#[tokio::test]
async fn an_idle_session_held_in_memory_ends_after_its_idle_timeout() {
    let app = counted_app().await;
    let cookie = cookie_of(&app.sign_in_as("demo-mario").await);
    until_in_memory(&app.address, &cookie).await;

    app.time_passes(29 * 60);
    assert_eq!(app.get("/account").await.status(), 200, "29 minutes idle");
    app.time_passes(31 * 60);
    let response = app.get("/account").await;
    assert_eq!(
        (response.status().as_u16(), location(&response)),
        (303, "/")
    );
}

#[tokio::test]
async fn a_session_held_in_memory_ends_at_its_maximum_age_however_busy() {
    let app = spawn_with(|settings| {
        settings.metrics_token = Some(SecretString::from(TOKEN));
        settings.session_idle_minutes = 24 * 60;
    })
    .await;
    let cookie = cookie_of(&app.sign_in_as("demo-mario").await);
    until_in_memory(&app.address, &cookie).await;
    // A request every 50 minutes: served until 12 hours have passed, not after.
    let mut served = 0;
    loop {
        app.time_passes(50 * 60);
        let response = app.get("/account").await;
        if response.status() != 200 {
            assert_eq!(location(&response), "/");
            break;
        }
        served += 1;
        assert!(served < 20, "never ended");
    }
    assert_eq!(
        served, 14,
        "ended after 12 hours (50-minute steps), not before"
    );
}

#[tokio::test]
async fn a_session_changed_by_a_request_is_answered_from_memory_after_it() {
    let app = counted_app().await;
    let cookie = cookie_of(&app.sign_in_as("demo-mario").await);
    until_in_memory(&app.address, &cookie).await;

    let token = app.csrf_token("/account").await;
    let english = app
        .post_form(
            "/language",
            &[("csrf_token", &token), ("lang", "en"), ("next", "/account")],
        )
        .await;
    assert_eq!(english.status(), 303);
    let (hits, misses) = session_lookups(&app.address).await;
    let page = app.get_html("/account").await;
    assert!(page.contains("Saved payment methods"), "{page}");
    assert_eq!(
        session_lookups(&app.address).await,
        (hits + 1, misses),
        "the state just written is the one held in memory"
    );
}

#[tokio::test]
async fn a_session_read_from_storage_has_its_idle_deadline_moved_there() {
    let app = spawn_with(|_| {}).await;
    let cookie = cookie_of(&app.sign_in_as("demo-mario").await);
    // Another instance on the same database: it holds nothing of the session in memory.
    let other = app.restart_with(|_| {}).await;
    let page = || async {
        browser()
            .get(format!("{other}/account"))
            .header(COOKIE, &cookie)
            .send()
            .await
            .unwrap()
    };

    app.time_passes(20 * 60);
    assert_eq!(page().await.status(), 200, "20 minutes after the sign-in");
    app.time_passes(20 * 60);
    assert_eq!(
        page().await.status(),
        200,
        "40 minutes after the sign-in, 20 after its last use"
    );
    app.time_passes(31 * 60);
    let idle = page().await;
    assert_eq!((idle.status().as_u16(), location(&idle)), (303, "/"));
}
