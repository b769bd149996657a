//! The profile page: the shopper's details and the payment methods saved at Voucherly;
//! `many_methods` a list Voucherly gives in several pages.

#[cfg(feature = "demo")]
mod many_methods;

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[cfg(feature = "demo")]
use crate::helpers::spawn_app;
use crate::helpers::spawn_app_with_voucherly;

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_shopper_sees_their_saved_methods_from_the_sandbox() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let html = app.get_html("/account").await;
    // The valid Visa, by brand and last digits, with its expiry.
    assert!(html.contains("Visa"), "{html}");
    // The expired Mastercard, marked expired.
    assert!(html.contains("Mastercard"));
    assert!(html.contains("Scaduta"));
    // The Edenred account, by its gateway's name.
    assert!(html.contains("Edenred"));
    // The SEPA mandate, with the IBAN masked.
    assert!(html.contains("Addebito diretto SEPA"));
    assert!(html.contains("IT60 •••• 3456"));
    assert!(!html.contains("IT60X0542811101000000123456"));
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_customer_without_saved_methods_is_told_so() {
    let app = spawn_app().await;
    app.sign_in_as("demo-luca").await;
    let html = app.get_html("/account").await;
    assert!(html.contains("Luca Verdi"));
    assert!(html.contains("Non hai metodi di pagamento salvati."));
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_shopper_who_is_not_a_voucherly_customer_sees_an_empty_state() {
    let app = spawn_app().await;
    app.sign_in_as("demo-giulia").await;
    let html = app.get_html("/account").await;
    assert!(html.contains("Giulia Bianchi"));
    assert!(html.contains("Potrai salvarne uno al tuo primo pagamento"));
}

async fn mario_with(voucherly: &MockServer) -> crate::helpers::TestApp {
    let app = spawn_app_with_voucherly(voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_42");
    app.sign_in_as("demo-mario").await;
    app
}

#[tokio::test]
async fn the_page_lists_what_voucherly_returns_through_the_client() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_42/payment_methods"))
        .and(header("Voucherly-API-Key", "sk_test_key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [{
            "id": "pm_1", "paymentGatewayId": "card", "holderName": "Mario Rossi",
            "creditCard": {"brand": "Amex", "pan": "3782*******0005", "expirationMonth": 4, "expirationYear": 2031}
        }]})))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let html = app.get_html("/account").await;
    assert!(html.contains("Amex"));
    assert!(html.contains("0005"));
    assert!(html.contains("04/2031"));
}

#[tokio::test]
async fn when_voucherly_is_down_the_page_still_renders_with_a_notice() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let response = app.get("/account").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Mario Rossi"));
    assert!(html.contains("non riusciamo a raggiungere Voucherly"));
}

#[tokio::test]
async fn when_voucherly_is_too_slow_the_page_still_renders_with_a_notice() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": []}))
                .set_delay(std::time::Duration::from_secs(4)),
        )
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let html = app.get_html("/account").await;
    assert!(html.contains("non riusciamo a raggiungere Voucherly"));
}

#[tokio::test]
async fn when_voucherly_refuses_the_key_the_page_says_it_is_a_configuration_problem() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let html = app.get_html("/account").await;
    assert!(html.contains("non è configurato correttamente"));
}

#[tokio::test]
async fn when_voucherly_answers_nonsense_the_page_still_renders_with_a_notice() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let response = app.get("/account").await;
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("non riusciamo a raggiungere Voucherly")
    );
}

#[tokio::test]
async fn html_from_voucherly_is_shown_escaped() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_42/payment_methods"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [{
            "id": "pm_1", "paymentGatewayId": "<b>gw</b>",
            "holderName": "<script>alert('pwned')</script>",
            "creditCard": {"brand": "<img src=x onerror=alert(1)>", "pan": "************4242"}
        }]})))
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let html = app.get_html("/account").await;
    assert!(
        html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>gw</b>"));
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_profile_is_in_english_when_the_shopper_chooses_it() {
    let app = spawn_app().await;
    app.sign_in_as("demo-giulia").await;
    let response = app.choose_language("/account", "en", "/account").await;
    assert_eq!(response.status(), 303);
    assert_eq!(crate::helpers::location(&response), "/account");
    let html = app.get_html("/account").await;
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("Your payment methods"));
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn english_pages_name_known_gateways_in_english() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let italian = app.get_html("/account").await;
    assert!(italian.contains("Carte di pagamento"), "{italian}");

    app.choose_language("/account", "en", "/account").await;
    let html = app.get_html("/account").await;
    assert!(html.contains("Payment cards"), "{html}");
    for italian_name in ["Carta di credito", "Addebito SEPA", "Addebito diretto"] {
        assert!(!html.contains(italian_name), "{italian_name} in {html}");
    }
    let removing = app
        .get_html("/account/payment-methods/9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01/remove")
        .await;
    assert!(!removing.contains("Carta di credito"), "{removing}");
}
