//! The sandbox's `v1/customers`: list by exact email in cursor pages, create (`201`, one per
//! email with `requireUniqueEmail`), read with `include=Wallet`, update with `POST`.

use reqwest::{Method, StatusCode};
use serde_json::json;
use voucherly_account::sandbox::demo;

use super::spawn_sandbox;

#[tokio::test]
async fn customers_are_created_found_by_email_read_and_updated() {
    let app = spawn_sandbox().await;
    let new = json!({"email": "anna@example.com", "firstName": "Anna", "lastName": "Neri",
                     "phoneNumber": "+39 333 1234567", "metadata": {"crmId": "crm-1"},
                     "options": {"requireUniqueEmail": true}});
    let (status, created) = app.call(Method::POST, "/customers", Some(&new)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().expect("an id").to_owned();
    assert!(id.starts_with("cs_"));
    assert_eq!(created["tenant"], "sand");
    assert_eq!(created["metadata"]["crmId"], "crm-1");
    assert!(created.get("wallet").is_none());

    // The same email again is refused with the option, accepted without it.
    let (status, refused) = app.call(Method::POST, "/customers", Some(&new)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["parameter"], "Email");
    let twin = json!({"email": "ANNA@example.com", "firstName": "Anna"});
    let (status, _) = app.call(Method::POST, "/customers", Some(&twin)).await;
    assert_eq!(status, StatusCode::CREATED);

    let first = app
        .api_get("/customers?email=anna%40example.com&length=1")
        .await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(first["items"][0]["id"], id.as_str());
    assert_eq!(first["pagination"]["hasMore"], true);
    let next = first["pagination"]["nextStart"].as_str().expect("a cursor");
    let second = app
        .api_get(&format!(
            "/customers?email=anna%40example.com&length=1&start={next}"
        ))
        .await;
    assert_eq!(second["items"][0]["email"], "ANNA@example.com");
    assert_eq!(second["pagination"]["hasMore"], false);
    let nobody = app.api_get("/customers?email=nobody%40example.com").await;
    assert_eq!(nobody["items"], json!([]));

    let change = json!({"firstName": "Annalisa", "email": "annalisa@example.com"});
    let (status, updated) = app
        .call(Method::POST, &format!("/customers/{id}"), Some(&change))
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["lastName"], "Neri", "unchanged fields stay");
    let read = app
        .api_get(&format!("/customers/{id}?include=Wallet"))
        .await;
    assert_eq!(read["firstName"], "Annalisa");
    assert_eq!(read["email"], "annalisa@example.com");
    assert_eq!(read["wallet"]["totalAmount"], 0);
}

#[tokio::test]
async fn unknown_customers_fields_and_includes_are_refused() {
    let app = spawn_sandbox().await;
    let (status, _) = app.call(Method::GET, "/customers/cs_nobody", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call(
            Method::POST,
            "/customers/cs_nobody",
            Some(&json!({"firstName": "X"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .call(
            Method::POST,
            "/customers",
            Some(&json!({"email": "a@b.it", "referenceId": "r"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let mario = demo::MARIO_CUSTOMER_ID;
    let (status, _) = app
        .call(
            Method::GET,
            &format!("/customers/{mario}?include=Lines"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app
        .call(
            Method::POST,
            &format!("/customers/{mario}"),
            Some(&json!({"referenceId": "r"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn wallet_movements_and_the_prepaid_quota_are_read_per_customer() {
    let app = spawn_sandbox().await;
    let mario = demo::MARIO_CUSTOMER_ID;
    let empty = app
        .api_get(&format!(
            "/customers/{mario}/wallet/movements?fromDate=2026-01-01T00:00:00Z&toDate=2026-12-31T23:59:59"
        ))
        .await;
    assert_eq!(empty["items"], json!([]));
    assert_eq!(empty["pagination"]["hasMore"], false);
    let (status, body) = app
        .call(
            Method::GET,
            &format!("/customers/{mario}/wallet/movements?fromDate=soon"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["parameter"], "fromDate");
    let (status, _) = app
        .call(Method::GET, "/customers/cs_nobody/wallet/movements", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The sandbox has no companies, so no customer has a prepaid quota.
    let prepaid = app
        .api_get(&format!("/customers/{mario}/prepaid?date=2026-12-02"))
        .await;
    assert_eq!(prepaid["paymentGatewayIsActive"], false);
    assert_eq!(prepaid["policy"], json!(null));
    assert_eq!(prepaid["date"], "2026-12-02");
    let (status, _) = app
        .call(Method::GET, &format!("/customers/{mario}/prepaid"), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The old path of the movements is gone.
    let (status, _) = app
        .call(Method::GET, "/customers/wallet/movements", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
