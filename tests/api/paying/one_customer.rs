//! One Voucherly customer per shopper: concurrent first payments share the customer the first
//! one creates, a customer Voucherly already has with the shopper's email is reused (even after
//! the database was lost), and a customer id Voucherly no longer knows is dropped and found or
//! created again.

use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{location, spawn_app_with_voucherly};
#[cfg(feature = "demo")]
use crate::store_api::with_generated_key;

use super::support::{create_bodies, created, db, new_key, order_id, pay};

#[cfg(feature = "demo")]
#[tokio::test]
async fn ten_concurrent_first_payments_make_one_voucherly_customer() {
    let api = with_generated_key(crate::helpers::spawn_app().await);
    for n in 1..10 {
        let body = json!({
            "store_order_id": format!("G-{n}"),
            "shopper": {"store_user_id": "demo-giulia", "email": "giulia.bianchi@example.com",
                        "first_name": "Giulia", "last_name": "Bianchi", "language": "it"},
            "lines": [{"product_name": "Pane", "quantity": 1, "unit_amount": 300 + n,
                       "is_food": true}],
            "currency": "EUR"
        });
        assert_eq!(api.post_order(&body).await.status().as_u16(), 201);
    }
    let app = &api.app;
    app.sign_in_as("demo-giulia").await;
    let orders: Vec<i64> = std::iter::once("demo-1003".to_owned())
        .chain((1..10).map(|n| format!("G-{n}")))
        .map(|store_order_id| order_id(app, &store_order_id))
        .collect();

    let csrf = app.csrf_token("/account").await;
    let mut submits = Vec::new();
    for order in orders {
        let (client, url) = (
            app.client.clone(),
            app.url(&format!("/account/orders/{order}/pay")),
        );
        let form = [
            ("csrf_token", csrf.clone()),
            ("idempotency_key", new_key()),
            ("method_id", "checkout".to_owned()),
        ];
        submits.push(tokio::spawn(async move {
            client.post(url).form(&form).send().await.unwrap()
        }));
    }
    for submit in submits {
        let response = submit.await.unwrap();
        assert_eq!(response.status().as_u16(), 303);
    }

    let ids: Vec<String> = db(app)
        .text_rows("SELECT voucherly_payment_id FROM payments", &[])
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(ids.len(), 10);
    let mut customers = Vec::new();
    for id in ids {
        let payment: serde_json::Value = app
            .client
            .get(app.url(&format!("/sandbox/v1/payments/{id}")))
            .header("Voucherly-API-Key", "sk_sand_x")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        customers.push(
            payment["customerId"]
                .as_str()
                .expect("a customer")
                .to_owned(),
        );
    }
    customers.sort();
    customers.dedup();
    assert_eq!(customers.len(), 1, "{customers:?}");
    let stored: String = db(app).value(
        "SELECT c.customer_id FROM voucherly_customers c JOIN shoppers s ON s.id = c.shopper_id
         WHERE s.store_user_id = 'demo-giulia'",
        &[],
    );
    assert_eq!(stored, customers[0]);
}

#[tokio::test]
async fn a_customer_id_voucherly_no_longer_knows_is_dropped_and_created_again() {
    let voucherly = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .and(body_partial_json(json!({"customerId": "cus_gone"})))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "type": "about:blank", "title": "Bad Request", "status": 400,
            "code": "RESOURCE_MISSING", "parameter": "CustomerId"
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    // Voucherly has nobody else with his email: a new customer is created, then paid with.
    no_customer_with_email(&voucherly, "mario.rossi@example.com").await;
    customer_created(&voucherly, "cus_new").await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .and(body_partial_json(json!({"customerId": "cus_new"})))
        .respond_with(created("pay_new", "cus_new"))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_gone");
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");

    let response = pay(&app, order, &new_key(), "checkout", &[]).await;
    assert_eq!(location(&response), "https://checkout.example/pay_new");
    let stored: String = db(&app).value("SELECT customer_id FROM voucherly_customers", &[]);
    assert_eq!(stored, "cus_new");
    let bodies = create_bodies(&voucherly).await;
    assert!(
        bodies[1].get("customerPaymentMethodId").is_none(),
        "{}",
        bodies[1]
    );
}

/// Voucherly lists nobody with `email`, once.
async fn no_customer_with_email(voucherly: &MockServer, email: &str) {
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .and(query_param("email", email))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [], "pagination": {"hasMore": false, "nextStart": null}
        })))
        .up_to_n_times(1)
        .expect(1)
        .mount(voucherly)
        .await;
}

/// Voucherly creates the customer `id`, once.
async fn customer_created(voucherly: &MockServer, id: &str) {
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .and(body_partial_json(
            json!({"options": {"requireUniqueEmail": true}}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": id})))
        .expect(1)
        .mount(voucherly)
        .await;
}

/// Giulia, not a Voucherly customer yet, signed in and paying her order with a method chosen at
/// the checkout, against `voucherly`.
async fn giulia_pays_at_the_checkout(
    voucherly: &MockServer,
) -> (crate::helpers::TestApp, reqwest::Response) {
    let app = spawn_app_with_voucherly(voucherly).await;
    app.sign_in_as("demo-giulia").await;
    let response = pay(
        &app,
        order_id(&app, "demo-1003"),
        &new_key(),
        "checkout",
        &[],
    )
    .await;
    (app, response)
}

#[tokio::test]
async fn a_customer_created_meanwhile_with_the_same_email_is_the_one_used() {
    let voucherly = MockServer::start().await;
    let email = "giulia.bianchi@example.com";
    no_customer_with_email(&voucherly, email).await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "type": null, "title": "One or more validation errors occurred.", "status": 400,
            "code": "VALIDATION_ERROR", "parameter": "Email"
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .and(query_param("email", email))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": "cus_other_tab", "email": email}],
            "pagination": {"hasMore": false, "nextStart": null}
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .and(body_partial_json(json!({"customerId": "cus_other_tab"})))
        .respond_with(created("pay_1", "cus_other_tab"))
        .expect(1)
        .mount(&voucherly)
        .await;
    let (_app, response) = giulia_pays_at_the_checkout(&voucherly).await;
    assert_eq!(location(&response), "https://checkout.example/pay_1");
}

#[tokio::test]
async fn voucherly_down_when_looking_the_customer_up_starts_no_payment_and_says_so() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&voucherly)
        .await;
    let (app, response) = giulia_pays_at_the_checkout(&voucherly).await;
    assert_eq!(response.status().as_u16(), 503);
    let records = super::support::payment_records(&app);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].0, "create_failed");
}
