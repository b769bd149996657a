//! Forms that must not pay, and Voucherly failing while creating.

use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::helpers::{browser, location};

use super::support::{
    EXPIRED_MASTERCARD, MARIO_CUSTOMER, created, mario_with, new_key, order_id, pay,
    payment_records,
};

async fn voucherly_that_must_not_create() -> MockServer {
    let voucherly = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("never", MARIO_CUSTOMER))
        .expect(0)
        .mount(&voucherly)
        .await;
    voucherly
}

#[tokio::test]
async fn a_method_that_is_not_the_shoppers_or_is_expired_is_refused_without_calling_voucherly() {
    let voucherly = voucherly_that_must_not_create().await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1001");

    for method_id in ["pm_of_luca", "made-up", EXPIRED_MASTERCARD] {
        let response = pay(&app, order, &new_key(), method_id, &[]).await;
        assert_eq!(response.status().as_u16(), 400, "{method_id}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("non è tra i tuoi metodi di pagamento utilizzabili"),
            "{html}"
        );
    }
    assert!(payment_records(&app).is_empty());
}

#[tokio::test]
async fn another_shoppers_order_is_not_found_and_voucherly_is_not_called() {
    let voucherly = voucherly_that_must_not_create().await;
    let app = mario_with(&voucherly).await;
    let giulias = order_id(&app, "demo-1003");

    let response = pay(&app, giulias, &new_key(), "checkout", &[]).await;

    assert_eq!(response.status().as_u16(), 404);
    let unknown = pay(&app, 999_999, &new_key(), "checkout", &[]).await;
    assert_eq!(unknown.status().as_u16(), 404);
    assert!(payment_records(&app).is_empty());
}

#[tokio::test]
async fn a_bad_csrf_token_or_a_malformed_key_is_refused_and_records_nothing() {
    let voucherly = voucherly_that_must_not_create().await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1001");
    let path = format!("/account/orders/{order}/pay");

    let forged = app
        .post_form(
            &path,
            &[("csrf_token", "forged"), ("idempotency_key", &new_key())],
        )
        .await;
    assert_eq!(forged.status().as_u16(), 403);
    let csrf = app.csrf_token("/account").await;
    let bad_key = app
        .post_form(
            &path,
            &[("csrf_token", &csrf), ("idempotency_key", "not-hex")],
        )
        .await;
    assert_eq!(bad_key.status().as_u16(), 400);
    // Signed out, the form goes nowhere.
    let stranger = browser()
        .post(app.url(&path))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("idempotency_key", &new_key()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status().as_u16(), 303);
    assert_eq!(location(&stranger), "/");
    assert!(payment_records(&app).is_empty());
}

#[tokio::test]
async fn voucherly_timing_out_on_create_gives_a_clear_page_and_the_order_stays_to_pay() {
    let voucherly = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payments"))
        .respond_with(created("too_late", MARIO_CUSTOMER).set_delay(Duration::from_secs(3)))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = mario_with(&voucherly).await;
    let order = order_id(&app, "demo-1002");
    let key = new_key();

    let response = pay(&app, order, &key, "checkout", &[]).await;

    assert_eq!(response.status().as_u16(), 503);
    let html = response.text().await.unwrap();
    assert!(html.contains("Non ti è stato addebitato nulla"), "{html}");
    assert!(html.contains(r#"href="/account""#));
    assert_eq!(
        payment_records(&app),
        [("create_failed".into(), 4990, None)]
    );
    // The same form again does not call Voucherly a second time.
    let again = pay(&app, order, &key, "checkout", &[]).await;
    assert_eq!(again.status().as_u16(), 503);
    // The order can be paid with a fresh form.
    let profile = app.get_html("/account").await;
    assert!(profile.contains(&format!(r#"action="/account/orders/{order}/pay""#)));
    assert!(profile.contains("Non avviato"));
}
