//! Every route and parameter fed control characters, over-long and malformed values: whatever
//! the answer, it is never a 5xx. Each route gets a fresh app, signed in as Mario with a valid
//! CSRF token, so the values reach the handlers rather than a sign-in page or a rate limit.

use reqwest::Method;

use crate::helpers::{TestApp, spawn_app};

/// The values tried in every slot.
fn nasty() -> Vec<String> {
    let mut values: Vec<String> = [
        "\u{0}",
        "\u{1}",
        "\u{7f}",
        "\u{85}",
        "\t",
        "\r\n",
        "\n/\t/evil.example",
        "%00",
        "%",
        "%zz",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "'; DROP TABLE sessions; --",
        "\u{feff}",
        "-1",
        "0",
        "99999999999999999999999",
        "1e309",
        "",
        " ",
        "é",
        "\u{10ffff}",
        "{}",
        "[]",
        "null",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    values.push("a".repeat(10_000));
    values.push("/".repeat(3_000));
    values
}

/// A value in a path segment, percent-encoded as a browser would send it.
fn segment(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn mario() -> (TestApp, String) {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let token = app.csrf_token("/account").await;
    (app, token)
}

async fn assert_no_5xx(response: reqwest::Result<reqwest::Response>, what: &str) {
    let response = response.unwrap_or_else(|e| panic!("{what}: no answer: {e}"));
    assert!(
        response.status().as_u16() < 500,
        "{what} answered {}",
        response.status()
    );
}

#[tokio::test]
async fn malformed_paths_and_queries_never_get_a_5xx() {
    let paths = [
        "/?signed_out={}",
        "/static/{}",
        "/handover/{}",
        "/account?page={}",
        "/account?notice={}",
        "/account/payment-methods/{}/remove",
        "/payments/{}/return",
        "/payments/x/return?success={}&status={}&paymentId={}",
        "/api/v1/orders/{}",
        "/demo-store?call={}",
        "/sandbox/checkout/{}",
        "/{}",
    ];
    for template in paths {
        let (app, _) = mario().await;
        for value in nasty() {
            let path = template.replace("{}", &segment(&value));
            let what = format!("GET {template} with {value:?}");
            assert_no_5xx(app.client.get(app.url(&path)).send().await, &what).await;
        }
    }
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn malformed_form_fields_never_get_a_5xx() {
    let forms: [(&str, &[&str]); 8] = [
        ("/language", &["lang", "next"]),
        ("/sign-out", &["csrf_token"]),
        ("/demo/sign-in", &["store_user_id", "csrf_token"]),
        ("/account/orders/1/pay", &["idempotency_key", "method_id"]),
        ("/account/orders/{}/pay", &[]),
        ("/account/payment-methods/{}/remove", &[]),
        ("/demo-store/handover", &["user"]),
        ("/demo-store/orders", &["user", "product"]),
    ];
    for (template, fields) in forms {
        let slots: Vec<Option<&str>> = if fields.is_empty() {
            vec![None]
        } else {
            fields.iter().copied().map(Some).collect()
        };
        for slot in slots {
            let (app, token) = mario().await;
            for value in nasty() {
                let path = template.replace("{}", &segment(&value));
                let mut form = vec![
                    ("csrf_token", token.clone()),
                    ("lang", "en".to_owned()),
                    ("next", "/account".to_owned()),
                    ("store_user_id", "demo-mario".to_owned()),
                    ("idempotency_key", crate::paying::support::new_key()),
                    ("method_id", String::new()),
                ];
                if let Some(field) = slot {
                    form.retain(|(name, _)| name != &field);
                    form.push((field, value.clone()));
                }
                let what = format!("POST {template} with {slot:?} = {value:?}");
                let response = app.client.post(app.url(&path)).form(&form).send().await;
                assert_no_5xx(response, &what).await;
            }
        }
    }
}

#[tokio::test]
async fn malformed_json_never_gets_a_5xx() {
    let app = spawn_app().await;
    let key = app.store_api_key();
    for value in nasty() {
        let bodies = [
            (
                Method::POST,
                "/payments/callback",
                serde_json::json!({ "id": value }),
            ),
            (
                Method::POST,
                "/api/v1/handovers",
                serde_json::json!({
                    "store_user_id": value, "email": value, "first_name": value,
                    "last_name": value, "return_url": value, "language": value,
                }),
            ),
            (
                Method::POST,
                "/api/v1/orders",
                serde_json::json!({
                    "store_order_id": value, "shopper": {"store_user_id": value},
                    "lines": [{"name": value, "quantity": 1, "unit_amount": 100}],
                }),
            ),
        ];
        for (method, path, body) in bodies {
            let what = format!("{method} {path} with {value:?}");
            let response = app
                .client
                .request(method, app.url(path))
                .bearer_auth(&key)
                .json(&body)
                .send()
                .await;
            assert_no_5xx(response, &what).await;
        }
    }
    for raw in ["{", "\u{0}", "[1,2", "\"x\"", &"[".repeat(5_000)] {
        for path in ["/payments/callback", "/api/v1/orders", "/api/v1/handovers"] {
            let response = app
                .client
                .post(app.url(path))
                .bearer_auth(&key)
                .header("content-type", "application/json")
                .body(raw.to_owned())
                .send()
                .await;
            assert_no_5xx(response, &format!("POST {path} with {raw:?}")).await;
        }
    }
}
