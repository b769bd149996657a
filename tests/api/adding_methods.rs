//! "Add a card or meal voucher": a Voucherly checkout that only saves a method (a line-less
//! `mode: Wallet` payment), recorded before Voucherly is called, one per form, and the way back
//! to the profile with the new method named.

use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::forms::{Form, absolute, form_in, submit};
use crate::helpers::{TestApp, location, spawn_app, spawn_app_with_voucherly};

/// `form` with `fields` set (replacing what it had under those names).
fn filled(form: &Form, fields: &[(&str, &str)]) -> Form {
    let mut all: Vec<(String, String)> = form
        .fields
        .iter()
        .filter(|(name, _)| !fields.iter().any(|(set, _)| set == name))
        .cloned()
        .collect();
    all.extend(
        fields
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    Form {
        action: form.action.clone(),
        fields: all,
    }
}

/// Submits the profile's "Add a card or meal voucher" form; returns the answer.
pub async fn add_method_form(app: &TestApp) -> (Form, reqwest::Response) {
    let form = form_in(
        &app.get_html("/account").await,
        r#"class="add-method-form""#,
    );
    let response = submit(app, &form, &[]).await;
    (form, response)
}

/// At the sandbox checkout `url`, saves the test Visa; returns where the sandbox sends back.
pub async fn save_visa_at(app: &TestApp, url: &str) -> String {
    let page = app.client.get(absolute(app, url)).send().await.unwrap();
    let checkout = form_in(&page.text().await.unwrap(), r#"class="checkout""#);
    let card = filled(
        &checkout,
        &[
            ("method", "new"),
            ("holder_name", "Giulia Bianchi"),
            ("card_number", "4242 4242 4242 4242"),
            ("expiry_month", "12"),
            ("expiry_year", "2031"),
        ],
    );
    let back = submit(app, &card, &[("action", "approve")]).await;
    assert_eq!(back.status().as_u16(), 303);
    location(&back).to_owned()
}

#[tokio::test]
async fn a_shopper_saves_a_card_without_buying_and_finds_it_named_on_the_profile() {
    let app = spawn_app().await;
    app.sign_in_as("demo-giulia").await;
    let (form, to_checkout) = add_method_form(&app).await;
    assert_eq!(to_checkout.status().as_u16(), 303);
    let checkout_url = location(&to_checkout).to_owned();
    assert!(
        checkout_url.contains("/sandbox/checkout/pay_"),
        "{checkout_url}"
    );
    // The same form again (a double click) goes to the same checkout.
    let again = submit(&app, &form, &[]).await;
    assert_eq!(location(&again), checkout_url);

    let back = save_visa_at(&app, &checkout_url).await;
    assert!(back.contains("/account/payment-methods/added/"), "{back}");
    let to_profile = app.client.get(absolute(&app, &back)).send().await.unwrap();
    assert_eq!(to_profile.status().as_u16(), 303);
    let profile_url = location(&to_profile).to_owned();
    assert!(profile_url.starts_with("/account?added="), "{profile_url}");
    let profile = app.get_html(&profile_url).await;
    assert!(
        profile.contains("Metodo di pagamento aggiunto: Visa che termina con 4242."),
        "{profile}"
    );
    assert!(profile.contains(r#"class="brand-icon" src="/static/brand-visa.svg""#));
    // Voucherly was asked for a line-less Wallet payment of nothing, and nothing was paid.
    let id = checkout_url.rsplit('/').next().unwrap();
    let payment = app.sandbox_json(&format!("/payments/{id}")).await;
    assert_eq!(payment["mode"], "Wallet");
    assert_eq!(payment["finalAmount"], 0);
    assert_eq!(payment["status"], "Confirmed");
}

#[tokio::test]
async fn leaving_the_checkout_without_saving_says_no_method_was_added() {
    let app = spawn_app().await;
    app.sign_in_as("demo-luca").await;
    let (_, to_checkout) = add_method_form(&app).await;
    let page = app
        .client
        .get(absolute(&app, location(&to_checkout)))
        .send()
        .await
        .unwrap();
    let checkout = form_in(&page.text().await.unwrap(), r#"class="checkout""#);
    let cancelled = submit(&app, &checkout, &[("action", "cancel")]).await;
    let back = app
        .client
        .get(absolute(&app, location(&cancelled)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&back),
        "/account?notice=method_not_added#methods-heading"
    );
    app.choose_language("/account", "en", "/account").await;
    let english = app.get_html("/account?notice=method_not_added").await;
    assert!(english.contains("No method was added"), "{english}");
}

#[tokio::test]
async fn the_form_needs_its_csrf_token_and_another_shoppers_return_is_not_found() {
    let voucherly = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_mario");
    app.sign_in_as("demo-mario").await;
    let key = "ab".repeat(16);
    let refused = app
        .post_form(
            "/account/payment-methods/add",
            &[("csrf_token", "wrong"), ("idempotency_key", &key)],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 403);
    let unknown = app.get("/account/payment-methods/added/nope").await;
    assert_eq!(unknown.status().as_u16(), 404);
}

#[tokio::test]
async fn voucherly_is_asked_for_a_line_less_wallet_payment_for_the_shoppers_customer() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_mario/payment_methods"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .mount(&voucherly)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .and(body_partial_json(
            json!({"mode": "Wallet", "customerId": "cus_mario"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "pay_save", "status": "Requested", "checkoutUrl": "https://checkout.example/save"
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_mario");
    app.sign_in_as("demo-mario").await;
    let (_, response) = add_method_form(&app).await;
    assert_eq!(location(&response), "https://checkout.example/save");
    let sent = voucherly.received_requests().await.unwrap();
    let body: serde_json::Value = sent
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .unwrap();
    assert!(body.get("lines").is_none(), "{body}");
    assert!(
        body["redirectOkUrl"]
            .as_str()
            .unwrap()
            .contains("/account/payment-methods/added/")
    );
}
