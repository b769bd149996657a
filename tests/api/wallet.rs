//! The shopper's Voucherly wallet: the balance and today's prepaid quota on the profile, and
//! the wallet's movements a page at a time, in Italian time; the sandbox credits a top-up.

use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::forms::{absolute, form_in, submit};
use crate::helpers::{TestApp, spawn_app, spawn_app_with_voucherly};

/// Today in Italy, as `YYYY-MM-DD`.
fn italian_today() -> String {
    let today = voucherly_account::domain::in_italy(time::OffsetDateTime::now_utc());
    format!(
        "{}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    )
}

/// Mario, customer `cus_mario` of `voucherly`, signed in.
async fn mario_on(voucherly: &MockServer) -> TestApp {
    let app = spawn_app_with_voucherly(voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_mario");
    app.sign_in_as("demo-mario").await;
    app
}

#[tokio::test]
async fn the_profile_shows_the_wallet_balance_and_todays_prepaid_quota() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_mario"))
        .and(query_param("include", "Wallet"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "cus_mario", "wallet": {"totalAmount": 2550, "totalVoucherAmount": 800,
            "totalCashAmount": 1750, "lastUpdatedOnUtc": "2026-11-30T10:00:00Z"}
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_mario/prepaid"))
        .and(query_param("date", italian_today()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "paymentGatewayIsActive": true, "policy": {"isActive": true, "amount": 1000},
            "availableAmount": 700, "usedAmount": 300, "date": italian_today()
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_on(&voucherly).await;

    let html = app.get_html("/account").await;
    assert!(html.contains("Credito Voucherly"), "{html}");
    assert!(html.contains("25,50 €"), "{html}");
    assert!(html.contains("di cui da buoni pasto (solo per alimentari): 8,00 €"));
    assert!(html.contains("7,00 € disponibili su 10,00 €"));
    assert!(html.contains(r#"href="/account/wallet""#));
    // Within the cache period, another load asks Voucherly nothing more (`expect(1)`).
    app.choose_language("/account", "en", "/account").await;
    let english = app.get_html("/account").await;
    assert!(english.contains("€25.50"), "{english}");
    assert!(english.contains("€7.00 left of €10.00"));
}

#[tokio::test]
async fn without_a_quota_there_is_no_prepaid_line_and_voucherly_down_is_said() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_mario/prepaid"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "paymentGatewayIsActive": false, "policy": null, "availableAmount": null,
            "usedAmount": 0, "date": italian_today()
        })))
        .mount(&voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_mario"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "cus_mario"})))
        .up_to_n_times(1)
        .mount(&voucherly)
        .await;
    let app = mario_on(&voucherly).await;
    let html = app.get_html("/account").await;
    assert!(html.contains("0,00 €"), "{html}");
    assert!(!html.contains("Quota prepagata"));

    // A shopper who is not a customer yet has no wallet section.
    let giulia = crate::receipts::signed_in_elsewhere(&app, "demo-giulia").await;
    let hers = giulia.get(app.url("/account")).send().await.unwrap();
    assert!(!hers.text().await.unwrap().contains("Credito Voucherly"));

    // Voucherly down on a cold cache: the page still loads and says so.
    let down = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&down)
        .await;
    let app = mario_on(&down).await;
    let html = app.get_html("/account").await;
    assert!(html.contains("non ci dice il saldo"), "{html}");
    let page = app.get_html("/account/wallet").await;
    assert!(page.contains("non ci dice il saldo"), "{page}");
}

#[tokio::test]
async fn the_wallet_movements_page_follows_voucherlys_cursor_in_italian_time() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_mario/wallet/movements"))
        .and(query_param("start", "cur 2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"action": "WALLET", "amount": 3000, "voucherAmount": 0, "cashAmount": 3000,
                       "runningTotalAmount": 3000, "occurredAtUtc": "2026-01-15T12:00:00"}],
            "pagination": {"hasMore": false, "nextStart": null}
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_mario/wallet/movements"))
        .and(query_param("length", "20"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [
                {"action": "PAYMENT", "amount": -1200, "voucherAmount": 0, "cashAmount": -1200,
                 "runningTotalAmount": 1800, "occurredAtUtc": "2026-07-15T12:00:00Z"},
                {"action": "REBATE", "amount": 0, "runningTotalAmount": 3000,
                 "occurredAtUtc": "2026-03-29T00:30:00Z"}
            ],
            "pagination": {"hasMore": true, "nextStart": "cur 2"}
        })))
        .mount(&voucherly)
        .await;
    let app = mario_on(&voucherly).await;

    let first = app.get_html("/account/wallet").await;
    for expected in [
        "Movimenti del portafoglio",
        // 12:00 UTC is 14:00 in Italy in July (summer time)...
        "15/07/2026 14:00",
        "Pagamento",
        "-12,00 €",
        "18,00 €",
        // ...and an unknown action is shown as Voucherly names it.
        "REBATE",
        "29/03/2026 01:30",
        r#"href="/account/wallet?start=cur+2" rel="next""#,
    ] {
        assert!(first.contains(expected), "{expected} in {first}");
    }
    let second = app.get_html("/account/wallet?start=cur+2").await;
    assert!(second.contains("15/01/2026 13:00"), "{second}");
    assert!(second.contains("Ricarica"));
    assert!(second.contains(r#"href="/account/wallet">Prima pagina"#));
    assert!(!second.contains(r#"rel="next""#));
}

#[tokio::test]
async fn a_top_up_paid_at_the_sandbox_checkout_credits_the_wallet() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let mario = voucherly_account::sandbox::demo::MARIO_CUSTOMER_ID;
    let top_up = json!({
        "mode": "Wallet", "customerId": mario,
        "redirectOkUrl": app.url("/account"), "redirectKoUrl": app.url("/account"),
        "lines": [{"quantity": 1, "unitAmount": 2000, "product": {"name": "Ricarica"}}]
    });
    let created: serde_json::Value = app
        .client
        .post(app.url("/sandbox/v1/payments"))
        .header("Voucherly-API-Key", "sk_sand_x")
        .json(&top_up)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let checkout_url = created["checkoutUrl"].as_str().expect("a checkout");
    let checkout = app
        .client
        .get(absolute(&app, checkout_url))
        .send()
        .await
        .unwrap();
    let form = form_in(&checkout.text().await.unwrap(), r#"class="checkout""#);
    let done = submit(&app, &form, &[("action", "approve")]).await;
    assert_eq!(done.status().as_u16(), 303);

    let html = app.get_html("/account").await;
    assert!(html.contains("20,00 €"), "{html}");
    let movements = app.get_html("/account/wallet").await;
    assert!(movements.contains("Ricarica"), "{movements}");
    assert!(movements.contains("20,00 €"));
}
