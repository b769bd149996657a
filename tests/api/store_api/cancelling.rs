//! `POST /api/v1/orders/{id}/cancel`: an unpaid order stops being payable at once and its open
//! checkout is voided (by the reconciler, when Voucherly is down at the time); cancelling twice
//! answers the same; a paid order is refused; a payment the shopper made as the order was
//! cancelled is refunded by itself and the store hears of each step.

use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{StoreApi, json_of, with_generated_key};
use crate::callbacks::{eventually, reads_back, voucherly_payment};
use crate::helpers::{TestApp, spawn_with};

impl StoreApi {
    pub async fn cancel(&self, store_order_id: &str, body: Option<Value>) -> reqwest::Response {
        let request = self.request(
            Method::POST,
            &format!("/api/v1/orders/{store_order_id}/cancel"),
        );
        match body {
            Some(body) => request.json(&body),
            None => request,
        }
        .send()
        .await
        .expect("POST")
    }
}

/// The kinds of the events queued for order `order_id`, oldest first.
fn events(app: &TestApp, order_id: i64) -> Vec<String> {
    use crate::helpers::test_db::FromVal;
    app.db()
        .rows(
            "SELECT type FROM outbox_events WHERE order_id = ?1 ORDER BY id",
            args![order_id],
        )
        .into_iter()
        .map(|mut row| String::from_val(row.remove(0)))
        .collect()
}

/// The kinds of the events the store received, in order, once there are `count` of them.
async fn received(store: &MockServer, count: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let requests = store.received_requests().await.expect("requests recorded");
        if requests.len() >= count || std::time::Instant::now() > deadline {
            return requests
                .iter()
                .map(|request| {
                    let event: Value = serde_json::from_slice(&request.body).expect("JSON");
                    event["type"].as_str().expect("a type").to_owned()
                })
                .collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// An app on a wiremock Voucherly, posting its events to a wiremock store, with Mario's order
/// A-1 at Voucherly's checkout as `pay_1`.
async fn order_at_checkout() -> (StoreApi, MockServer, MockServer, i64, String) {
    let (voucherly, store) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .and(path("/hooks"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&store)
        .await;
    let (base_url, hook) = (voucherly.uri(), format!("{}/hooks", store.uri()));
    let app = spawn_with(move |settings| {
        settings.voucherly_api_key = Some(SecretString::from("sk_test_key"));
        settings.voucherly_base_url = Some(base_url);
        // The cancel waits for Voucherly half as long (5 s): a void, a read-back and a refund
        // in a row must fit in it however busy the machine running the tests is.
        settings.voucherly_timeout = 10;
        settings.demo = Some(true);
        settings.store_webhook_url = Some(hook);
        settings.store_webhook_secret =
            Some(SecretString::from(format!("whsec_{}", "7e".repeat(32))));
    })
    .await;
    let api = with_generated_key(app);
    let order = api.app.insert_order("demo-mario", "A-1", 1290);
    let reference = api
        .app
        .insert_payment(order, Some("pay_1"), "requested", 1_000);
    (api, voucherly, store, order, reference)
}

fn voucherly_answers(action: &str, status: u16, body: Value) -> Mock {
    Mock::given(method("POST"))
        .and(path(format!("/v1/payments/pay_1/{action}")))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[tokio::test]
async fn a_cancel_voids_the_open_checkout_and_twice_answers_the_same() {
    let (api, voucherly, store, order, reference) = order_at_checkout().await;
    voucherly_answers(
        "void",
        200,
        voucherly_payment("pay_1", &reference, "Voided"),
    )
    .expect(1)
    .mount(&voucherly)
    .await;

    let first = api
        .cancel("A-1", Some(json!({"reason": "out of stock"})))
        .await;
    assert_eq!(first.status().as_u16(), 200);
    let first = json_of(first).await;
    assert_eq!(first["order"]["status"], "cancelled");
    assert_eq!(first["cancellation"]["reason"], "out of stock");
    assert_eq!(first["cancellation"]["payments"][0]["outcome"], "closed");
    assert_eq!(api.app.payment_row(&reference).status, "failed");
    assert_eq!(
        json_of(api.get_order("A-1").await).await["status"],
        "cancelled"
    );

    // Again, without a body: the same answer, and Voucherly is not asked again.
    let again = api.cancel("A-1", None).await;
    assert_eq!(again.status().as_u16(), 200);
    assert_eq!(json_of(again).await, first);
    assert_eq!(events(&api.app, order), ["order.cancelled"]);
    assert_eq!(received(&store, 1).await, ["order.cancelled"]);
}

#[tokio::test]
async fn a_paid_order_is_not_cancelled_but_must_be_refunded() {
    let (api, voucherly, store, order, reference) = order_at_checkout().await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;
    api.app.post_callback(&json!({"id": "pay_1"})).await;
    assert_eq!(api.app.order_status(order), "paid");

    let refused = api.cancel("A-1", Some(json!({}))).await;
    assert_eq!(refused.status().as_u16(), 409);
    let error = json_of(refused).await;
    assert_eq!(error["error"]["code"], "order_paid");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("refund"),
        "{error}"
    );
    assert_eq!(api.app.order_status(order), "paid");
    assert_eq!(events(&api.app, order), ["order.paid"]);
    assert_eq!(received(&store, 1).await, ["order.paid"]);
}

#[tokio::test]
async fn a_cancel_while_voucherly_is_down_still_cancels_and_the_reconciler_voids_later() {
    let (api, voucherly, _store, order, reference) = order_at_checkout().await;
    let down = Mock::given(method("POST"))
        .and(path("/v1/payments/pay_1/void"))
        .respond_with(ResponseTemplate::new(503))
        .mount_as_scoped(&voucherly)
        .await;

    let answer = api.cancel("A-1", None).await;
    assert_eq!(answer.status().as_u16(), 200);
    let answer = json_of(answer).await;
    assert_eq!(answer["order"]["status"], "cancelled");
    assert_eq!(answer["cancellation"]["payments"][0]["outcome"], "voiding");
    assert_eq!(api.app.order_status(order), "cancelled");
    drop(down);

    // Voucherly is back: the reconciler reads the checkout, still open, and voids it.
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Requested"),
        1,
    )
    .mount(&voucherly)
    .await;
    voucherly_answers(
        "void",
        200,
        voucherly_payment("pay_1", &reference, "Voided"),
    )
    .expect(1)
    .mount(&voucherly)
    .await;
    let payments = api.app.payments_with(&voucherly).await;
    payments.reconcile_once(now() + 1).await.unwrap();
    assert_eq!(api.app.payment_row(&reference).status, "failed");
    let again = json_of(api.cancel("A-1", None).await).await;
    assert_eq!(again["cancellation"]["payments"][0]["outcome"], "closed");
}

#[tokio::test]
async fn a_checkout_paid_as_the_order_is_cancelled_is_refunded_by_itself() {
    let (api, voucherly, store, order, reference) = order_at_checkout().await;
    // Not voidable any more: the shopper has just paid.
    voucherly_answers("void", 409, json!({"message": "payment is not voidable"}))
        .expect(1)
        .mount(&voucherly)
        .await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;
    voucherly_answers(
        "refund",
        200,
        voucherly_payment("pay_1", &reference, "Refunded"),
    )
    .expect(1)
    .mount(&voucherly)
    .await;

    let answer = api.cancel("A-1", None).await;
    assert_eq!(answer.status().as_u16(), 200);
    let answer = json_of(answer).await;
    assert_eq!(answer["order"]["status"], "cancelled");
    assert_eq!(answer["cancellation"]["payments"][0]["outcome"], "refunded");
    assert_eq!(api.app.payment_row(&reference).status, "refunded");
    assert_eq!(
        events(&api.app, order),
        [
            "order.cancelled",
            "order.paid_after_cancel",
            "order.duplicate_refunded"
        ]
    );
    assert_eq!(
        received(&store, 3).await,
        [
            "order.cancelled",
            "order.paid_after_cancel",
            "order.duplicate_refunded"
        ]
    );
}

#[tokio::test]
async fn a_payment_heard_paid_after_the_cancel_is_refunded_by_itself() {
    let (api, voucherly, store, order, reference) = order_at_checkout().await;
    let down = Mock::given(method("POST"))
        .and(path("/v1/payments/pay_1/void"))
        .respond_with(ResponseTemplate::new(503))
        .mount_as_scoped(&voucherly)
        .await;
    assert_eq!(api.cancel("A-1", None).await.status().as_u16(), 200);
    drop(down);

    // Voucherly's callback: the shopper paid the checkout the app could not void. The refund
    // follows by itself (the callback's worker makes the refunds due).
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;
    voucherly_answers(
        "refund",
        200,
        voucherly_payment("pay_1", &reference, "Refunded"),
    )
    .expect(1)
    .mount(&voucherly)
    .await;
    api.app.post_callback(&json!({"id": "pay_1"})).await;
    let payments = api.app.payments_with(&voucherly).await;
    payments.reconcile_once(now() + 1).await.unwrap();
    eventually(|| api.app.payment_row(&reference).status == "refunded").await;

    assert_eq!(api.app.payment_row(&reference).status, "refunded");
    assert_eq!(api.app.order_status(order), "cancelled");
    assert_eq!(
        events(&api.app, order),
        [
            "order.cancelled",
            "order.paid_after_cancel",
            "order.duplicate_refunded"
        ]
    );
    assert_eq!(
        received(&store, 3).await,
        [
            "order.cancelled",
            "order.paid_after_cancel",
            "order.duplicate_refunded"
        ]
    );
    let again = json_of(api.cancel("A-1", None).await).await;
    assert_eq!(again["cancellation"]["payments"][0]["outcome"], "refunded");
}

#[tokio::test]
async fn a_cancel_with_an_unknown_field_an_array_or_of_an_unknown_order_is_refused_in_json() {
    let (api, _voucherly, _store, order, _) = order_at_checkout().await;
    let wrong = api.cancel("A-1", Some(json!({"why": "no"}))).await;
    assert_eq!(wrong.status().as_u16(), 400);
    let error = json_of(wrong).await;
    assert_eq!(error["error"]["code"], "invalid_request");
    assert!(
        error["error"]["message"].as_str().unwrap().contains("why"),
        "{error}"
    );
    assert_eq!(api.app.order_status(order), "awaiting_payment");
    // serde's derive would read `[null]` as a cancel without a reason.
    for array in [json!([null]), json!(["out of stock"])] {
        let wrong = api.cancel("A-1", Some(array.clone())).await;
        assert_eq!(wrong.status().as_u16(), 400, "{array}");
        assert_eq!(json_of(wrong).await["error"]["code"], "invalid_request");
    }
    assert_eq!(api.app.order_status(order), "awaiting_payment");

    let missing = api.cancel("nope", None).await;
    assert_eq!(missing.status().as_u16(), 404);
    assert_eq!(json_of(missing).await["error"]["code"], "not_found");
}

/// On the embedded sandbox: the shopper is at the checkout when the store cancels.
#[cfg(feature = "demo")]
mod on_the_sandbox {
    use crate::forms::{absolute, form_in, submit};
    use crate::helpers::location;
    use crate::store_api::{json_of, spawn_store_api};

    #[tokio::test]
    async fn a_cancel_of_an_open_checkout_leaves_nothing_payable() {
        let api = spawn_store_api().await;
        let app = &api.app;
        app.sign_in_as("demo-mario").await;
        let pay_form = form_in(&app.get_html("/account").await, r#"class="pay-form""#);
        let to_checkout = submit(app, &pay_form, &[]).await;
        assert_eq!(to_checkout.status().as_u16(), 303);
        let checkout = absolute(app, location(&to_checkout));
        let order: i64 = pay_form
            .action
            .trim_start_matches("/account/orders/")
            .trim_end_matches("/pay")
            .parse()
            .expect("an order id");
        let store_order_id: String = app.db().value(
            "SELECT store_order_id FROM orders WHERE id = ?1",
            args![order],
        );
        let voucherly_id: String = app.db().value(
            "SELECT voucherly_payment_id FROM payments WHERE order_id = ?1",
            args![order],
        );

        let answer = api.cancel(&store_order_id, None).await;
        assert_eq!(answer.status().as_u16(), 200);
        let answer = json_of(answer).await;
        assert_eq!(answer["order"]["status"], "cancelled");
        assert_eq!(answer["cancellation"]["payments"][0]["outcome"], "closed");

        // Voided at Voucherly: its checkout takes no money.
        let at_voucherly: serde_json::Value = app
            .client
            .get(app.url(&format!("/sandbox/v1/payments/{voucherly_id}")))
            .header("Voucherly-API-Key", "sk_sand_x")
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON");
        assert_eq!(at_voucherly["status"], "Voided", "{at_voucherly}");
        let page = app.client.get(&checkout).send().await.expect("GET");
        let page = page.text().await.expect("a page");
        assert!(!page.contains(r#"class="checkout""#), "{page}");

        // Nothing to pay on the shopper's page, and the old form is refused, in both languages.
        let profile = app.get_html("/account").await;
        assert!(!profile.contains(&pay_form.action), "{profile}");
        let refused = submit(app, &pay_form, &[]).await;
        assert_eq!(refused.status().as_u16(), 409);
        let page = refused.text().await.expect("a page");
        assert!(page.contains("Ordine annullato"), "{page}");
        app.choose_language("/account", "en", "/account").await;
        let refused = submit(app, &pay_form, &[]).await;
        assert_eq!(refused.status().as_u16(), 409);
        let page = refused.text().await.expect("a page");
        assert!(page.contains("Order cancelled"), "{page}");
        assert_eq!(
            json_of(api.get_order(&store_order_id).await).await["status"],
            "cancelled"
        );
    }
}
