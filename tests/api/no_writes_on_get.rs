//! A `GET` of a shopper's page changes nothing stored: every table reads the same before and
//! after a signed-in shopper opened every page (profile, history, receipt, CSV, return page,
//! remove-method confirmation, start page, with and without a notice) twice. The one write by
//! design is the session's idle deadline (`sessions.expires_at`), which the session store moves
//! at most once a minute so an active shopper stays signed in: that column alone is left out of
//! the comparison, and the session's contents stay in it.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, spawn_app_with_voucherly};
use crate::paying::support::order_id;

/// Every row of every table, each value as text; `sessions` without its idle deadline.
fn snapshot(app: &TestApp) -> Vec<(String, Vec<String>)> {
    let db = app.db();
    let list_tables = if db.is_postgres() {
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' ORDER BY table_name"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    };
    let tables = db.text_rows(list_tables, &[]).into_iter().flatten();
    let mut rows = Vec::new();
    for table in tables {
        let query = match table.as_str() {
            "sessions" => "SELECT key, state FROM sessions ORDER BY key".to_owned(),
            _ => format!("SELECT * FROM \"{table}\" ORDER BY 1"),
        };
        for values in db.text_rows(&query, &[]) {
            rows.push((table.clone(), values));
        }
    }
    rows
}

/// Voucherly knows Mario (`cus_42`) with one card, and the card gateway.
async fn voucherly() -> MockServer {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_42/payment_methods"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [{
            "id": "pm_1", "paymentGatewayId": "card", "holderName": "Mario Rossi",
            "creditCard": {"brand": "Visa", "pan": "************4242",
                           "expirationMonth": 12, "expirationYear": 2099}
        }]})))
        .mount(&voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_gateways"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [
            {"id": "card", "name": "Carta", "isActive": true}
        ]})))
        .mount(&voucherly)
        .await;
    voucherly
}

#[tokio::test]
async fn opening_every_shopper_page_writes_nothing() {
    let voucherly = voucherly().await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_42");
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");
    let reference = app.insert_payment(order, Some("pay_1"), "paid", 1_790_000_000);
    // The page the sign-in leads to, once, so the session holds what any page puts in it.
    assert_eq!(app.get("/account").await.status().as_u16(), 200);
    let pages = [
        "/".to_owned(),
        "/account".to_owned(),
        "/account?page=2".to_owned(),
        "/account?notice=method_removed".to_owned(),
        format!("/account/payments/{reference}/receipt"),
        "/account/payments.csv".to_owned(),
        format!("/payments/{reference}/return"),
        "/account/payment-methods/pm_1/remove".to_owned(),
    ];

    let before = snapshot(&app);
    for _ in 0..2 {
        for page in &pages {
            let status = app.get(page).await.status().as_u16();
            // The start page sends a signed-in shopper to their account.
            let expected = if page == "/" { 303 } else { 200 };
            assert_eq!(status, expected, "{page}");
        }
    }
    let after = snapshot(&app);

    assert!(
        before.iter().any(|(table, _)| table == "payments"),
        "a real snapshot"
    );
    let changed: Vec<_> = after.iter().filter(|row| !before.contains(row)).collect();
    let gone: Vec<_> = before.iter().filter(|row| !after.contains(row)).collect();
    assert!(
        changed.is_empty() && gone.is_empty(),
        "written: {changed:#?}\nremoved: {gone:#?}"
    );
}
