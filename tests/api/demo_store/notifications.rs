//! The demo store's webhook: signed notifications of the app, forged ones, duplicates.

use std::time::Duration;

use serde_json::json;
use voucherly_account::app::notifications::sign;

use super::support::{
    absolute, app_setting, create_order, follow, form_in, now, order_on_profile, post_event, submit,
};
use crate::helpers::{TestApp, location, spawn_app};

/// The notifications table of the storefront.
async fn events_listed(app: &TestApp) -> String {
    let html = app.get_html("/demo-store").await;
    match html.find(r#"class="history demo-store-events""#) {
        Some(start) => html[start..start + html[start..].find("</table>").unwrap()].to_owned(),
        None => String::new(),
    }
}

#[tokio::test]
async fn a_paid_order_is_notified_to_the_demo_store_with_a_valid_signature() {
    let app = spawn_app().await;
    let (store_order_id, page) = create_order(&app, "demo-mario").await;

    // The storefront offers to open the new order: a hand-over naming it.
    let open = form_in(&page, r#"class="demo-store-open-order""#);
    assert_eq!(open.field("store_order_id"), store_order_id);
    let (_, profile) = follow(&app, submit(&app, &open, &[]).await).await;

    // Pay it with Mario's saved card and approve at the sandbox checkout.
    let pay = form_in(
        order_on_profile(&profile, &store_order_id),
        r#"class="pay-form""#,
    );
    let to_checkout = submit(&app, &pay, &[]).await;
    assert_eq!(to_checkout.status().as_u16(), 303);
    let checkout_url = absolute(&app, location(&to_checkout));
    let checkout = app.client.get(checkout_url).send().await.unwrap();
    let checkout = form_in(&checkout.text().await.unwrap(), r#"class="checkout""#);
    let back = submit(&app, &checkout, &[("action", "approve")]).await;
    assert_eq!(back.status().as_u16(), 303);

    // The notification worker delivers on its own.
    let mut listed = String::new();
    for _ in 0..100 {
        listed = events_listed(&app).await;
        if listed.contains(&store_order_id) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        listed.contains(&store_order_id),
        "no notification: {listed}"
    );
    assert!(listed.contains("order.paid"), "{listed}");
    assert!(listed.contains("firma valida") && !listed.contains("firma NON valida"));
    assert_eq!(listed.matches("<tr class=").count(), 1, "{listed}");
}

#[tokio::test]
async fn a_forged_notification_is_refused_and_listed_as_not_valid() {
    let app = spawn_app().await;
    let body =
        json!({"id": "evt_forged", "type": "order.paid", "created_at": "2025-01-01T00:00:00Z",
        "data": {"store_order_id": "shop-forged"}})
        .to_string();

    let wrong_secret = sign(b"whsec_guessed", now(), body.as_bytes());
    let response = post_event(&app, &body, &wrong_secret).await;
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["ok"],
        false
    );

    let secret = app_setting(&app, "webhook_secret");
    let too_old = sign(secret.as_bytes(), now() - 3600, body.as_bytes());
    assert_eq!(
        post_event(&app, &body, &too_old).await.status().as_u16(),
        400
    );
    assert_eq!(post_event(&app, &body, "").await.status().as_u16(), 400);

    let listed = events_listed(&app).await;
    assert_eq!(listed.matches("firma NON valida").count(), 3, "{listed}");
    assert!(listed.contains("evt_forged") && listed.contains("shop-forged"));
    assert!(!listed.contains("firma valida<"), "{listed}");
}

#[tokio::test]
async fn the_same_event_delivered_twice_is_stored_once() {
    let app = spawn_app().await;
    let secret = app_setting(&app, "webhook_secret");
    let body =
        json!({"id": "evt_twice", "type": "order.refunded", "created_at": "2025-01-01T00:00:00Z",
        "data": {"store_order_id": "shop-twice", "store_user_id": "demo-luca", "amount": 100,
            "currency": "EUR", "payment": {}}})
        .to_string();

    for _ in 0..2 {
        let signature = sign(secret.as_bytes(), now(), body.as_bytes());
        let response = post_event(&app, &body, &signature).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            response.json::<serde_json::Value>().await.unwrap(),
            json!({"ok": true})
        );
    }

    let listed = events_listed(&app).await;
    assert_eq!(listed.matches("evt_twice").count(), 1, "{listed}");
    assert!(listed.contains("firma valida"));
}

#[tokio::test]
async fn a_forged_event_cannot_take_the_id_of_a_genuine_one() {
    let app = spawn_app().await;
    let secret = app_setting(&app, "webhook_secret");
    let body = json!({"id": "evt_1", "type": "order.paid", "data": {"store_order_id": "shop-1"}})
        .to_string();
    let forged = sign(b"whsec_guessed", now(), body.as_bytes());
    assert_eq!(
        post_event(&app, &body, &forged).await.status().as_u16(),
        400
    );
    let genuine = sign(secret.as_bytes(), now(), body.as_bytes());
    assert_eq!(
        post_event(&app, &body, &genuine).await.status().as_u16(),
        200
    );

    let listed = events_listed(&app).await;
    assert_eq!(listed.matches("firma valida<").count(), 1, "{listed}");
    assert_eq!(listed.matches("firma NON valida").count(), 1, "{listed}");
}
