//! Refunds through the store API: part of an order then the rest, each told to the store once;
//! the same refund id asked twice (or at once) making one Voucherly refund; never more than was
//! captured; and a refund Voucherly could not take, made after the app was stopped and started
//! again, never twice.

use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{StoreApi, assert_error, json_of, with_generated_key};
use crate::helpers::{TestApp, spawn_app_with_voucherly};

pub(super) async fn post_refund(
    api: &StoreApi,
    store_order_id: &str,
    body: &Value,
) -> reqwest::Response {
    api.request(
        Method::POST,
        &format!("/api/v1/orders/{store_order_id}/refunds"),
    )
    .json(body)
    .send()
    .await
    .expect("POST")
}

/// The types and data of the events queued for the store, oldest first.
fn events(app: &TestApp) -> Vec<(String, Value)> {
    app.db()
        .text_rows("SELECT type, payload FROM outbox_events ORDER BY id", &[])
        .into_iter()
        .map(|row| {
            let payload: Value = serde_json::from_str(&row[1]).expect("a JSON payload");
            (row[0].clone(), payload["data"].clone())
        })
        .collect()
}

/// Voucherly's payment `pay_1`: 1500 cents captured on one card transaction, `refunded` of it
/// given back.
fn card_payment(refunded: i64) -> Value {
    json!({
        "id": "pay_1",
        "status": if refunded == 1500 { "Refunded" } else { "Confirmed" },
        "finalAmount": 1500,
        "transactions": [{
            "id": "tx_1", "paymentGatewayId": "card", "amount": 1500, "voucherAmount": 0,
            "confirmedAmount": 1500, "refundedAmount": refunded,
            "status": if refunded == 0 { "Confirmed" } else { "RefundedPartially" }
        }]
    })
}

fn reads(voucherly_answer: ResponseTemplate) -> Mock {
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .respond_with(voucherly_answer)
}

fn refunds(voucherly_answer: ResponseTemplate) -> Mock {
    refunds_asked(json!({}), voucherly_answer)
}

/// Voucherly's refund of `pay_1`, asked with a body that holds `body`.
fn refunds_asked(body: Value, voucherly_answer: ResponseTemplate) -> Mock {
    Mock::given(method("POST"))
        .and(path("/v1/payments/pay_1/refund"))
        .and(body_partial_json(body))
        .respond_with(voucherly_answer)
}

/// Settings of an app on the wiremock Voucherly at `uri`.
fn on_voucherly(uri: String) -> impl FnOnce(&mut voucherly_account::settings::Settings) {
    move |settings| {
        settings.voucherly_api_key = Some(secrecy::SecretString::from("sk_test_key"));
        settings.voucherly_base_url = Some(uri);
        settings.voucherly_timeout = 2;
        settings.demo = Some(true);
    }
}

/// Mario's order A-1 of 1500 cents, paid (captured) by `pay_1`.
fn paid_order(app: &TestApp) {
    let order = app.insert_order("demo-mario", "A-1", 1500);
    app.insert_payment(order, Some("pay_1"), "paid", 1_000);
    app.db().execute(
        "UPDATE orders SET status = 'paid' WHERE id = ?1",
        args![order],
    );
}

/// An app on `voucherly` running on a runtime of its own, which the test can stop at once as a
/// crash would stop it (its server and workers with it), leaving its database behind.
fn app_to_crash(voucherly: &MockServer) -> (TestApp, tokio::runtime::Runtime) {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .expect("a runtime");
                let app = runtime.block_on(spawn_app_with_voucherly(voucherly));
                (app, runtime)
            })
            .join()
            .expect("the app starts")
    })
}

/// The refund R-1 as the store API at `address` answers it.
async fn refund_at(address: &str, key: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{address}/api/v1/orders/A-1/refunds/R-1"))
        .bearer_auth(key)
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON")
}

/// Waits until the refund R-1 at `address` is `status`.
async fn refund_becomes(address: &str, key: &str, status: &str) -> Value {
    for _ in 0..300 {
        let refund = refund_at(address, key).await;
        if refund["status"] == status {
            return refund;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "refund R-1 never became {status}: {}",
        refund_at(address, key).await
    );
}

#[tokio::test]
async fn a_refund_while_voucherly_is_down_stays_pending_and_is_made_once_after_a_restart() {
    let down = MockServer::start().await;
    reads(ResponseTemplate::new(503)).mount(&down).await;
    refunds(ResponseTemplate::new(503))
        .expect(0)
        .mount(&down)
        .await;
    let (first, runtime) = app_to_crash(&down);
    paid_order(&first);
    let key = first.store_api_key();
    let api = with_generated_key(first);

    let answer = post_refund(&api, "A-1", &json!({"refund_id": "R-1", "amount": 700})).await;
    assert_eq!(answer.status().as_u16(), 202);
    let pending = json_of(answer).await;
    assert_eq!(pending["status"], "pending");
    assert_eq!(pending["amount"], 700);
    runtime.shutdown_background();

    let back = MockServer::start().await;
    reads(ResponseTemplate::new(200).set_body_json(card_payment(0)))
        .mount(&back)
        .await;
    refunds_asked(
        json!({"transactions": [{"id": "tx_1", "amount": 700}]}),
        ResponseTemplate::new(200).set_body_json(card_payment(700)),
    )
    .expect(1)
    .mount(&back)
    .await;
    let second = api.app.restart_with(on_voucherly(back.uri())).await;

    let made = refund_becomes(&second, &key, "refunded").await;
    assert_eq!(made["amount"], 700);
    let order = reqwest::Client::new()
        .get(format!("{second}/api/v1/orders/A-1"))
        .bearer_auth(&key)
        .send()
        .await
        .expect("GET")
        .json::<Value>()
        .await
        .expect("JSON");
    assert_eq!(order["status"], "partially_refunded");
    assert_eq!(order["refunded_amount"], 700);
    // A build without the demo has no webhook: its events are dropped, not counted.
    if cfg!(feature = "demo") {
        let told: Vec<String> = events(&api.app).into_iter().map(|(kind, _)| kind).collect();
        assert_eq!(told, ["order.partially_refunded"]);
    }
}

#[tokio::test]
async fn a_refund_voucherly_made_but_whose_answer_was_lost_is_found_made_and_not_sent_again() {
    let lost = MockServer::start().await;
    reads(ResponseTemplate::new(200).set_body_json(card_payment(0)))
        .mount(&lost)
        .await;
    // Voucherly makes the refund, but its answer never arrives.
    refunds(ResponseTemplate::new(504))
        .expect(1)
        .mount(&lost)
        .await;
    let (first, runtime) = app_to_crash(&lost);
    paid_order(&first);
    let key = first.store_api_key();
    let api = with_generated_key(first);
    let answer = post_refund(&api, "A-1", &json!({"refund_id": "R-1"})).await;
    assert_eq!(answer.status().as_u16(), 202);
    runtime.shutdown_background();

    let later = MockServer::start().await;
    reads(ResponseTemplate::new(200).set_body_json(card_payment(1500)))
        .mount(&later)
        .await;
    refunds(ResponseTemplate::new(200))
        .expect(0)
        .mount(&later)
        .await;
    let second = api.app.restart_with(on_voucherly(later.uri())).await;

    let made = refund_becomes(&second, &key, "refunded").await;
    assert_eq!(made["amount"], 1500);
    // A build without the demo has no webhook: its events are dropped, not counted.
    if cfg!(feature = "demo") {
        let told: Vec<String> = events(&api.app).into_iter().map(|(kind, _)| kind).collect();
        assert_eq!(told, ["order.refunded"]);
    }
}

#[tokio::test]
async fn a_refund_to_the_wallet_asks_voucherly_for_credit() {
    let voucherly = MockServer::start().await;
    reads(ResponseTemplate::new(200).set_body_json(card_payment(0)))
        .mount(&voucherly)
        .await;
    refunds_asked(
        json!({"transactions": [{"id": "tx_1", "amount": 400, "asCredit": true}]}),
        ResponseTemplate::new(200).set_body_json(card_payment(400)),
    )
    .expect(1)
    .mount(&voucherly)
    .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    paid_order(&app);
    let api = with_generated_key(app);

    let answer = post_refund(
        &api,
        "A-1",
        &json!({"refund_id": "R-1", "amount": 400, "destination": "wallet", "reason": "late"}),
    )
    .await;
    assert_eq!(answer.status().as_u16(), 201);
    let refund = json_of(answer).await;
    assert_eq!(refund["status"], "refunded");
    assert_eq!(refund["destination"], "wallet");
    assert_eq!(refund["reason"], "late");
    // A build without the demo has no webhook: its events are dropped, not counted.
    if cfg!(feature = "demo") {
        let (kind, data) = events(&api.app).remove(0);
        assert_eq!(kind, "order.partially_refunded");
        assert_eq!(
            data["refund"],
            json!({"refund_id": "R-1", "amount": 400, "refunded_amount": 400,
                   "destination": "wallet", "status": "refunded"})
        );
    }
}

#[tokio::test]
async fn refunds_of_orders_not_captured_and_bad_bodies_are_refused_with_what_to_do() {
    let voucherly = MockServer::start().await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    let unpaid = app.insert_order("demo-mario", "U-1", 1500);
    let authorised = app.insert_order("demo-mario", "AU-1", 1500);
    app.insert_payment(authorised, Some("pay_2"), "authorised", 1_000);
    app.db().execute(
        "UPDATE orders SET status = 'paid' WHERE id = ?1",
        args![authorised],
    );
    let api = with_generated_key(app);
    let _ = unpaid;

    let message = assert_error(
        post_refund(&api, "U-1", &json!({"refund_id": "R-1"})).await,
        409,
        "order_not_paid",
    )
    .await;
    assert!(message.contains("awaiting_payment"), "{message}");
    let message = assert_error(
        post_refund(&api, "AU-1", &json!({"refund_id": "R-1"})).await,
        409,
        "order_not_captured",
    )
    .await;
    assert!(message.contains("release"), "{message}");
    assert_error(
        post_refund(&api, "NOPE", &json!({"refund_id": "R-1"})).await,
        404,
        "not_found",
    )
    .await;
    let message = assert_error(
        post_refund(&api, "AU-1", &json!({"refund_id": "R-1", "amont": 5})).await,
        400,
        "invalid_body",
    )
    .await;
    assert!(message.contains("amont"), "{message}");
    assert_error(
        post_refund(
            &api,
            "AU-1",
            &json!({"refund_id": "R-1", "amount": 5, "lines": [{"line": 0, "quantity": 1}]}),
        )
        .await,
        400,
        "invalid_request",
    )
    .await;
    // serde's derive would read a struct from an array of its fields, and a name from an object.
    for body in [
        json!(["R-1", 5, null, null, null]),
        json!({"refund_id": "R-1", "lines": [[0, 1]]}),
        json!({"refund_id": "R-1", "destination": {"wallet": null}}),
    ] {
        assert_error(post_refund(&api, "AU-1", &body).await, 400, "invalid_body").await;
    }
    assert_error(
        post_refund(&api, "AU-1", &json!({"refund_id": " ", "amount": 5})).await,
        400,
        "invalid_request",
    )
    .await;
    assert_eq!(
        api.count("store_refunds WHERE store_refund_id = ?1", "R-1"),
        0
    );
}

#[cfg(feature = "demo")]
mod on_the_sandbox {
    //! End to end on the embedded sandbox: Mario pays his first demo order (17,00 €) at the
    //! sandbox checkout, and the store refunds it.

    use reqwest::Method;
    use serde_json::{Value, json};

    use super::{events, post_refund};
    use crate::helpers::spawn_app;
    use crate::receipts::pay_and_approve;
    use crate::store_api::{StoreApi, assert_error, json_of, with_generated_key};

    /// The store API of an app where Mario paid demo-1001; Voucherly's id of the payment.
    async fn paid_demo_order() -> (StoreApi, String) {
        let app = spawn_app().await;
        app.sign_in_as("demo-mario").await;
        let reference = pay_and_approve(&app).await;
        let id = app.payment_row(&reference).voucherly_payment_id.unwrap();
        (with_generated_key(app), id)
    }

    /// What the sandbox gave back of the payment, over its transactions.
    async fn refunded_at_sandbox(api: &StoreApi, id: &str) -> (String, i64) {
        let payment = api
            .app
            .sandbox_json(&format!("/payments/{id}?include=Transactions"))
            .await;
        let refunded = payment["transactions"]
            .as_array()
            .expect("transactions")
            .iter()
            .map(|tx| tx["refundedAmount"].as_i64().unwrap_or(0))
            .sum();
        (
            payment["status"].as_str().unwrap_or_default().to_owned(),
            refunded,
        )
    }

    async fn order(api: &StoreApi) -> Value {
        json_of(api.get_order("demo-1001").await).await
    }

    #[tokio::test]
    async fn a_partial_refund_then_the_rest_refunds_the_order_with_one_notification_each() {
        let (api, id) = paid_demo_order().await;

        let part = post_refund(
            &api,
            "demo-1001",
            &json!({"refund_id": "R-1", "amount": 500}),
        )
        .await;
        assert_eq!(part.status().as_u16(), 201);
        assert_eq!(json_of(part).await["status"], "refunded");
        let partly = order(&api).await;
        assert_eq!(partly["status"], "partially_refunded");
        assert_eq!(partly["refunded_amount"], 500);
        assert_eq!(
            refunded_at_sandbox(&api, &id).await,
            ("Confirmed".into(), 500)
        );
        // Mario's history shows the refund, with the link to its receipt.
        let history = api.app.get_html("/account").await;
        assert!(history.contains("Rimborsati 5,00 €"), "{history}");
        assert!(history.contains("sul metodo di pagamento"), "{history}");
        assert!(history.contains(r#"class="refund-receipt""#), "{history}");
        api.app.choose_language("/account", "en", "/account").await;
        let history = api.app.get_html("/account").await;
        assert!(history.contains("refunded on"), "{history}");
        assert!(history.contains("to the payment method"), "{history}");

        let rest = post_refund(&api, "demo-1001", &json!({"refund_id": "R-2"})).await;
        assert_eq!(rest.status().as_u16(), 201);
        let rest = json_of(rest).await;
        assert_eq!(rest["amount"], 1200);
        assert_eq!(rest["status"], "refunded");
        let refunded = order(&api).await;
        assert_eq!(refunded["status"], "refunded");
        assert_eq!(refunded["refunded_amount"], 1700);
        let ids: Vec<&str> = refunded["refunds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["refund_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["R-1", "R-2"]);
        assert_eq!(
            refunded_at_sandbox(&api, &id).await,
            ("Refunded".into(), 1700)
        );

        let told: Vec<(String, Value)> = events(&api.app)
            .into_iter()
            .filter(|(kind, _)| kind != "order.paid")
            .collect();
        assert_eq!(told.len(), 2, "{told:?}");
        assert_eq!(told[0].0, "order.partially_refunded");
        assert_eq!(told[0].1["refund"]["refunded_amount"], 500);
        assert_eq!(told[1].0, "order.refunded");
        assert_eq!(told[1].1["refund"]["refund_id"], "R-2");
        assert_eq!(told[1].1["refund"]["refunded_amount"], 1700);
        assert_eq!(told[1].1["store_order_id"], "demo-1001");

        let listed = json_of(
            api.request(Method::GET, "/api/v1/orders/demo-1001/refunds")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(listed["refunded_amount"], 1700);
        assert_eq!(listed["items"].as_array().unwrap().len(), 2);
        let message = assert_error(
            post_refund(&api, "demo-1001", &json!({"refund_id": "R-3", "amount": 1})).await,
            422,
            "amount_too_large",
        )
        .await;
        assert!(message.contains("at most 0 cents"), "{message}");
    }

    #[tokio::test]
    async fn the_same_refund_asked_twice_and_at_once_makes_one_voucherly_refund() {
        let (api, id) = paid_demo_order().await;
        let body = json!({"refund_id": "R-1", "amount": 300, "reason": "broken"});
        let at_once: Vec<_> = (0..4)
            .map(|_| {
                tokio::spawn(
                    api.request(Method::POST, "/api/v1/orders/demo-1001/refunds")
                        .json(&body)
                        .send(),
                )
            })
            .collect();
        let mut statuses = Vec::new();
        for call in at_once {
            let answer = call.await.unwrap().unwrap();
            statuses.push(answer.status().as_u16());
            assert_eq!(json_of(answer).await["refund_id"], "R-1");
        }
        // One request recorded it (201, or 202 when another made it meanwhile); the others
        // answered the same refund.
        let new = statuses.iter().filter(|s| [201, 202].contains(*s)).count();
        assert_eq!(new, 1, "{statuses:?}");
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            3,
            "{statuses:?}"
        );

        let again = post_refund(&api, "demo-1001", &body).await;
        assert_eq!(again.status().as_u16(), 200);
        assert_eq!(json_of(again).await["status"], "refunded");
        assert_eq!(refunded_at_sandbox(&api, &id).await.1, 300);

        let other = json!({"refund_id": "R-1", "amount": 400});
        let message = assert_error(
            post_refund(&api, "demo-1001", &other).await,
            409,
            "conflict",
        )
        .await;
        assert!(message.contains("R-1"), "{message}");
        let message = assert_error(
            post_refund(
                &api,
                "demo-1001",
                &json!({"refund_id": "R-2", "amount": 1500}),
            )
            .await,
            422,
            "amount_too_large",
        )
        .await;
        assert!(message.contains("at most 1400 cents"), "{message}");
        assert_eq!(refunded_at_sandbox(&api, &id).await.1, 300);
        let one = json_of(
            api.request(Method::GET, "/api/v1/orders/demo-1001/refunds/R-1")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(one["amount"], 300);
        assert_eq!(one["reason"], "broken");
    }
}
