//! A hand-over that brings a new name or email updates the shopper's Voucherly customer
//! (`POST v1/customers/{id}`), once per change; one Voucherly could not take is sent again when
//! the link is opened.

use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, spawn_app, spawn_app_with_voucherly};

/// Mario, a Voucherly customer (`cus_mario`), renamed by the store to Anna Neri.
fn renamed(app: &TestApp) -> serde_json::Value {
    app.link_customer("demo-mario", "sandbox", "cus_mario");
    app.handover_body("demo-mario")
}

fn update_of_anna() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/v1/customers/cus_mario"))
        .and(body_json(json!({
            "email": "demo-mario@shop.example", "firstName": "Anna", "lastName": "Neri"
        })))
}

#[tokio::test]
async fn a_changed_name_and_email_reach_voucherly_once() {
    let voucherly = MockServer::start().await;
    update_of_anna()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "cus_mario"})))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    let body = renamed(&app);
    let link = app.handover_path(&body).await;
    // The same details again, and the link opened: nothing more to tell Voucherly.
    app.handover_path(&body).await;
    app.get(&link).await;
}

#[tokio::test]
async fn a_change_voucherly_could_not_take_is_sent_when_the_link_is_opened() {
    let voucherly = MockServer::start().await;
    update_of_anna()
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&voucherly)
        .await;
    update_of_anna()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "cus_mario"})))
        .expect(1)
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    let link = app.handover_path(&renamed(&app)).await;
    assert_eq!(app.get(&link).await.status().as_u16(), 303);
    // Signed in again later: already done.
    let again = app.handover_path(&app.handover_body("demo-mario")).await;
    app.get(&again).await;
}

#[tokio::test]
async fn the_embedded_sandbox_customer_takes_the_new_name() {
    let app = spawn_app().await;
    let link = app.handover_path(&app.handover_body("demo-mario")).await;
    app.get(&link).await;
    let mario = voucherly_account::sandbox::demo::MARIO_CUSTOMER_ID;
    let customer = app.sandbox_json(&format!("/customers/{mario}")).await;
    assert_eq!(customer["firstName"], "Anna");
    assert_eq!(customer["lastName"], "Neri");
    assert_eq!(customer["email"], "demo-mario@shop.example");
}
