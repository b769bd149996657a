//! Reading the demo store's forms as a browser would, and acting as Voucherly's sender of
//! notifications.

pub use crate::forms::{absolute, form_in, submit};
use crate::helpers::{TestApp, location};

/// The part of the storefront about one customer.
pub fn user_card<'a>(html: &'a str, store_user_id: &str) -> &'a str {
    let start = html
        .find(&format!(r#"id="user-{store_user_id}""#))
        .unwrap_or_else(|| panic!("no card for {store_user_id} in {html}"));
    &html[start..start + html[start..].find("</li>").expect("the card's end")]
}

/// The part of the profile about one order.
pub fn order_on_profile<'a>(html: &'a str, store_order_id: &str) -> &'a str {
    html.split(r#"<li class="order""#)
        .skip(1)
        .find(|part| part.contains(store_order_id))
        .unwrap_or_else(|| panic!("no order {store_order_id} to pay in {html}"))
}

/// Follows 303s from `response` as a browser would; returns the last URL and its page.
pub async fn follow(app: &TestApp, mut response: reqwest::Response) -> (String, String) {
    let mut url = response.url().to_string();
    for _ in 0..5 {
        if !response.status().is_redirection() {
            break;
        }
        url = absolute(app, location(&response));
        response = app.client.get(&url).send().await.expect("GET");
    }
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    (url, response.text().await.expect("a page"))
}

/// Creates an order for `store_user_id` with the storefront's form; returns its store order id
/// and the storefront page that shows the API's answer.
pub async fn create_order(app: &TestApp, store_user_id: &str) -> (String, String) {
    let page = app.get_html("/demo-store").await;
    let form = form_in(
        user_card(&page, store_user_id),
        r#"class="demo-store-order""#,
    );
    let store_order_id = form.field("store_order_id").to_owned();
    let response = submit(app, &form, &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(location(&response).starts_with("/demo-store?call="));
    let (_, page) = follow(app, response).await;
    (store_order_id, page)
}

/// A value the app keeps in its settings table (the generated store secrets).
pub fn app_setting(app: &TestApp, name: &str) -> String {
    app.db().value(
        "SELECT value FROM app_settings WHERE name = ?1",
        args![name],
    )
}

/// Posts `body` to the demo store's webhook with `signature`.
pub async fn post_event(app: &TestApp, body: &str, signature: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/demo-store/webhook"))
        .header("Content-Type", "application/json")
        .header("Voucherly-Account-Signature", signature)
        .body(body.to_owned())
        .send()
        .await
        .expect("POST")
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs() as i64
}
