//! Meal vouchers pay food only, on the embedded sandbox (Voucherly's twin): a voucher is never
//! offered (nor accepted) for an order without food, and for one with food the form says how
//! much it can cover. The shop's product ids travel as `product.externalId`, never `productId`.

use serde_json::json;

use crate::helpers::{location, spawn_app};
use crate::store_api::with_generated_key;

use super::support::{new_key, order_id, pay};

const MARIO_EDENRED: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a03";

/// The HTML of one order's pay form on the profile.
fn form_of<'a>(html: &'a str, store_order_id: &str) -> &'a str {
    let title = format!("{store_order_id}</h3>");
    let start = html.find(&title).expect("the order");
    let end = html[start..].find("</form>").expect("its form") + start;
    &html[start..end]
}

#[tokio::test]
async fn a_non_food_order_never_offers_a_voucher_and_a_food_order_shows_its_share() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let html = app.get_html("/account").await;

    // Headphones: no Edenred.
    let headphones = form_of(&html, "demo-1002");
    assert!(!headphones.contains(MARIO_EDENRED), "{headphones}");
    assert!(headphones.contains("Visa •••• 4242"));
    // Lunch: all food, 17,00 € after the discount.
    let lunch = form_of(&html, "demo-1001");
    assert!(lunch.contains(MARIO_EDENRED), "{lunch}");
    assert!(
        lunch.contains(
            "Edenred: fino a 17,00 € di alimentari; il resto con un altro metodo al checkout"
        ),
        "{lunch}"
    );
}

#[tokio::test]
async fn a_mixed_order_offers_the_voucher_for_its_food_share_only() {
    let api = with_generated_key(spawn_app().await);
    let body = json!({
        "store_order_id": "MIX-1",
        "shopper": {"store_user_id": "demo-mario", "email": "mario.rossi@example.com",
                    "first_name": "Mario", "last_name": "Rossi", "language": "it"},
        "lines": [
            {"product_id": "pasta", "product_name": "Pasta", "quantity": 2,
             "unit_amount": 750, "is_food": true},
            {"product_id": "apron", "product_name": "Grembiule", "quantity": 1,
             "unit_amount": 1500, "is_food": false}
        ],
        "discounts": [{"name": "Welcome", "amount": 300}],
        "currency": "EUR"
    });
    assert_eq!(api.post_order(&body).await.status().as_u16(), 201);
    let app = &api.app;
    app.sign_in_as("demo-mario").await;

    let html = app.get_html("/account").await;
    // 30,00 less 3,00: food is half, so vouchers cover 13,50 €.
    let mixed = form_of(&html, "MIX-1");
    assert!(
        mixed.contains("Edenred: fino a 13,50 € di alimentari"),
        "{mixed}"
    );
}

#[tokio::test]
async fn a_voucher_submitted_for_a_non_food_order_is_refused_and_nothing_is_created() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1002");

    let response = pay(&app, order, &new_key(), MARIO_EDENRED, &[]).await;
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        super::support::payment_records(&app),
        Vec::<(String, i64, Option<String>)>::new()
    );
}

#[tokio::test]
async fn the_sandbox_reads_the_shops_product_id_as_external_id_not_as_a_catalogue_id() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");

    // The twin answers 400 RESOURCE_MISSING to any `productId`: this payment starts.
    let response = pay(&app, order, &new_key(), MARIO_EDENRED, &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    let checkout = location(&response).to_owned();
    let prefix = app.url("/sandbox/checkout/");
    let payment_id = checkout[prefix.len()..].split(['?', '/']).next().unwrap();
    let payment: serde_json::Value = app
        .client
        .get(app.url(&format!("/sandbox/v1/payments/{payment_id}?include=Lines")))
        .header("Voucherly-API-Key", "sk_sand_x")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let lines = payment["lines"].as_array().expect("lines");
    assert_eq!(lines[0]["productExternalId1"], "pizza-margherita");
    assert!(
        lines.iter().all(|line| line["productId"].is_null()),
        "{lines:?}"
    );
}
