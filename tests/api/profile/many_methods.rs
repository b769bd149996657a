//! A shopper with 25 saved methods sees all 25: Voucherly pages the list (`length`/`start`, a
//! string `nextStart`), and the client follows every page, against wiremock and against the
//! embedded sandbox in both dialects.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::demo;
use voucherly_account::settings::SandboxDialect;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::mario_with;
use crate::helpers::{TestApp, spawn_with};
use crate::sandbox::{call, token_in};

const SAVED: usize = 25;

/// A Visa test number (Luhn-valid) whose last four digits are `4{n:03}` less its check digit.
fn card_number(n: usize) -> String {
    let body = format!("411111111114{n:03}");
    let sum: u32 = body
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| match i % 2 {
            0 => (d * 2) / 10 + (d * 2) % 10,
            _ => d,
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn last_four(number: &str) -> &str {
    &number[number.len() - 4..]
}

/// Every card's last four digits appear on the profile.
async fn assert_all_listed(app: &TestApp, numbers: &[String]) {
    let html = app.get_html("/account").await;
    let missing: Vec<&str> = numbers
        .iter()
        .map(|n| last_four(n))
        .filter(|digits| !html.contains(&format!("•••• {digits}")))
        .collect();
    assert!(missing.is_empty(), "not listed: {missing:?}");
}

#[tokio::test]
async fn twenty_five_methods_over_three_pages_of_voucherly_are_all_on_the_profile() {
    let voucherly = MockServer::start().await;
    let numbers: Vec<String> = (0..SAVED).map(card_number).collect();
    let method_json = |i: usize| {
        json!({"id": format!("pm_{i}"), "customerId": "cus_42", "paymentGatewayId": "card",
               "creditCard": {"brand": "visa", "pan": format!("************{}", last_four(&numbers[i])),
                              "expirationMonth": 11, "expirationYear": 2099}})
    };
    let page = |range: std::ops::Range<usize>, next: Value| {
        let items: Vec<Value> = range.map(method_json).collect();
        let has_more = !next.is_null();
        ResponseTemplate::new(200).set_body_json(
            json!({"items": items, "pagination": {"hasMore": has_more, "nextStart": next}}),
        )
    };
    let list = "/v1/customers/cus_42/payment_methods";
    for (start, range, next) in [
        (None, 0..10, json!("cur_b")),
        (Some("cur_b"), 10..20, json!("cur_c")),
        (Some("cur_c"), 20..SAVED, Value::Null),
    ] {
        let mock = Mock::given(method("GET")).and(path(list));
        let mock = match start {
            None => mock.and(query_param_is_missing("start")),
            Some(cursor) => mock.and(query_param("start", cursor)),
        };
        mock.respond_with(page(range, next))
            .expect(1)
            .mount(&voucherly)
            .await;
    }
    let app = mario_with(&voucherly).await;
    assert_all_listed(&app, &numbers).await;
}

/// Saves a new card for Luca through a real checkout of the app's embedded sandbox.
async fn save_card(app: &TestApp, number: &str) {
    let body = json!({
        "mode": "Payment", "customerId": demo::LUCA_CUSTOMER_ID,
        "redirectOkUrl": "http://127.0.0.1:9/ok", "redirectKoUrl": "http://127.0.0.1:9/ko",
        "lines": [{"quantity": 1, "unitAmount": 100, "product": {"name": "Pane", "lineType": "Food"}}]
    });
    let url = app.url("/sandbox/v1/payments");
    let (status, payment) = call(&app.client, Method::POST, &url, Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    let checkout = payment["checkoutUrl"].as_str().expect("a checkout URL");
    let page = app.client.get(checkout).send().await.expect("the checkout");
    let token = token_in(&page.text().await.expect("HTML"));
    let form = [
        ("token", token.as_str()),
        ("action", "approve"),
        ("method", "new"),
        ("holder_name", "Luca Verdi"),
        ("card_number", number),
        ("expiry_month", "11"),
        ("expiry_year", "2099"),
        ("save_card", "on"),
    ];
    let paid = app
        .client
        .post(checkout)
        .form(&form)
        .send()
        .await
        .expect("paid");
    assert_eq!(paid.status(), StatusCode::SEE_OTHER, "card {number}");
}

#[tokio::test]
async fn twenty_five_methods_saved_at_the_sandbox_are_all_on_the_profile_in_both_dialects() {
    let numbers: Vec<String> = (0..SAVED).map(card_number).collect();
    for dialect in [SandboxDialect::Docs, SandboxDialect::Sdk] {
        let app = spawn_with(|settings| settings.sandbox_dialect = dialect).await;
        for number in &numbers {
            save_card(&app, number).await;
        }
        app.sign_in_as("demo-luca").await;
        assert_all_listed(&app, &numbers).await;
    }
}
