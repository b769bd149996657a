//! Sessions: ended means ended, whatever is in flight; expiry everywhere; no rows for visitors
//! who only look; no writes for requests that change nothing.

// Some of these tests need the embedded sandbox or the demo: without the `demo` feature,
// what only they use goes unused.
#![cfg_attr(not(feature = "demo"), allow(unused_imports, dead_code))]

use std::collections::HashSet;

use super::{all, cookies_after, get_with, post_with, session_rows, spawn_post};
use crate::helpers::{csrf_token_in, location, spawn_app};

/// Signs Mario in with a cookie-less client; returns his cookies and CSRF token.
async fn mario(app: &crate::helpers::TestApp) -> (String, String) {
    let start = crate::helpers::browser()
        .get(app.url("/"))
        .send()
        .await
        .unwrap();
    let jar = cookies_after("", &start);
    let token = csrf_token_in(&start.text().await.unwrap());
    let signed_in = post_with(
        app,
        "/demo/sign-in",
        &jar,
        &[("csrf_token", &token), ("store_user_id", "demo-mario")],
    )
    .await;
    assert_eq!(location(&signed_in), "/account");
    let jar = cookies_after(&jar, &signed_in);
    let page = get_with(app, "/account", &jar).await;
    assert_eq!(page.status(), 200);
    let token = csrf_token_in(&page.text().await.unwrap());
    (jar, token)
}

/// Every session key stored.
fn keys(app: &crate::helpers::TestApp) -> HashSet<String> {
    app.db()
        .text_rows("SELECT key FROM sessions", &[])
        .into_iter()
        .flatten()
        .collect()
}

/// The key of the one session that `work` created.
async fn key_made_by<F: Future<Output = ()>>(app: &crate::helpers::TestApp, work: F) -> String {
    let before = keys(app);
    work.await;
    let made: Vec<String> = keys(app).difference(&before).cloned().collect();
    assert_eq!(made.len(), 1, "{made:?}");
    made[0].clone()
}

fn rows_with_key(app: &crate::helpers::TestApp, key: &str) -> i64 {
    app.db()
        .value("SELECT count(*) FROM sessions WHERE key = ?1", args![key])
}

fn signed_in_rows(app: &crate::helpers::TestApp) -> i64 {
    let db = app.db();
    let shopper_id = db.json_field("state", "shopper_id");
    db.value(
        &format!("SELECT count(*) FROM sessions WHERE {shopper_id} IS NOT NULL"),
        &[],
    )
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_request_in_flight_during_sign_out_never_signs_the_session_in_again() {
    let app = spawn_app().await;
    for round in 0..5 {
        let mut signed_in = None;
        let old_key = key_made_by(&app, async { signed_in = Some(mario(&app).await) }).await;
        let (jar, token) = signed_in.unwrap();
        let mut switches: Vec<_> = (0..15)
            .map(|i| {
                let lang = if i % 2 == 0 { "en" } else { "it" };
                let form = [
                    ("csrf_token", token.as_str()),
                    ("lang", lang),
                    ("next", "/account"),
                ];
                spawn_post(&app, "/language", &jar, &form)
            })
            .collect();
        let sign_out = spawn_post(&app, "/sign-out", &jar, &[("csrf_token", &token)]);
        switches.extend((0..15).map(|_| {
            let form = [
                ("csrf_token", token.as_str()),
                ("lang", "en"),
                ("next", "/account"),
            ];
            spawn_post(&app, "/language", &jar, &form)
        }));
        let signed_out = sign_out.await.unwrap();
        let switched = all(switches).await;
        assert_eq!(location(&signed_out), "/?signed_out=1", "round {round}");
        assert!(
            switched
                .iter()
                .all(|r| r.status() == 303 || r.status() == 403)
        );
        // The old cookie opens nothing, and no signed-in row came back.
        let replayed = get_with(&app, "/account", &jar).await;
        assert_eq!(
            replayed.status(),
            303,
            "round {round}: the session came back"
        );
        let stolen = post_with(&app, "/sign-out", &jar, &[("csrf_token", &token)]).await;
        assert_eq!(
            stolen.status(),
            403,
            "round {round}: the old token still works"
        );
        assert_eq!(rows_with_key(&app, &old_key), 0, "round {round}");
        assert_eq!(signed_in_rows(&app), 0, "round {round}");
    }
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_late_write_of_the_key_before_sign_in_does_not_bring_it_back() {
    let app = spawn_app().await;
    for round in 0..5 {
        // A visitor who chose a language has a session of their own.
        let start = crate::helpers::browser()
            .get(app.url("/"))
            .send()
            .await
            .unwrap();
        let jar = cookies_after("", &start);
        let token = csrf_token_in(&start.text().await.unwrap());
        let mut chosen = None;
        let old_key = key_made_by(&app, async {
            let form = [
                ("csrf_token", token.as_str()),
                ("lang", "en"),
                ("next", "/"),
            ];
            chosen = Some(post_with(&app, "/language", &jar, &form).await);
        })
        .await;
        let jar = cookies_after(&jar, &chosen.unwrap());
        let form = [
            ("csrf_token", token.as_str()),
            ("lang", "it"),
            ("next", "/"),
        ];
        let mut switches: Vec<_> = (0..15)
            .map(|_| spawn_post(&app, "/language", &jar, &form))
            .collect();
        let sign_in = spawn_post(
            &app,
            "/demo/sign-in",
            &jar,
            &[("csrf_token", &token), ("store_user_id", "demo-luca")],
        );
        switches.extend((0..15).map(|_| spawn_post(&app, "/language", &jar, &form)));
        let signed_in = sign_in.await.unwrap();
        all(switches).await;
        assert_eq!(location(&signed_in), "/account", "round {round}");
        // The key from before signing in is gone for good (late requests that found it gone
        // start sessions of their own, under new keys and signed in as no one).
        assert_eq!(rows_with_key(&app, &old_key), 0, "round {round}");
        assert_eq!(signed_in_rows(&app), round + 1, "round {round}");
    }
}

#[tokio::test]
async fn a_session_past_its_maximum_age_shows_nothing_on_the_return_page() {
    let (app, _voucherly, _order, reference) = crate::returning::mario_back_from_checkout().await;
    app.time_passes(13 * 3600);
    let html = app.get_html(&format!("/payments/{reference}/return")).await;
    assert!(!html.contains("A-1"), "{html}");
    assert!(!html.contains("12,90"), "{html}");
    assert!(!html.contains("action=\"/sign-out\""), "{html}");
    assert_eq!(session_rows(&app), 0, "the ended session is deleted");
}

#[tokio::test]
async fn an_idle_session_shows_nothing_on_the_return_page() {
    let (app, _voucherly, _order, reference) = crate::returning::mario_back_from_checkout().await;
    app.expire_sessions();
    let html = app.get_html(&format!("/payments/{reference}/return")).await;
    assert!(!html.contains("A-1"), "{html}");
    assert!(!html.contains("action=\"/sign-out\""), "{html}");
}

#[tokio::test]
async fn visitors_who_only_look_leave_no_session_rows() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/",
        "/?signed_out=1",
        "/nowhere",
        "/static/style.css",
        "/health/live",
    ] {
        app.get(path).await;
    }
    assert_eq!(session_rows(&app), 0);
    // The start page's form still works: its token rides on a cookie of its own.
    let response = app.sign_in_as("demo-mario").await;
    assert_eq!(location(&response), "/account");
    assert_eq!(session_rows(&app), 1);
}

#[tokio::test]
async fn static_files_and_health_checks_ignore_the_session_cookie() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    app.expire_sessions();
    // An ended session would be deleted by any request that reads it; these do not read it.
    for path in ["/static/style.css", "/health/live", "/api/v1/openapi.json"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers().get("set-cookie").is_none(), "{path}");
    }
    assert_eq!(session_rows(&app), 1);
}

#[tokio::test]
async fn pages_that_change_nothing_write_nothing_to_the_session() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let expiry = || -> (i64, String) {
        let mut row = app
            .db()
            .rows("SELECT expires_at, state FROM sessions", &[])
            .pop()
            .expect("a session")
            .into_iter();
        use crate::helpers::test_db::FromVal;
        (
            FromVal::from_val(row.next().expect("expires_at")),
            FromVal::from_val(row.next().expect("state")),
        )
    };
    // Used 30 seconds ago: not yet worth a write.
    app.time_passes(30);
    let before = expiry();
    for _ in 0..5 {
        assert_eq!(app.get("/account").await.status(), 200);
    }
    assert_eq!(expiry(), before, "no write within the first minute");
    // An idle deadline more than a minute behind is moved forward by the next read (in the
    // background: the read does not wait for it).
    app.time_passes(120);
    assert_eq!(app.get("/account").await.status(), 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while expiry().0 < before.0 + 150 {
        assert!(
            std::time::Instant::now() < deadline,
            "the idle deadline was not moved"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // A change (the language) is written with a fresh idle deadline: 30 minutes from now (as
    // the sessions' clock has it, 150 seconds ahead).
    app.choose_language("/account", "en", "/account").await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp() + 150;
    let (expires_at, state) = expiry();
    assert!(state.contains("en"), "{state}");
    assert!(
        (now + 1795..=now + 1805).contains(&expires_at),
        "{expires_at} vs {now}"
    );
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_signed_out_cookie_gets_a_fresh_anonymous_start() {
    let app = spawn_app().await;
    let (jar, token) = mario(&app).await;
    post_with(&app, "/sign-out", &jar, &[("csrf_token", &token)]).await;
    assert_eq!(session_rows(&app), 0, "nothing to keep: no row at all");
    let page = get_with(&app, "/", &jar).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Mario Rossi"));
}
