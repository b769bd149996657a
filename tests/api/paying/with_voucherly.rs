//! Paying against a mock Voucherly: what is sent, customer identity, and idempotency under
//! concurrent submits.

use serde_json::json;
use wiremock::matchers::{body_json, body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, location, spawn_app_with_voucherly};

use super::support::{
    MARIO_CUSTOMER, VISA, create_bodies, created, db, mario_with, new_key, order_id, pay,
    payment_records,
};

#[tokio::test]
async fn giulias_first_payment_creates_her_customer_first_and_every_payment_uses_it() {
    let voucherly = MockServer::start().await;
    // Voucherly has nobody with her email: the customer is created, refused should the email
    // be taken meanwhile.
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .and(query_param("email", "giulia.bianchi@example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [], "pagination": {"hasMore": false, "nextStart": null}
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .and(body_json(json!({
            "email": "giulia.bianchi@example.com", "firstName": "Giulia", "lastName": "Bianchi",
            "options": {"requireUniqueEmail": true}
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "cus_giulia", "email": "giulia.bianchi@example.com"
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .and(body_partial_json(json!({
            "mode": "Payment",
            "customerId": "cus_giulia",
            "metadata": {"orderId": "demo-1003"},
            "country": "IT",
            "language": "it",
            // Past it Voucherly voids the checkout: an orphan we lost the id of is not payable.
            "timeout": 3600,
        })))
        .respond_with(created("pay_1", "cus_giulia"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .and(body_partial_json(json!({"customerId": "cus_giulia"})))
        .respond_with(created("pay_2", "cus_giulia"))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.sign_in_as("demo-giulia").await;
    let order = order_id(&app, "demo-1003");

    let first = pay(&app, order, &new_key(), "checkout", &[]).await;
    assert_eq!(first.status().as_u16(), 303);
    assert_eq!(location(&first), "https://checkout.example/pay_1");
    let stored: String = db(&app).value(
        "SELECT customer_id FROM voucherly_customers WHERE environment = 'sandbox'",
        &[],
    );
    assert_eq!(stored, "cus_giulia");

    // She came back without paying; a fresh form pays the same order again ("start again"),
    // after the first checkout, still open, is voided at Voucherly.
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_1", "referenceId": first_reference(&app), "status": "Requested"
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments/pay_1/void"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_1", "status": "Voided"
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    let second = pay(&app, order, &new_key(), "", &[]).await;
    assert_eq!(location(&second), "https://checkout.example/pay_2");
    let bodies = create_bodies(&voucherly).await;
    // Money is captured at payment unless the store chose to capture later.
    assert_eq!(bodies[0]["isAutoConfirm"], json!(true));
    // A food line says so, or meal vouchers would refuse it (`lineType` defaults to NonFood).
    assert_eq!(bodies[0]["lines"][0]["product"]["lineType"], "Food");
    assert!(bodies[0].get("customerEmail").is_none());
    assert!(bodies[1].get("customerEmail").is_none());
    assert!(bodies[1].get("customerPaymentMethodId").is_none());
}

#[tokio::test]
async fn ten_concurrent_submits_of_one_form_create_one_payment_and_one_redirect() {
    let voucherly = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .and(body_partial_json(json!({
            "customerId": MARIO_CUSTOMER, "customerPaymentMethodId": VISA
        })))
        .respond_with(
            created("pay_once", MARIO_CUSTOMER).set_delay(std::time::Duration::from_millis(500)),
        )
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1001");
    let csrf = app.csrf_token("/account").await;
    let key = new_key();

    let mut submits = Vec::new();
    for _ in 0..10 {
        let (client, url) = (
            app.client.clone(),
            app.url(&format!("/account/orders/{order}/pay")),
        );
        let form = [
            ("csrf_token", csrf.clone()),
            ("idempotency_key", key.clone()),
            ("method_id", VISA.to_owned()),
        ];
        submits.push(tokio::spawn(async move {
            client.post(url).form(&form).send().await.unwrap()
        }));
    }
    for submit in submits {
        let response = submit.await.unwrap();
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(location(&response), "https://checkout.example/pay_once");
    }
    assert_eq!(payment_records(&app).len(), 1);
    let body = &create_bodies(&voucherly).await[0];
    assert_eq!(
        body["discounts"],
        json!([{"discountName": "Sconto pranzo", "discountDescription": "Benvenuto nel negozio",
                "amount": 200}])
    );
}

#[tokio::test]
async fn a_tampered_amount_in_the_form_changes_nothing() {
    let voucherly = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("pay_1", MARIO_CUSTOMER))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1002");
    let tampered = [("amount", "1"), ("finalAmount", "1"), ("unit_amount", "1")];

    let response = pay(&app, order, &new_key(), VISA, &tampered).await;

    assert_eq!(response.status().as_u16(), 303);
    let body = &create_bodies(&voucherly).await[0];
    assert_eq!(body["lines"][0]["unitAmount"], 4990);
    assert_eq!(body["lines"][0]["quantity"], 1);
    // The schema's shape only: no flat `productName`/`isFood`, no `product.isFood`.
    assert_eq!(
        body["lines"][0],
        json!({"quantity": 1, "unitAmount": 4990, "unitDiscountAmount": 0, "externalId": "1",
               "product": {"externalId": "cuffie-bt", "name": "Cuffie Bluetooth",
                           "taxRate": 22.0, "lineType": "NonFood"}})
    );
    assert!(body.get("amount").is_none());
    assert_eq!(
        payment_records(&app),
        [("requested".into(), 4990, Some("Visa •••• 4242".into()))]
    );
}

#[tokio::test]
async fn voucherly_not_answering_the_method_list_shows_only_the_checkout_choice() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", MARIO_CUSTOMER);
    app.sign_in_as("demo-mario").await;

    let html = app.get_html("/account").await;

    assert!(html.contains("potrai sceglierne uno nella pagina di pagamento di Voucherly"));
    assert!(html.contains(r#"value="checkout" checked"#));
    assert!(!html.contains(&format!(r#"value="{VISA}""#)));
}

#[tokio::test]
async fn a_new_form_for_an_order_whose_earlier_payment_was_paid_meanwhile_pays_nothing_twice() {
    let voucherly = MockServer::start().await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1002");
    // A first payment was created, and paid in another tab; its callback has not come yet.
    let first = app.insert_payment(order, Some("pay_first"), "requested", 0);
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_first"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_first", "status": "Confirmed", "referenceId": first,
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("pay_second", MARIO_CUSTOMER))
        .expect(0)
        .mount(&voucherly)
        .await;

    let response = pay(&app, order, &new_key(), VISA, &[]).await;

    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account?notice=already_paid");
    assert_eq!(app.payment_row(&first).status, "paid");
    assert_eq!(app.order_status(order), "paid");
}

/// The reference of the shopper's first payment record.
fn first_reference(app: &TestApp) -> String {
    db(app).value("SELECT reference FROM payments ORDER BY id LIMIT 1", &[])
}

#[tokio::test]
async fn the_pay_button_answers_within_the_timeout_with_three_earlier_attempts_hanging() {
    let voucherly = MockServer::start().await;
    for id in ["pay_a", "pay_b", "pay_c"] {
        Mock::given(method("GET"))
            .and(path(format!("/v1/payments/{id}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"id": id, "status": "Requested"}))
                    .set_delay(std::time::Duration::from_secs(30)),
            )
            .mount(&voucherly)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("pay_new", MARIO_CUSTOMER))
        .expect(0)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1001");
    // One still at the checkout, two whose creation timed out (Voucherly may have made them).
    app.insert_payment(order, Some("pay_a"), "requested", 1_000);
    app.insert_payment(order, Some("pay_b"), "create_failed", 1_000);
    app.insert_payment(order, Some("pay_c"), "create_failed", 1_000);

    let started = std::time::Instant::now();
    let response = pay(&app, order, &new_key(), VISA, &[]).await;
    let took = started.elapsed();

    // The test app's Voucherly timeout is 2 s: the checks share one deadline within it.
    assert!(took < std::time::Duration::from_secs(2), "{took:?}");
    // Not knowing whether an earlier checkout is still open, nothing new starts.
    assert_eq!(response.status().as_u16(), 503);
}

#[tokio::test]
async fn earlier_checks_run_at_once_so_three_slow_ones_still_let_the_payment_start() {
    let voucherly = MockServer::start().await;
    for id in ["pay_a", "pay_b", "pay_c"] {
        Mock::given(method("GET"))
            .and(path(format!("/v1/payments/{id}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"id": id, "status": "Voided"}))
                    .set_delay(std::time::Duration::from_millis(600)),
            )
            .expect(1)
            .mount(&voucherly)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("pay_new", MARIO_CUSTOMER))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1001");
    app.insert_payment(order, Some("pay_a"), "requested", 1_000);
    app.insert_payment(order, Some("pay_b"), "create_failed", 1_000);
    app.insert_payment(order, Some("pay_c"), "create_failed", 1_000);

    // One after the other they would take 1.8 s, past the 1 s deadline.
    let response = pay(&app, order, &new_key(), VISA, &[]).await;
    assert_eq!(location(&response), "https://checkout.example/pay_new");
}
