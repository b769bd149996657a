//! Receipts of paid payments and the history as CSV: each only for the shopper's own payments.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[cfg(feature = "demo")]
use crate::forms::{absolute, form_in, submit};
use crate::helpers::{TestApp, browser, spawn_app_with_voucherly};
#[cfg(feature = "demo")]
use crate::helpers::{location, spawn_app};
use crate::paying::support::order_id;

/// Pays the signed-in Mario's first order with the preselected method at the sandbox checkout,
/// comes back, and returns our payment's reference.
#[cfg(feature = "demo")]
pub async fn pay_and_approve(app: &TestApp) -> String {
    let pay_form = form_in(&app.get_html("/account").await, r#"class="pay-form""#);
    let to_checkout = submit(app, &pay_form, &[]).await;
    assert_eq!(to_checkout.status().as_u16(), 303);
    let checkout = app
        .client
        .get(absolute(app, location(&to_checkout)))
        .send()
        .await
        .unwrap();
    let checkout = form_in(&checkout.text().await.unwrap(), r#"class="checkout""#);
    let back = submit(app, &checkout, &[("action", "approve")]).await;
    let return_url = location(&back).to_owned();
    let page = app
        .client
        .get(absolute(app, &return_url))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("Pagamento riuscito"));
    let path = return_url.split("/payments/").nth(1).unwrap();
    path.split('/').next().unwrap().to_owned()
}

/// Another browser, signed in as the demo shopper `store_user_id`.
pub async fn signed_in_elsewhere(app: &TestApp, store_user_id: &str) -> reqwest::Client {
    let client = browser();
    let signed_in = app.sign_in_on(&client, store_user_id).await;
    assert_eq!(signed_in.status().as_u16(), 303);
    client
}

/// Mario signed in on an app talking to `voucherly`, with a payment `pay_1` of his first order
/// recorded as paid on 21 September 2026.
async fn mario_paid_on(voucherly: &MockServer) -> (TestApp, String) {
    let app = spawn_app_with_voucherly(voucherly).await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");
    let reference = app.insert_payment(order, Some("pay_1"), "paid", 1_790_000_000);
    (app, reference)
}

fn receipt_path(reference: &str) -> String {
    format!("/account/payments/{reference}/receipt")
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_paid_payment_has_a_printable_receipt_linked_from_the_history() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let reference = pay_and_approve(&app).await;

    let profile = app.get_html("/account").await;
    assert!(
        profile.contains(&format!(r#"href="{}""#, receipt_path(&reference))),
        "{profile}"
    );

    let response = app.get(&receipt_path(&reference)).await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    let voucherly_id = app.payment_row(&reference).voucherly_payment_id.unwrap();
    for expected in [
        "Ricevuta di pagamento",
        "demo-1001",
        "Pizza margherita",
        "Sconto pranzo",
        "17,00 €",
        "Visa •••• 4242",
        voucherly_id.as_str(),
        reference.as_str(),
        "Pagato con buoni pasto</dt><dd class=\"amount\">0,00 €",
        "Pagato con altri metodi</dt><dd class=\"amount\">17,00 €",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
}

#[tokio::test]
async fn the_receipt_shows_the_meal_voucher_share_voucherly_reports() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_1", "status": "Paid", "finalAmount": 1700,
            "paidAmount": 1700, "paidVoucherAmount": 1200
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    let (app, reference) = mario_paid_on(&voucherly).await;

    let html = app.get_html(&receipt_path(&reference)).await;
    assert!(
        html.contains("Pagato con buoni pasto</dt><dd class=\"amount\">12,00 €"),
        "{html}"
    );
    assert!(html.contains("Pagato con altri metodi</dt><dd class=\"amount\">5,00 €"));
    // 1_790_000_000 is 21 September 2026, 14:13 UTC: 16:13 in Italy (CEST).
    assert!(html.contains("21/09/2026 16:13"), "{html}");
}

#[tokio::test]
async fn when_voucherly_cannot_be_read_the_receipt_still_shows_with_a_notice() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&voucherly)
        .await;
    let (app, reference) = mario_paid_on(&voucherly).await;
    let response = app.get(&receipt_path(&reference)).await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Voucherly non ci dice"), "{html}");
    assert!(html.contains("demo-1001"));
}

#[tokio::test]
async fn receipts_are_only_for_the_shoppers_own_paid_payments() {
    let voucherly = MockServer::start().await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");
    let paid = app.insert_payment(order, Some("pay_1"), "paid", 1_790_000_000);
    let open = app.insert_payment(order, Some("pay_2"), "requested", 1_790_000_000);
    assert_eq!(app.get(&receipt_path(&open)).await.status().as_u16(), 404);
    assert_eq!(
        app.get(&receipt_path("no-such-payment"))
            .await
            .status()
            .as_u16(),
        404
    );

    // Luca, in another browser, cannot read Mario's receipt.
    let luca = signed_in_elsewhere(&app, "demo-luca").await;
    let his_try = luca
        .get(app.url(&receipt_path(&paid)))
        .send()
        .await
        .unwrap();
    assert_eq!(his_try.status().as_u16(), 404);
    // Nor can a browser that is not signed in.
    let stranger = browser()
        .get(app.url(&receipt_path(&paid)))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status().as_u16(), 303);
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_history_downloads_as_csv_for_italian_and_english_spreadsheets() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let reference = pay_and_approve(&app).await;

    let response = app.get("/account/payments.csv").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("pagamenti.csv")
    );
    let italian = response.text().await.unwrap();
    let lines: Vec<&str> = italian.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "Data;Ordine;Importo;Valuta;Metodo;Stato;Riferimento"
    );
    assert_eq!(lines.len(), 2, "{italian}");
    assert!(
        lines[1].ends_with(&format!(
            ";demo-1001;17,00;EUR;Visa •••• 4242;Pagato;{reference}"
        )),
        "{}",
        lines[1]
    );

    app.choose_language("/account", "en", "/account").await;
    let english = app.get_html("/account/payments.csv").await;
    let lines: Vec<&str> = english.lines().collect();
    assert_eq!(
        lines[0],
        "Date,Order,Amount,Currency,Method,Status,Reference"
    );
    assert!(lines[1].ends_with(&format!(
        ",demo-1001,17.00,EUR,Visa •••• 4242,Paid,{reference}"
    )));

    // Luca's history is his own: empty.
    let luca = signed_in_elsewhere(&app, "demo-luca").await;
    let his = luca
        .get(app.url("/account/payments.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        his.trim_start_matches('\u{feff}').lines().count(),
        1,
        "{his}"
    );
}
