//! The account page inside a store's iframe, in real headless Chromium: the store's page is
//! served from another site (`localhost` rather than `127.0.0.1`), as a real store's would be.

use std::time::Duration;

use fantoccini::{Client, Locator};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::browser::open_browser;
use crate::helpers::spawn_with;

/// A store page at `http://localhost:{port}/shop` framing `src`.
async fn store_page_framing(store: &MockServer, src: &str) -> String {
    let html = format!(
        r#"<!doctype html><html lang="it"><head><title>Negozio</title></head>
        <body><h1>Negozio</h1><iframe title="Il mio account" src="{src}" width="400" height="600"></iframe></body></html>"#
    );
    Mock::given(method("GET"))
        .and(path("/shop"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(html, "text/html; charset=utf-8"))
        .mount(store)
        .await;
    format!("http://localhost:{}/shop", store.address().port())
}

/// The text of the framed page's first heading, once it has one.
async fn framed_heading(c: &Client) -> Option<String> {
    c.clone().enter_frame(0).await.ok()?;
    for _ in 0..30 {
        if let Ok(h1) = c.find(Locator::Css("h1")).await {
            let text = h1.text().await.ok();
            c.clone().enter_parent_frame().await.ok()?;
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.clone().enter_parent_frame().await.ok()?;
    None
}

#[tokio::test]
async fn a_store_origin_that_is_configured_shows_the_account_in_its_iframe() {
    let store = MockServer::start().await;
    let store_origin = format!("http://localhost:{}", store.address().port());
    let origin = store_origin.clone();
    let app = spawn_with(move |settings| {
        settings.frame_ancestors = vec![origin.clone()];
        settings.store_origins = vec![origin];
    })
    .await;
    let mut body = app.handover_body("shop-iframe");
    body["return_url"] = format!("{store_origin}/my-account").into();
    let handover = app.url(&app.handover_path(&body).await);
    let shop = store_page_framing(&store, &handover).await;

    let browser = open_browser().await;
    let c = &browser.client;
    c.goto(&shop).await.unwrap();
    let heading = framed_heading(c).await;
    // Signed in through the hand-over inside the frame: the session cookie was kept.
    assert_eq!(heading.as_deref(), Some("I tuoi metodi di pagamento"));
    browser.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn by_default_the_browser_refuses_to_show_the_account_in_a_stores_iframe() {
    let store = MockServer::start().await;
    let app = crate::helpers::spawn_app().await;
    let shop = store_page_framing(&store, &app.url("/")).await;

    let browser = open_browser().await;
    let c = &browser.client;
    c.goto(&shop).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The frame is blocked by `frame-ancestors 'none'`: the browser shows its own error in it,
    // none of the app's page (whose heading would be the demo sign-in's).
    let heading = framed_heading(c).await.unwrap_or_default();
    assert_ne!(heading, "Accesso di prova");
    c.clone().enter_frame(0).await.unwrap();
    assert!(!c.source().await.unwrap().contains("Mario Rossi"));
    browser.client.clone().close().await.unwrap();
}
