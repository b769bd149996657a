//! Sessions are shared: a shopper signed in on one instance is served by another, and a
//! sign-out on one is honoured by every instance for any request sent after its answer.

use reqwest::header::COOKIE;

use super::another_instance;
use crate::helpers::{browser, location, session_cookie, spawn_on_postgres_with};

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
