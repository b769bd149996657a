//! What the app adds to a shopper's saved methods: a preferred one (kept here, preselected to
//! pay, shown first, forgotten when removed), cards expiring soon, and when each last paid.

use serde_json::json;
use time::OffsetDateTime;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::forms::{form_in, submit};
use crate::helpers::{TestApp, location, spawn_app, spawn_app_with_voucherly};

const VISA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01";
const EXPIRED_MASTERCARD: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a02";
const SEPA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a04";

async fn prefer(app: &TestApp, method_id: &str) -> reqwest::Response {
    let csrf = app.csrf_token("/account").await;
    app.post_form(
        &format!("/account/payment-methods/{method_id}/prefer"),
        &[("csrf_token", &csrf)],
    )
    .await
}

async fn stored_preference(app: &TestApp) -> Option<String> {
    let db = app.storage().await;
    let shopper = db
        .shopper_by_store_user_id("demo-mario")
        .await
        .unwrap()
        .unwrap();
    db.preferred_method(shopper.id, "embedded").await.unwrap()
}

/// The profile's list item of the method `id`.
fn method_item(html: &str, id: &str) -> String {
    let start = html
        .split(&format!(r#"id="method-{id}""#))
        .nth(1)
        .unwrap_or_else(|| panic!("no method {id} in {html}"));
    start.split("</li>").next().unwrap().to_owned()
}

/// The ids of the methods in the profile's list, in order.
fn listed_methods(html: &str) -> Vec<String> {
    html.split(r#"id="method-"#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_preferred_method_is_shown_first_marked_in_words_and_preselected_in_every_pay_form() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let before = app.get_html("/account").await;
    assert_eq!(
        form_in(&before, r#"class="pay-form""#).field("method_id"),
        VISA
    );

    let response = prefer(&app, SEPA).await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(location(&response).starts_with("/account?notice=preference_saved"));

    let html = app.get_html(location(&response)).await;
    assert!(html.contains("Metodo preferito salvato"), "{html}");
    assert_eq!(listed_methods(&html)[0], SEPA, "{html}");
    let sepa_item = html
        .split(&format!(r#"id="method-{SEPA}""#))
        .nth(1)
        .unwrap();
    let sepa_item = sepa_item.split("</li>").next().unwrap();
    assert!(sepa_item.contains("Preferito"), "{sepa_item}");
    assert_eq!(html.matches(r#"class="tag tag-preferred""#).count(), 1);
    // Both of Mario's orders preselect it.
    for order in html.split(r#"<form class="pay-form""#).skip(1) {
        let checked = order
            .split("<input")
            .find(|i| i.contains(" checked"))
            .unwrap();
        assert!(checked.contains(&format!(r#"value="{SEPA}""#)), "{checked}");
    }
    assert_eq!(stored_preference(&app).await.as_deref(), Some(SEPA));
}

#[tokio::test]
async fn only_a_usable_method_of_the_shoppers_own_with_the_csrf_token_can_be_preferred() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    assert_eq!(
        prefer(&app, EXPIRED_MASTERCARD).await.status().as_u16(),
        404
    );
    assert_eq!(
        prefer(&app, "pm_somebody_else").await.status().as_u16(),
        404
    );
    let without_token = app
        .post_form(&format!("/account/payment-methods/{VISA}/prefer"), &[])
        .await;
    assert_eq!(without_token.status().as_u16(), 400);
    let wrong_token = app
        .post_form(
            &format!("/account/payment-methods/{VISA}/prefer"),
            &[("csrf_token", "forged")],
        )
        .await;
    assert_eq!(wrong_token.status().as_u16(), 403);
    assert_eq!(stored_preference(&app).await, None);

    // Luca may not prefer Mario's card.
    let luca = spawn_app().await;
    luca.sign_in_as("demo-luca").await;
    assert_eq!(prefer(&luca, VISA).await.status().as_u16(), 404);
}

#[tokio::test]
async fn removing_the_preferred_method_forgets_the_preference() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    prefer(&app, SEPA).await;
    let confirm = app
        .get_html(&format!("/account/payment-methods/{SEPA}/remove"))
        .await;
    let removed = submit(&app, &form_in(&confirm, r#"class="remove-form""#), &[]).await;
    assert_eq!(removed.status().as_u16(), 303);

    assert_eq!(stored_preference(&app).await, None);
    let html = app.get_html("/account").await;
    assert!(!html.contains("tag-preferred"), "{html}");
    assert_eq!(
        form_in(&html, r#"class="pay-form""#).field("method_id"),
        VISA
    );
}

/// `(month, year)` of the month `ahead` months after this one.
fn month_ahead(ahead: u8) -> (u8, i32) {
    let today = OffsetDateTime::now_utc();
    let index = u32::from(u8::from(today.month())) - 1 + u32::from(ahead);
    ((index % 12 + 1) as u8, today.year() + (index / 12) as i32)
}

#[tokio::test]
async fn cards_expiring_this_month_or_next_are_marked_in_words_with_a_suggestion() {
    let voucherly = MockServer::start().await;
    let card = |id: &str, brand: &str, ahead: u8| {
        let (month, year) = month_ahead(ahead);
        json!({"id": id, "paymentGatewayId": "card", "creditCard": {
            "brand": brand, "pan": "************4242",
            "expirationMonth": month, "expirationYear": year}})
    };
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_42/payment_methods"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [
            card("pm_now", "Visa", 0), card("pm_next", "Mastercard", 1), card("pm_later", "Amex", 3)
        ]})))
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_42");
    app.sign_in_as("demo-mario").await;

    let html = app.get_html("/account").await;
    let item = |id: &str| method_item(&html, id);
    assert!(item("pm_now").contains("Scade questo mese"), "{html}");
    assert!(item("pm_next").contains("Scade il mese prossimo"));
    assert!(!item("pm_later").contains("tag-expiring"));
    assert!(html.contains("Una tua carta scade a breve"));

    app.choose_language("/account", "en", "/account").await;
    let english = app.get_html("/account").await;
    assert!(english.contains("Expires this month") && english.contains("Expires next month"));
    assert!(english.contains("A card of yours expires soon"));
}

#[tokio::test]
async fn no_suggestion_when_no_card_expires_soon() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let html = app.get_html("/account").await;
    assert!(!html.contains("expiring-suggestion"), "{html}");
    assert!(!html.contains("tag-expiring"));
}

#[tokio::test]
async fn each_method_shows_when_it_last_paid_an_order_here() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let visa_item = |html: &str| method_item(html, VISA);
    let before = app.get_html("/account").await;
    assert!(
        visa_item(&before).contains("Ultimo utilizzo qui</dt><dd>non ancora"),
        "{before}"
    );

    crate::receipts::pay_and_approve(&app).await;

    let after = app.get_html("/account").await;
    let today = voucherly_account::domain::in_italy(OffsetDateTime::now_utc());
    let day = format!(
        "{:02}/{:02}/{}",
        today.day(),
        u8::from(today.month()),
        today.year()
    );
    assert!(
        visa_item(&after).contains(&format!("Ultimo utilizzo qui</dt><dd>{day}")),
        "{after}"
    );
    let sepa = after
        .split(&format!(r#"id="method-{SEPA}""#))
        .nth(1)
        .unwrap();
    assert!(sepa.split("</li>").next().unwrap().contains("non ancora"));
}
