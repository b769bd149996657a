//! Removing methods with Voucherly played by wiremock: what is deleted, what never is, and what
//! the shopper sees when Voucherly fails.

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{confirm_removal, real_list, remove_path};
use crate::helpers::{location, spawn_app_with_voucherly};
use crate::paying::support::{EXPIRED_MASTERCARD, VISA, mario_with};

/// Voucherly's DELETE of any method answers `status`, and must be called `times`.
async fn delete_answers(voucherly: &MockServer, status: u16, times: u64) {
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(status))
        .expect(times)
        .mount(voucherly)
        .await;
}

#[tokio::test]
async fn removing_deletes_the_shoppers_own_method_at_voucherly_even_an_expired_card() {
    let voucherly = MockServer::start().await;
    let removals = real_list(&voucherly, "cus_mario", mario_methods()).await;
    Mock::given(method("DELETE"))
        .and(path(format!(
            "/v1/customers/cus_mario/payment_methods/{EXPIRED_MASTERCARD}"
        )))
        .and(header("Voucherly-API-Key", "sk_test_key"))
        .respond_with(removals.answering(ResponseTemplate::new(204)))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let response = confirm_removal(&app, EXPIRED_MASTERCARD).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/account?notice=method_removed");
}

#[tokio::test]
async fn another_customers_method_id_is_not_found_and_never_deleted() {
    let voucherly = MockServer::start().await;
    delete_answers(&voucherly, 204, 0).await;
    let app = mario_with(&voucherly).await;
    let theirs = "pm_of_someone_else";
    assert_eq!(app.get(&remove_path(theirs)).await.status().as_u16(), 404);
    let response = confirm_removal(&app, theirs).await;
    assert_eq!(response.status().as_u16(), 404);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Questa pagina non esiste.")
    );
}

#[tokio::test]
async fn a_removal_with_a_bad_csrf_token_is_refused_and_nothing_is_deleted() {
    let voucherly = MockServer::start().await;
    delete_answers(&voucherly, 204, 0).await;
    let app = mario_with(&voucherly).await;
    let response = app
        .post_form(&remove_path(VISA), &[("csrf_token", "not-the-token")])
        .await;
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn when_voucherly_is_down_the_method_is_kept_and_the_shopper_is_told_to_try_again() {
    let voucherly = MockServer::start().await;
    delete_answers(&voucherly, 503, 1).await;
    let app = mario_with(&voucherly).await;

    let response = confirm_removal(&app, VISA).await;

    assert_eq!(response.status().as_u16(), 503);
    let html = response.text().await.unwrap();
    assert!(html.contains("Metodo di pagamento non rimosso"), "{html}");
    assert!(html.contains("Riprova tra qualche minuto."));
    assert!(html.contains(r#"<a href="/account">"#));
    let profile = app.get_html("/account").await;
    assert!(profile.contains(&remove_path(VISA)));
    assert!(!profile.contains("Metodo di pagamento rimosso."));
}

#[tokio::test]
async fn an_unexpected_answer_to_the_delete_is_a_bad_gateway_page() {
    let voucherly = MockServer::start().await;
    delete_answers(&voucherly, 400, 1).await;
    let app = mario_with(&voucherly).await;
    let response = confirm_removal(&app, VISA).await;
    assert_eq!(response.status().as_u16(), 502);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Metodo di pagamento non rimosso")
    );
}

/// Mario, signed in, whose list shows his Visa `before` times (the profile, the check before
/// deleting), then no more.
async fn mario_whose_visa_goes(voucherly: &MockServer, before: u64) -> crate::helpers::TestApp {
    let list = "/v1/customers/cus_mario/payment_methods";
    let visa = json!({"id": VISA, "paymentGatewayId": "card", "creditCard":
        {"brand": "visa", "pan": "************4242", "expirationMonth": 12, "expirationYear": 2099}});
    Mock::given(method("GET"))
        .and(path(list))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [visa]})))
        .up_to_n_times(before)
        .mount(voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .mount(voucherly)
        .await;
    let app = spawn_app_with_voucherly(voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_mario");
    app.sign_in_as("demo-mario").await;
    app
}

/// Mario's Visa and expired Mastercard, as `mario_with` lists them.
fn mario_methods() -> serde_json::Value {
    json!([
        {"id": VISA, "paymentGatewayId": "card", "creditCard":
            {"brand": "Visa", "pan": "************4242", "expirationMonth": 12, "expirationYear": 2099}},
        {"id": EXPIRED_MASTERCARD, "paymentGatewayId": "card", "creditCard":
            {"brand": "Mastercard", "pan": "************4444", "expirationMonth": 3, "expirationYear": 2023}}
    ])
}

#[tokio::test]
async fn a_2xx_with_a_junk_body_for_a_method_still_listed_is_reported_as_not_removed() {
    let voucherly = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>gateway says hi</html>"))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let response = confirm_removal(&app, VISA).await;
    assert_eq!(response.status().as_u16(), 502);
    let html = response.text().await.unwrap();
    assert!(html.contains("Metodo di pagamento non rimosso"), "{html}");
    assert!(
        app.get_html("/account").await.contains("4242"),
        "still shown"
    );
}

#[tokio::test]
async fn a_2xx_with_a_junk_body_counts_as_removed_once_the_list_no_longer_shows_it() {
    let voucherly = MockServer::start().await;
    let removals = real_list(&voucherly, "cus_mario", mario_methods()).await;
    Mock::given(method("DELETE"))
        .respond_with(removals.answering(ResponseTemplate::new(200).set_body_string("[1,")))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let response = confirm_removal(&app, VISA).await;
    assert_eq!(location(&response), "/account?notice=method_removed");
    assert!(!app.get_html("/account").await.contains("4242"));
}

#[tokio::test]
async fn a_404_for_a_method_the_list_still_shows_is_reported_as_not_removed() {
    let voucherly = MockServer::start().await;
    delete_answers(&voucherly, 404, 1).await;
    let app = mario_with(&voucherly).await;
    let response = confirm_removal(&app, VISA).await;
    assert_eq!(response.status().as_u16(), 502);
    let html = response.text().await.unwrap();
    assert!(html.contains("Metodo di pagamento non rimosso"), "{html}");
}

#[tokio::test]
async fn a_404_for_a_method_gone_from_the_list_counts_as_removed() {
    let voucherly = MockServer::start().await;
    delete_answers(&voucherly, 404, 1).await;
    let app = mario_whose_visa_goes(&voucherly, 2).await;
    let response = confirm_removal(&app, VISA).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/account?notice=method_removed");
}

#[tokio::test]
async fn a_delete_that_timed_out_after_voucherly_removed_the_method_counts_as_removed() {
    let voucherly = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204).set_delay(std::time::Duration::from_secs(3)))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_whose_visa_goes(&voucherly, 2).await;
    let response = confirm_removal(&app, VISA).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/account?notice=method_removed");
}

#[tokio::test]
async fn when_the_list_cannot_be_read_again_the_shopper_is_told_we_are_unsure() {
    let voucherly = MockServer::start().await;
    delete_answers(&voucherly, 504, 1).await;
    let list = "/v1/customers/cus_mario/payment_methods";
    let visa = json!({"id": VISA, "paymentGatewayId": "card"});
    Mock::given(method("GET"))
        .and(path(list))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [visa]})))
        .up_to_n_times(2)
        .mount(&voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .respond_with(ResponseTemplate::new(503))
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_mario");
    app.sign_in_as("demo-mario").await;

    let response = confirm_removal(&app, VISA).await;
    assert_eq!(response.status().as_u16(), 503);
    let html = response.text().await.unwrap();
    assert!(html.contains("Non siamo riusciti a verificare"), "{html}");
}

#[tokio::test]
async fn when_voucherly_cannot_list_the_methods_nothing_is_deleted() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&voucherly)
        .await;
    delete_answers(&voucherly, 204, 0).await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_mario");
    app.sign_in_as("demo-mario").await;
    assert_eq!(app.get(&remove_path(VISA)).await.status().as_u16(), 503);
    assert_eq!(confirm_removal(&app, VISA).await.status().as_u16(), 503);
}

#[tokio::test]
async fn a_method_id_with_unusual_characters_survives_the_link_and_the_delete() {
    let voucherly = MockServer::start().await;
    let odd = "pm a/b%c?d";
    let methods = json!([{"id": odd, "paymentGatewayId": "edenred"}]);
    let removals = real_list(&voucherly, "cus_mario", methods).await;
    Mock::given(method("DELETE"))
        .and(path(
            "/v1/customers/cus_mario/payment_methods/pm%20a%2Fb%25c%3Fd",
        ))
        .respond_with(removals.answering(ResponseTemplate::new(204)))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.link_customer("demo-mario", "sandbox", "cus_mario");
    app.sign_in_as("demo-mario").await;
    let href = "/account/payment-methods/pm%20a%2Fb%25c%3Fd/remove";
    assert!(app.get_html("/account").await.contains(href));
    assert_eq!(app.get(href).await.status().as_u16(), 200);
    let csrf = app.csrf_token("/account").await;
    let response = app.post_form(href, &[("csrf_token", &csrf)]).await;
    assert_eq!(response.status().as_u16(), 303);
}
