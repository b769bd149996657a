//! The storefront: its page, its hand-over form and its order form.

use super::support::{app_setting, create_order, follow, form_in, submit, user_card};
use crate::helpers::{location, spawn_app, spawn_with};

#[tokio::test]
async fn the_demo_store_shows_its_customers_its_settings_and_the_api_document() {
    let app = spawn_app().await;
    let response = app.get("/demo-store").await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();

    assert!(
        html.contains(r#"Negozio demo</span> / <span lang="en">Demo store"#),
        "{html}"
    );
    for name in ["Mario Rossi", "Luca Verdi", "Giulia Bianchi"] {
        assert!(
            html.contains(&format!("Apri «Il mio account» come {name}")),
            "{name}"
        );
    }
    assert_eq!(html.matches(r#"action="/demo-store/handover""#).count(), 3);
    assert_eq!(html.matches(r#"action="/demo-store/orders""#).count(), 3);
    let key = app_setting(&app, "store_api_key");
    assert!(
        html.contains(&format!(r#"<code class="secret">{key}</code>"#)),
        "the whole key, to run the README's examples with: {html}"
    );
    assert!(html.contains(&format!("{}/demo-store/webhook", app.address)));
    assert!(html.contains(r#"href="/api/v1/openapi.json""#));
    assert!(html.contains("Nessuna notifica ancora"));
}

#[tokio::test]
async fn the_demo_store_speaks_english_to_an_english_browser() {
    let app = spawn_app().await;
    let html = app
        .client
        .get(app.url("/demo-store"))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Open «My account» as Luca Verdi"), "{html}");
    assert!(html.contains("Create an order"));
}

#[tokio::test]
async fn the_hand_over_form_signs_the_browser_in_and_lands_on_the_account() {
    let app = spawn_app().await;
    let page = app.get_html("/demo-store").await;
    let form = form_in(
        user_card(&page, "demo-luca"),
        r#"class="demo-store-handover""#,
    );

    let response = submit(&app, &form, &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(
        location(&response).starts_with(&format!("{}/handover/", app.address)),
        "{}",
        location(&response)
    );
    let (url, html) = follow(&app, response).await;
    assert_eq!(url, app.url("/account"));
    assert!(html.contains("Luca Verdi"), "{html}");
}

#[tokio::test]
async fn a_demo_store_form_without_the_session_s_csrf_token_is_refused() {
    let app = spawn_app().await;
    app.get("/demo-store").await;
    let response = app
        .post_form(
            "/demo-store/handover",
            &[("csrf_token", "forged"), ("store_user_id", "demo-mario")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(
        app.get("/account").await.status().as_u16(),
        303,
        "still signed out"
    );
}

#[tokio::test]
async fn the_order_form_creates_an_order_that_the_shopper_then_has_to_pay() {
    let app = spawn_app().await;
    let (store_order_id, page) = create_order(&app, "demo-giulia").await;

    assert!(page.contains("POST /api/v1/orders"), "{page}");
    assert!(page.contains(r#"class="http-status">201<"#), "{page}");
    assert!(page.contains(&store_order_id));
    // The JSON is shown escaped, never as markup.
    assert!(
        page.contains("&#34;final_amount&#34;: 2390")
            || page.contains("&quot;final_amount&quot;: 2390")
    );

    app.sign_in_as("demo-giulia").await;
    let profile = app.get_html("/account").await;
    assert!(profile.contains(&store_order_id), "{profile}");
    assert!(profile.contains("Panino al prosciutto") && profile.contains("23,90 €"));
}

#[tokio::test]
async fn submitting_the_same_order_form_twice_gives_back_the_same_order() {
    let app = spawn_app().await;
    let page = app.get_html("/demo-store").await;
    let form = form_in(
        user_card(&page, "demo-mario"),
        r#"class="demo-store-order""#,
    );
    let (_, first) = follow(&app, submit(&app, &form, &[]).await).await;
    let (_, second) = follow(&app, submit(&app, &form, &[]).await).await;

    assert!(first.contains(r#"class="http-status">201<"#), "{first}");
    assert!(second.contains(r#"class="http-status">200<"#), "{second}");
    assert!(second.contains(form.field("store_order_id")));
}

#[tokio::test]
async fn the_demo_store_does_not_exist_when_demo_mode_is_off() {
    let app = spawn_with(|settings| settings.demo = Some(false)).await;
    assert_eq!(app.get("/demo-store").await.status().as_u16(), 404);
    let webhook = app.client.post(app.url("/demo-store/webhook")).body("{}");
    assert_eq!(webhook.send().await.unwrap().status().as_u16(), 404);
}

#[tokio::test]
async fn a_hand_over_the_store_api_refuses_shows_the_request_and_the_answer() {
    // The store's origins do not include the demo store, so its return URL is refused.
    let app = spawn_with(|settings| {
        settings.store_origins = vec!["https://shop.example".into()];
    })
    .await;
    let page = app.get_html("/demo-store").await;
    let form = form_in(
        user_card(&page, "demo-mario"),
        r#"class="demo-store-handover""#,
    );

    let response = submit(&app, &form, &[]).await;
    assert_eq!(response.status().as_u16(), 502);
    let html = response.text().await.unwrap();
    assert!(html.contains("POST /api/v1/handovers"), "{html}");
    assert!(html.contains(r#"class="http-status">400<"#), "{html}");
    assert!(html.contains("return_url"), "{html}");
    assert!(html.contains(r#"href="/demo-store""#));
    assert_eq!(
        app.get("/account").await.status().as_u16(),
        303,
        "not signed in"
    );
}

#[tokio::test]
async fn a_store_api_key_the_operator_set_is_never_shown_in_full() {
    const KEY: &str = "sk_store_configured_by_the_operator_0123456789";
    let app = spawn_with(|settings| {
        settings.store_api_key = Some(secrecy::SecretString::from(KEY));
    })
    .await;
    let html = app.get_html("/demo-store").await;
    assert!(html.contains("<code>sk_store…</code>"), "{html}");
    assert!(!html.contains(&KEY[..12]), "{html}");
}
