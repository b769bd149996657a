//! Paying on the embedded sandbox, as `cargo run` does.

use crate::helpers::{location, spawn_app};

use super::support::{db, new_key, order_id, pay, payment_records};

const MARIO_CUSTOMER_ID: &str = "5b0c7a52-3f4e-4d7b-9a61-0d1e2f3a4b01";
const MARIO_VISA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01";
const MARIO_EXPIRED_MASTERCARD: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a02";

#[tokio::test]
async fn mario_sees_his_orders_to_pay_with_their_totals_and_his_usable_methods() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let html = app.get_html("/account").await;
    assert!(html.contains("Da pagare"), "{html}");
    assert!(html.contains("demo-1001"));
    assert!(html.contains("2 ×</span> Pizza margherita"));
    assert!(html.contains("Sconto pranzo"));
    // 2 × 7,50 + (4,50 − 0,50) − 2,00
    assert!(html.contains("17,00 €"));
    assert!(html.contains("demo-1002"));
    assert!(html.contains("49,90 €"));
    // Giulia's order is hers.
    assert!(!html.contains("demo-1003"));
    // The Visa is offered, the expired Mastercard is not.
    assert!(html.contains(&format!(r#"value="{MARIO_VISA}""#)));
    assert!(!html.contains(&format!(r#"value="{MARIO_EXPIRED_MASTERCARD}""#)));
    assert!(html.contains("Visa •••• 4242"));
    assert!(html.contains("Paga con questo metodo"));
    assert!(html.contains("Non hai ancora effettuato pagamenti."));
}

#[tokio::test]
async fn paying_with_the_saved_visa_sends_mario_to_the_sandbox_checkout_for_the_order_total() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");

    let response = pay(&app, order, &new_key(), MARIO_VISA, &[]).await;

    assert_eq!(response.status().as_u16(), 303);
    let checkout = location(&response).to_owned();
    let prefix = app.url("/sandbox/checkout/");
    assert!(checkout.starts_with(&prefix), "{checkout}");
    let payment_id = checkout[prefix.len()..].split(['?', '/']).next().unwrap();
    let payment: serde_json::Value = app
        .client
        .get(app.url(&format!(
            "/sandbox/v1/payments/{payment_id}?include=Lines&include=Discounts"
        )))
        .header("Voucherly-API-Key", "sk_sand_x")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(payment["customerId"], MARIO_CUSTOMER_ID);
    assert_eq!(payment["finalAmount"], 1700);
    assert_eq!(payment["metadata"]["orderId"], "demo-1001");
    assert_eq!(payment["lines"][0]["productName"], "Pizza margherita");
    assert_eq!(payment["lines"][0]["quantity"], 2);
    assert_eq!(payment["lines"][0]["isFood"], true);
    assert_eq!(payment["discounts"][0]["amount"], 200);
    let reference = payment["referenceId"].as_str().unwrap().to_owned();
    // The sandbox kept the request: the chosen method was preselected.
    let request: String = app.sandbox_db().value(
        "SELECT request FROM sandbox_payments WHERE id = ?1",
        args![payment_id],
    );
    let request: serde_json::Value = serde_json::from_str(&request).unwrap();
    assert_eq!(request["customerPaymentMethodId"], MARIO_VISA);
    assert!(
        request["redirectOkUrl"]
            .as_str()
            .unwrap()
            .starts_with(&app.url(&format!("/payments/{reference}/return")))
    );
    assert_eq!(request["callbackUrl"], app.url("/payments/callback"));
    // Our record: requested, for the order's amount, with the method's label.
    assert_eq!(
        payment_records(&app),
        [("requested".into(), 1700, Some("Visa •••• 4242".into()))]
    );
    let html = app.get_html("/account").await;
    assert!(html.contains("Storico pagamenti"));
    assert!(html.contains("In corso"));
}

#[tokio::test]
async fn a_paid_order_leaves_to_pay_and_its_form_sends_back_with_a_notice() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1002");
    db(&app).execute(
        "UPDATE orders SET status = 'paid' WHERE id = ?1",
        args![order],
    );

    let response = pay(&app, order, &new_key(), "checkout", &[]).await;

    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/account?notice=already_paid");
    let html = app.get_html("/account?notice=already_paid").await;
    assert!(html.contains(r#"role="status">Questo ordine risulta già pagato."#));
    assert!(!html.contains("demo-1002"));
    assert!(html.contains("demo-1001"));
    assert!(payment_records(&app).is_empty());
}

#[tokio::test]
async fn a_long_history_is_paginated_newest_first() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");
    let conn = db(&app);
    for n in 1..=12i64 {
        conn.execute(
            "INSERT INTO payments (reference, shopper_id, order_id, idempotency_key, environment,
                 amount, status, created_at, updated_at)
             SELECT ?1, shopper_id, id, ?1, 'embedded', ?2, 'failed', ?3, ?3
             FROM orders WHERE id = ?4",
            args![format!("ref-{n}"), n * 100, 1_700_000_000 + n * 60, order],
        );
    }

    let first = app.get_html("/account").await;
    let second = app.get_html("/account?page=2").await;

    assert!(first.contains("<caption>"));
    assert!(first.contains("Pagina 1 di 2"));
    assert!(first.contains(r#"href="/account?page=2#history-heading""#));
    assert_eq!(first.matches("Non riuscito").count(), 10);
    // Newest first: 12,00 € (the twelfth) before 3,00 € (the third).
    let (twelfth, third) = (
        first.find("12,00 €").unwrap(),
        first.find("3,00 €").unwrap(),
    );
    assert!(twelfth < third);
    assert!(!first.contains(r#"class="amount">2,00 €</td>"#));
    assert!(second.contains("Pagina 2 di 2"));
    assert_eq!(second.matches("Non riuscito").count(), 2);
    assert!(second.contains("1,00 €"));
    assert!(second.contains("Scelto su Voucherly"));
}

#[tokio::test]
async fn a_shopper_who_left_the_checkout_can_resume_that_payment_from_the_profile() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");
    let before = app.get_html("/account").await;
    assert!(!before.contains("Riprendi il pagamento"));

    let response = pay(&app, order, &new_key(), MARIO_VISA, &[]).await;
    let checkout = location(&response).to_owned();

    // Back on the profile without finishing at the checkout.
    let html = app.get_html("/account").await;
    assert!(html.contains("Riprendi il pagamento"), "{html}");
    assert!(html.contains(&format!(r#"href="{checkout}""#)));
    // The other order has nothing under way.
    assert_eq!(html.matches("Riprendi il pagamento").count(), 1);
}
