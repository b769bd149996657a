//! The language switch goes back only to a page of this site, as a browser would read `next`,
//! and never answers 500; a GET changes nothing.

use crate::helpers::{location, spawn_app};

#[tokio::test]
async fn characters_browsers_strip_cannot_lead_to_another_site() {
    let app = spawn_app().await;
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "\t//evil.example",
        " //evil.example",
        "/\\evil.example",
        "/.//evil.example",
        "/%2e%2e//evil.example",
        "https://evil.example",
        "//evil.example",
        "javascript:alert(1)",
    ] {
        let response = app.choose_language("/", "en", next).await;
        assert_eq!(response.status(), 303, "{next:?}");
        assert_eq!(location(&response), "/account", "{next:?}");
    }
}

#[tokio::test]
async fn control_characters_in_next_get_the_account_page_not_a_500() {
    let app = spawn_app().await;
    for next in [
        "/\u{0}",
        "/\u{1}",
        "/\u{7f}",
        "/a\u{0}b",
        "/\u{85}",
        "/\u{2028}",
    ] {
        let response = app.choose_language("/", "en", next).await;
        assert_eq!(response.status(), 303, "{next:?}");
        let target = location(&response);
        assert!(
            target == "/account" || target.starts_with("/%E2"),
            "{next:?} → {target}"
        );
    }
}

#[tokio::test]
async fn a_page_of_this_site_is_where_the_switch_goes_back_to() {
    let app = spawn_app().await;
    let response = app
        .choose_language("/", "en", "/account?page=2#history")
        .await;
    assert_eq!(location(&response), "/account?page=2");
    let html = app.get_html("/").await;
    assert!(html.contains(r#"<html lang="en">"#));
}

#[tokio::test]
async fn the_language_switch_is_a_form_and_a_get_changes_nothing() {
    let app = spawn_app().await;
    let html = app.get_html("/").await;
    assert!(
        html.contains(r#"<form method="post" action="/language">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<input type="hidden" name="next" value="/">"#),
        "{html}"
    );
    let get = app.get("/language").await;
    assert_eq!(get.status(), 405);
    assert_eq!(get.headers()["allow"], "POST");
    assert_eq!(app.get("/language/en?next=/account").await.status(), 404);
    assert!(app.get_html("/").await.contains(r#"<html lang="it">"#));
}

#[tokio::test]
async fn a_language_form_without_its_token_is_refused() {
    let app = spawn_app().await;
    app.get("/").await;
    let response = app
        .post_form("/language", &[("csrf_token", "forged"), ("lang", "en")])
        .await;
    assert_eq!(response.status(), 403);
}
