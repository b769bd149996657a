//! Every kind of page, checked against WCAG 2.1 A and AA by axe-core running in headless
//! Chromium, along the path a shopper takes: sign in, profile, pay, checkout, come back.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::open_browser;
use crate::helpers::spawn_app;

/// axe-core's script: `AXE_CORE_JS`, else where `.ci/run` installs it.
fn axe_source() -> String {
    let path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "axe-core is needed at {} ({error}): run \
             `npm install --prefix target/axe --no-save axe-core@4` (scripts/test does)",
            path.display()
        )
    })
}

/// The WCAG 2.1 A/AA violations axe finds on the current page, as readable lines.
async fn violations(c: &Client, axe: &str) -> Vec<String> {
    c.execute(&format!("{axe}\nreturn true;"), vec![])
        .await
        .expect("axe loads");
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => done(r.violations.map(v =>
                   v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe runs");
    match found {
        Value::Array(lines) => lines
            .into_iter()
            .map(|line| line.as_str().unwrap_or_default().to_owned())
            .collect(),
        other => vec![format!("unexpected answer from axe: {other}")],
    }
}

async fn check(c: &Client, axe: &str, page: &str, problems: &mut Vec<String>) {
    let url = c.current_url().await.expect("a URL");
    for violation in violations(c, axe).await {
        problems.push(format!("{page} ({}): {violation}", url.path()));
    }
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} on the page"))
        .click()
        .await
        .expect("a click");
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn every_page_on_a_shoppers_path_meets_wcag_2_1_aa() {
    let axe = axe_source();
    let app = spawn_app().await;
    let browser = open_browser().await;
    let c = &browser.client;
    let mut problems = Vec::new();

    c.goto(&app.url("/")).await.unwrap();
    check(c, &axe, "demo sign-in", &mut problems).await;
    click(c, "form:has(input[value='demo-mario']) button[type=submit]").await;
    check(c, &axe, "profile", &mut problems).await;
    click(c, "form[action$='/pay'] button[type=submit]").await;
    check(c, &axe, "sandbox checkout", &mut problems).await;
    click(c, "button[type=submit][name=action][value=approve]").await;
    check(c, &axe, "return page", &mut problems).await;
    c.goto(&app.url("/account")).await.unwrap();
    click(c, "nav.languages button[lang='en']").await;
    check(c, &axe, "profile in English", &mut problems).await;
    click(c, "form.prefer-form button[type=submit]").await;
    check(c, &axe, "profile with a preferred method", &mut problems).await;
    click(c, ".method-preferred a[href$='/remove']").await;
    check(c, &axe, "removing the preferred method", &mut problems).await;
    c.goto(&app.url("/account")).await.unwrap();
    click(c, "a[href$='/receipt']").await;
    check(c, &axe, "receipt", &mut problems).await;
    c.goto(&app.url("/account/wallet")).await.unwrap();
    check(c, &axe, "wallet movements", &mut problems).await;
    c.goto(&app.url("/account")).await.unwrap();
    click(c, "form.add-method-form button[type=submit]").await;
    check(c, &axe, "sandbox checkout saving a method", &mut problems).await;
    click(c, "button[type=submit][name=action][value=cancel]").await;
    check(c, &axe, "profile after saving no method", &mut problems).await;
    c.goto(&app.url("/demo-store")).await.unwrap();
    check(c, &axe, "demo store", &mut problems).await;
    c.goto(&app.url("/nowhere")).await.unwrap();
    check(c, &axe, "not found", &mut problems).await;
    c.goto(&app.url(&format!("/handover/{}", "ab".repeat(32))))
        .await
        .unwrap();
    check(c, &axe, "hand-over link not valid", &mut problems).await;

    browser.client.clone().close().await.unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn the_profile_with_cards_expiring_soon_meets_wcag_2_1_aa() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let axe = axe_source();
    let voucherly = MockServer::start().await;
    let today = time::OffsetDateTime::now_utc();
    let card = |id: &str, brand: &str| {
        serde_json::json!({"id": id, "paymentGatewayId": "card", "holderName": "Mario Rossi",
            "creditCard": {"brand": brand, "pan": "************4242",
                "expirationMonth": u8::from(today.month()), "expirationYear": today.year()}})
    };
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_42/payment_methods"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"items": [card("pm_now", "Visa"), card("pm_too", "Amex")]}),
        ))
        .mount(&voucherly)
        .await;
    let app = crate::helpers::spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_42");
    let browser = open_browser().await;
    let c = &browser.client;
    let mut problems = Vec::new();

    c.goto(&app.url("/")).await.unwrap();
    click(c, "form:has(input[value='demo-mario']) button[type=submit]").await;
    click(c, "form.prefer-form button[type=submit]").await;
    let tags = c.find(Locator::Css(".tag-expiring")).await.unwrap();
    assert!(tags.text().await.unwrap().contains("Scade questo mese"));
    check(c, &axe, "profile with cards expiring soon", &mut problems).await;

    browser.client.clone().close().await.unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
