//! The store's accounting through the store API: its payments listed (filters, pages that
//! neither lose nor repeat a row, CSV for an accountant) and a day reconciled with what
//! Voucherly reports, orders paid end to end on the embedded sandbox.

use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::RETRY_AFTER;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::format_description;
use voucherly_account::app::ledger::{Ledger, Outcome};
use voucherly_account::voucherly::VoucherlyClient;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{StoreApi, json_of, with_generated_key};
use crate::helpers::spawn_with;

/// Today's UTC date, `YYYY-MM-DD`.
fn today() -> String {
    OffsetDateTime::now_utc()
        .format(format_description!("[year]-[month]-[day]"))
        .unwrap()
}

async fn get_json(api: &StoreApi, path: &str) -> (u16, Value) {
    let response = api.request(Method::GET, path).send().await.unwrap();
    let status = response.status().as_u16();
    (status, json_of(response).await)
}

#[tokio::test]
async fn bad_query_parameters_are_a_400_that_says_what_is_expected() {
    let api = super::spawn_store_api().await;
    for (path, expected) in [
        ("/api/v1/payments?from=yesterday", "RFC 3339"),
        ("/api/v1/payments?to=2026-02-30", "RFC 3339"),
        ("/api/v1/payments?from=2026-12-05&to=2026-12-03", "after"),
        ("/api/v1/payments?status=paidd", "status must be one of"),
        ("/api/v1/payments?limit=0", "1 to 500"),
        ("/api/v1/payments?limit=501", "1 to 500"),
        ("/api/v1/payments?cursor=nonsense", "next_cursor"),
        ("/api/v1/payments?format=xml", "json or csv"),
        ("/api/v1/payments?form=2026-12-03", "unknown field"),
        ("/api/v1/reconciliation", "date is required"),
        ("/api/v1/reconciliation?date=03/12/2026", "YYYY-MM-DD"),
        (
            "/api/v1/reconciliation?date=2026-12-03&limit=-1",
            "1 to 500",
        ),
    ] {
        let (status, body) = get_json(&api, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"]["code"], "invalid_request", "{path}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(expected), "{path}: {message}");
    }
    let refused = api
        .unauthenticated(Method::GET, "/api/v1/payments")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
}

/// An app whose Voucherly is `voucherly`, with Mario's order `A-1` (and `A-2`) paid, as
/// recorded today, by Voucherly's payments `pay_1` (and `pay_2`).
async fn recorded_on(voucherly: &MockServer, orders: &[(&str, &str)]) -> StoreApi {
    let base_url = voucherly.uri();
    let api = with_generated_key(
        spawn_with(move |settings| {
            settings.voucherly_api_key = Some(secrecy::SecretString::from("sk_sand_key"));
            settings.voucherly_base_url = Some(base_url);
            settings.voucherly_timeout = 2;
            settings.demo = Some(true);
        })
        .await,
    );
    let now = OffsetDateTime::now_utc().unix_timestamp();
    for (store_order_id, pay_id) in orders {
        let order = api.app.insert_order("demo-mario", store_order_id, 1300);
        api.app.insert_payment(order, Some(pay_id), "paid", now);
    }
    api
}

fn voucherly_answers(pay_id: &str, response: ResponseTemplate) -> Mock {
    Mock::given(method("GET"))
        .and(path(format!("/v1/payments/{pay_id}")))
        .respond_with(response)
}

#[tokio::test]
async fn a_day_voucherly_cannot_be_read_for_is_a_503_with_retry_after() {
    let voucherly = MockServer::start().await;
    let api = recorded_on(&voucherly, &[("A-1", "pay_1")]).await;
    voucherly_answers("pay_1", ResponseTemplate::new(503))
        .expect(1..)
        .mount(&voucherly)
        .await;

    let response = api
        .request(
            Method::GET,
            &format!("/api/v1/reconciliation?date={}", today()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()[RETRY_AFTER], "60");
    let body = json_of(response).await;
    assert_eq!(body["error"]["code"], "unavailable");
}

#[tokio::test]
async fn a_payment_voucherly_cannot_be_read_for_now_is_listed_unchecked_beside_the_others() {
    let voucherly = MockServer::start().await;
    let api = recorded_on(&voucherly, &[("A-1", "pay_1"), ("A-2", "pay_2")]).await;
    voucherly_answers("pay_1", ResponseTemplate::new(503))
        .mount(&voucherly)
        .await;
    voucherly_answers(
        "pay_2",
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_2", "status": "Confirmed", "finalAmount": 1300, "paidAmount": 1300
        })),
    )
    .expect(1)
    .mount(&voucherly)
    .await;

    let (status, body) = get_json(&api, &format!("/api/v1/reconciliation?date={}", today())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["summary"]["checked"], 1);
    assert_eq!(body["summary"]["unchecked"], 1);
    let findings = body["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{body}");
    assert_eq!(findings[0]["store_order_id"], "A-1");
    assert_eq!(findings[0]["outcome"], "unchecked");
    assert!(
        findings[0]["note"]
            .as_str()
            .unwrap()
            .contains("Voucherly is unavailable")
    );
    // We never read pay_2's amount (the row was written as paid): Voucherly says 13 €.
    assert_eq!(findings[1]["outcome"], "differs");
    assert_eq!(
        findings[1]["differences"],
        json!([{"field": "paid_amount", "ours": null, "voucherly": 1300}])
    );
}

#[tokio::test]
async fn voucherly_is_read_eight_payments_at_a_time() {
    let voucherly = MockServer::start().await;
    let orders: Vec<(String, String)> = (1..=16)
        .map(|n| (format!("A-{n}"), format!("pay_{n}")))
        .collect();
    let pairs: Vec<(&str, &str)> = orders
        .iter()
        .map(|(order, pay)| (order.as_str(), pay.as_str()))
        .collect();
    let api = recorded_on(&voucherly, &pairs).await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/v1/payments/pay_\d+$"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "Confirmed", "finalAmount": 1300}))
                .set_delay(Duration::from_millis(400)),
        )
        .expect(16)
        .mount(&voucherly)
        .await;

    let started = Instant::now();
    let (status, body) = get_json(&api, &format!("/api/v1/reconciliation?date={}", today())).await;
    let took = started.elapsed();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["summary"]["checked"], 16);
    assert_eq!(body["summary"]["matching"], 16);
    // Two rounds of eight: not one at a time (6.4 s), not all at once (0.4 s).
    assert!(took >= Duration::from_millis(800), "{took:?}");
    assert!(took < Duration::from_secs(4), "{took:?}");
}

#[tokio::test]
async fn what_voucherly_has_not_answered_within_the_time_budget_is_unchecked() {
    let voucherly = MockServer::start().await;
    let api = recorded_on(&voucherly, &[("A-1", "pay_1")]).await;
    voucherly_answers(
        "pay_1",
        ResponseTemplate::new(200)
            .set_body_json(json!({"id": "pay_1", "status": "Confirmed"}))
            .set_delay(Duration::from_secs(3)),
    )
    .mount(&voucherly)
    .await;
    let client = VoucherlyClient::new(
        &voucherly.uri(),
        secrecy::SecretString::from("sk_sand_key"),
        Duration::from_secs(5),
        Duration::from_secs(5),
    )
    .unwrap();
    let ledger = Ledger::new(api.app.storage().await, client, "sandbox")
        .with_time_budget(Duration::from_millis(300));
    let now = OffsetDateTime::now_utc().unix_timestamp();

    let started = Instant::now();
    let report = ledger
        .reconcile(now - now % 86_400, None, 100)
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(report.summary.unchecked, 1);
    assert_eq!(report.summary.checked, 0);
    assert!(matches!(
        &report.findings[0].outcome,
        Outcome::Unchecked(note) if note.contains("unavailable")
    ));
}

#[cfg(feature = "demo")]
mod on_the_sandbox;
