//! Opening a hand-over link: once it signs in, afterwards it only says it is used up, and a
//! failed link never leaves the browser in anyone's session.

use serde_json::json;

use crate::helpers::{browser, location, session_cookie, spawn_app};

fn cookie_value(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap_or_default()
}

#[tokio::test]
async fn a_handover_url_signs_the_shopper_in_and_shows_their_profile() {
    let app = spawn_app().await;
    let before = session_cookie(&app.choose_language("/", "it", "/").await)
        .expect("a session from choosing a language");
    let path = app.handover_path(&app.handover_body("shop-1")).await;

    let response = app.get(&path).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/account");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let after = session_cookie(&response).expect("a renewed session");
    assert_ne!(cookie_value(&before), cookie_value(&after));

    let html = app.get_html("/account").await;
    assert!(html.contains("Anna Neri"), "{html}");
    assert!(html.contains("shop-1@shop.example"));
}

#[tokio::test]
async fn the_back_to_the_store_link_appears_on_the_profile() {
    let app = spawn_app().await;
    let path = app.handover_path(&app.handover_body("shop-1")).await;
    app.get(&path).await;
    let html = app.get_html("/account").await;
    let link = format!(
        r#"<a class="back-to-store" href="{}" target="_top">Torna al negozio</a>"#,
        app.store_url("/shop/my-account")
    );
    assert!(html.contains(&link), "{html}");

    // A demo sign-in came from no store: no way back to show.
    #[cfg(feature = "demo")]
    {
        let other = crate::helpers::spawn_app().await;
        other.sign_in_as("demo-mario").await;
        assert!(!other.get_html("/account").await.contains("back-to-store"));
    }
}

#[tokio::test]
async fn a_handover_naming_an_order_shows_that_order() {
    let app = spawn_app().await;
    app.handover_path(&app.handover_body("shop-1")).await;
    let order_id = app.insert_order("shop-1", "SHOP-2001", 990);
    let mut body = app.handover_body("shop-1");
    body["store_order_id"] = json!("SHOP-2001");
    let response = app.get(&app.handover_path(&body).await).await;
    assert_eq!(location(&response), format!("/account#order-{order_id}"));
    let html = app.get_html("/account").await;
    assert!(
        html.contains(&format!(r#"id="order-{order_id}""#)),
        "{html}"
    );
}

#[tokio::test]
async fn the_second_use_of_a_link_shows_a_gone_page_with_a_way_back_and_no_session() {
    let app = spawn_app().await;
    let path = app.handover_path(&app.handover_body("shop-1")).await;
    assert_eq!(
        browser().get(app.url(&path)).send().await.unwrap().status(),
        303
    );

    let response = app.get(&path).await;
    assert_eq!(response.status().as_u16(), 410);
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    assert!(html.contains("già stato usato oppure è scaduto"), "{html}");
    assert!(html.contains(&format!(r#"href="{}""#, app.store_url("/shop/my-account"))));
    assert!(
        !html.contains(&path),
        "the token is not repeated in the page"
    );
    let account = app.get("/account").await;
    assert_eq!((account.status().as_u16(), location(&account)), (303, "/"));
}

#[tokio::test]
async fn a_link_opened_twice_at_the_same_moment_signs_in_once() {
    let app = spawn_app().await;
    let path = app.handover_path(&app.handover_body("shop-1")).await;
    let url = app.url(&path);
    let opens = (0..8).map(|_| {
        let url = url.clone();
        async move { browser().get(url).send().await.unwrap().status().as_u16() }
    });
    let mut statuses = futures_join_all(opens).await;
    statuses.sort();
    assert_eq!(statuses, [303, 410, 410, 410, 410, 410, 410, 410]);
}

async fn futures_join_all<F: std::future::Future<Output = u16> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<u16> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn an_expired_link_shows_the_gone_page() {
    let app = spawn_app().await;
    let path = app.handover_path(&app.handover_body("shop-1")).await;
    app.expire_handovers();
    let response = app.get(&path).await;
    assert_eq!(response.status().as_u16(), 410);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"class="back-to-store""#), "{html}");
    assert_eq!(app.get("/account").await.status().as_u16(), 303);
}

#[tokio::test]
async fn an_unknown_token_gets_a_404_page_without_a_link() {
    let app = spawn_app().await;
    for path in [
        format!("/handover/{}", "ab".repeat(32)),
        "/handover/nonsense".into(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status().as_u16(), 404, "{path}");
        assert_eq!(response.headers()["referrer-policy"], "no-referrer");
        let html = response.text().await.unwrap();
        assert!(html.contains("Link non valido"), "{html}");
        assert!(
            !html.contains("back-to-store"),
            "no way back to an unknown store page"
        );
    }
}

#[tokio::test]
async fn a_browser_signed_in_as_another_shopper_that_opens_a_used_link_is_signed_out() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    assert!(app.get_html("/account").await.contains("Mario Rossi"));
    let path = app.handover_path(&app.handover_body("shop-1")).await;
    browser().get(app.url(&path)).send().await.unwrap();

    let response = app.get(&path).await;
    assert_eq!(response.status().as_u16(), 410);
    assert!(!response.text().await.unwrap().contains("Mario"));
    let account = app.get("/account").await;
    assert_eq!((account.status().as_u16(), location(&account)), (303, "/"));
}

#[tokio::test]
async fn the_gone_page_speaks_the_shoppers_language() {
    let app = spawn_app().await;
    let mut body = app.handover_body("shop-1");
    body["language"] = json!("en");
    let path = app.handover_path(&body).await;
    browser().get(app.url(&path)).send().await.unwrap();
    let html = app.get_html(&path).await;
    assert!(html.contains("already been used or has expired"), "{html}");
    assert!(html.contains("Back to the store"));
}
