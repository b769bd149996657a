//! Sessions are shared: a shopper signed in on one instance is served by another, and a
//! sign-out (or a sign-in renewing the key) on one is honoured by every instance for any
//! request sent after its answer, though each holds sessions in memory.

use reqwest::header::COOKIE;

use super::another_instance;
use crate::helpers::{browser, csrf_token_in, location, session_cookie, spawn_on_postgres_with};
use crate::session_cache::{cookie_of, session_lookups, until_in_memory};

#[tokio::test]
async fn a_shopper_signed_in_on_one_instance_is_served_by_the_other() {
    let a = spawn_on_postgres_with(|_| {}).await;
    let b = another_instance(&a, |_| {}).await;
    a.sign_in_as("demo-mario").await;

    // The same browser (cookies are per host, not per port) asks the other instance.
    let page = a.client.get(format!("{b}/account")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Mario"), "{html}");
    // A form rendered by one instance is accepted by the other: its CSRF token is in the
    // shared session.
    let token = a.csrf_token("/account").await;
    let language = a
        .client
        .post(format!("{b}/language"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("lang", "en"),
            ("next", "/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(language.status(), 303);
    let english = a.get_html("/account").await;
    assert!(english.contains("Saved payment methods"), "{english}");
}

#[tokio::test]
async fn after_a_sign_out_on_one_instance_the_other_refuses_the_old_cookie_every_time() {
    let a = spawn_on_postgres_with(|_| {}).await;
    let b = another_instance(&a, |_| {}).await;
    let signed_in = session_cookie(&a.sign_in_as("demo-mario").await).expect("a session cookie");
    let cookie = signed_in.split(';').next().unwrap().to_owned();
    // The copied cookie works on the other instance before the sign-out.
    let before = browser()
        .get(format!("{b}/account"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(before.status(), 200);

    let token = a.csrf_token("/account").await;
    let out = a.post_form("/sign-out", &[("csrf_token", &token)]).await;
    assert_eq!(out.status(), 303);

    let replay = browser();
    let mut served = 0;
    for _ in 0..100 {
        let response = replay
            .get(format!("{b}/account"))
            .header(COOKIE, &cookie)
            .send()
            .await
            .unwrap();
        if response.status() == 200 {
            served += 1;
        } else {
            assert_eq!(response.status(), 303);
            assert_eq!(location(&response), "/");
        }
    }
    assert_eq!(served, 0, "the other instance served a signed-out session");
}

/// Settings with `/metrics` on, to see where sessions are read from.
fn counted(settings: &mut voucherly_account::settings::Settings) {
    settings.metrics_token = Some(secrecy::SecretString::from("metrics-secret-token"));
}

#[tokio::test]
async fn a_session_held_in_the_other_instances_memory_is_refused_there_right_after_a_sign_out() {
    let a = spawn_on_postgres_with(counted).await;
    let b = another_instance(&a, counted).await;
    for round in 0..20 {
        let shopper = browser();
        let cookie = cookie_of(&a.sign_in_on(&shopper, "demo-mario").await);
        until_in_memory(&b, &cookie).await;
        let (hits, misses) = session_lookups(&b).await;
        let on_b = |cookie: String| {
            let b = b.clone();
            async move {
                browser()
                    .get(format!("{b}/account"))
                    .header(COOKIE, cookie)
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(on_b(cookie.clone()).await.status(), 200);
        assert_eq!(session_lookups(&b).await, (hits + 1, misses), "from memory");

        let page = shopper.get(a.url("/account")).send().await.unwrap();
        let token = csrf_token_in(&page.text().await.unwrap());
        let out = shopper
            .post(a.url("/sign-out"))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);
        let replay = on_b(cookie).await;
        assert_eq!(
            (replay.status().as_u16(), location(&replay)),
            (303, "/"),
            "round {round}: the other instance served a signed-out session"
        );
    }
}

#[tokio::test]
async fn a_sign_in_renewing_the_key_drops_the_old_one_on_every_instance() {
    let a = spawn_on_postgres_with(counted).await;
    let b = another_instance(&a, counted).await;
    let before = cookie_of(&a.choose_language("/", "en", "/").await);
    let on_b = || async {
        browser()
            .get(format!("{b}/"))
            .header(COOKIE, &before)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    // The other instance holds the session from before signing in, and its language.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (hits, _) = session_lookups(&b).await;
        assert!(on_b().await.contains(r#"<html lang="en">"#));
        if session_lookups(&b).await.0 > hits {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never in memory");
    }

    let after = cookie_of(&a.sign_in_as("demo-mario").await);
    assert_ne!(before, after);
    let html = on_b().await;
    assert!(
        !html.contains(r#"<html lang="en">"#),
        "the old key still opens a session: {html}"
    );
}
