//! Coming back from the checkout: the return page reads the payment back from Voucherly and
//! shows where it stands; the reconciler finishes what no callback and no browser did.

#[cfg(feature = "demo")]
mod end_to_end;
mod reconciler;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::callbacks::{reads_back, voucherly_payment};
use crate::helpers::{TestApp, browser, spawn_app_with_voucherly};

const REFRESH: &str = r#"<meta http-equiv="refresh" content="3">"#;

/// An app on a wiremock Voucherly, Mario signed in, his order A-1 with a `requested` payment.
pub async fn mario_back_from_checkout() -> (TestApp, MockServer, i64, String) {
    let voucherly = MockServer::start().await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.sign_in_as("demo-mario").await;
    let order = app.insert_order("demo-mario", "A-1", 1290);
    let reference = app.insert_payment(order, Some("pay_1"), "requested", 1_000);
    (app, voucherly, order, reference)
}

async fn return_page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.expect("GET");
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.expect("a body")
}

#[tokio::test]
async fn the_return_page_reads_a_paid_payment_from_voucherly_and_shows_the_order() {
    let (app, voucherly, order, reference) = mario_back_from_checkout().await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;

    let path = format!("/payments/{reference}/return?success=true&status=Paid&paymentId=pay_1");
    let html = return_page(&app, &app.client, &path).await;
    assert!(html.contains("Pagamento riuscito"), "{html}");
    assert!(html.contains("A-1") && html.contains("12,90 €"), "{html}");
    assert!(html.contains(r#"href="/account""#));
    assert!(
        !html.contains(REFRESH),
        "a settled payment stops refreshing"
    );
    assert_eq!(app.order_status(order), "paid");

    // Settled: coming back again does not ask Voucherly (the mock expects one call).
    let html = return_page(&app, &app.client, &path).await;
    assert!(html.contains("Pagamento riuscito"));
}

#[tokio::test]
async fn the_return_page_believes_voucherly_not_the_query_parameters() {
    let (app, voucherly, order, reference) = mario_back_from_checkout().await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Requested"),
        1,
    )
    .mount(&voucherly)
    .await;

    let path = format!("/payments/{reference}/return?success=true&status=Paid&paymentId=pay_1");
    let html = return_page(&app, &app.client, &path).await;
    assert!(!html.contains("Pagamento riuscito"), "{html}");
    assert!(html.contains("Stiamo verificando il pagamento"), "{html}");
    assert!(html.contains(REFRESH) && html.contains(r#"role="status""#));
    assert_eq!(app.payment_row(&reference).status, "requested");
    assert_eq!(app.order_status(order), "awaiting_payment");
}

#[tokio::test]
async fn a_declined_payment_says_so_and_offers_to_pay_again() {
    let (app, voucherly, order, reference) = mario_back_from_checkout().await;
    reads_back("pay_1", voucherly_payment("pay_1", &reference, "Voided"), 1)
        .mount(&voucherly)
        .await;

    let html = return_page(&app, &app.client, &format!("/payments/{reference}/return")).await;
    assert!(
        html.contains("Il pagamento non è andato a buon fine"),
        "{html}"
    );
    assert!(html.contains("Paga di nuovo dal tuo account") && html.contains(r#"href="/account""#));
    assert!(!html.contains(REFRESH));
    assert_eq!(app.payment_row(&reference).status, "failed");
    assert_eq!(app.order_status(order), "awaiting_payment");
}

#[tokio::test]
async fn a_browser_without_the_session_sees_the_outcome_but_not_the_order() {
    let (app, voucherly, _, reference) = mario_back_from_checkout().await;
    reads_back(
        "pay_1",
        voucherly_payment("pay_1", &reference, "Confirmed"),
        1,
    )
    .mount(&voucherly)
    .await;

    let stranger = browser();
    let response = stranger
        .get(app.url(&format!("/payments/{reference}/return")))
        .send()
        .await
        .expect("GET");
    assert!(
        crate::helpers::session_cookie(&response).is_none(),
        "no session is started"
    );
    let html = response.text().await.expect("a body");
    assert!(html.contains("Pagamento riuscito"), "{html}");
    for private in ["A-1", "12,90", "Mario", "Rossi", r#"href="/account""#] {
        assert!(!html.contains(private), "{private} shown to a stranger");
    }
    assert!(html.contains(r#"href="/""#));
}

#[tokio::test]
async fn voucherly_down_on_return_shows_the_payment_still_processing() {
    let (app, voucherly, _, reference) = mario_back_from_checkout().await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&voucherly)
        .await;

    let html = return_page(&app, &app.client, &format!("/payments/{reference}/return")).await;
    assert!(html.contains("Stiamo verificando il pagamento") && html.contains(REFRESH));
    assert_eq!(app.payment_row(&reference).status, "requested");
}

#[tokio::test]
async fn an_unknown_reference_is_a_not_found_page() {
    let (app, _voucherly, _, _) = mario_back_from_checkout().await;
    let response = app
        .get("/payments/no-such-reference/return?success=true")
        .await;
    assert_eq!(response.status().as_u16(), 404);
}
