//! The newest PHP SDK's customer calls (`lib/Service/CustomerService.php`,
//! `lib/Service/PaymentMethodService.php`, `lib/Request/List*Params.php`,
//! `lib/Request/{Create,Update}CustomerRequest.php`), replayed as the parent module says.

use reqwest::{Method, StatusCode};
use serde_json::json;
use voucherly_account::sandbox::{Dialect, demo};

use super::json_call;
use crate::sandbox::{SandboxApp, spawn_sandbox, spawn_sandbox_as};

/// `CustomerService::create`, `list`, `retrieve` with `include=Wallet`, `update`,
/// `listWalletMovements`, `retrievePrepaidBalance`; `PaymentMethodService::list` and `delete`.
async fn replay_customers(app: &SandboxApp, honours_method_length: bool) {
    let new = json!({"email": "giulia.bianchi@example.com", "firstName": "Giulia",
        "lastName": "Bianchi", "metadata": {"crmId": "42"}});
    let created = json_call(app, Method::POST, "/v1/customers", Some(new)).await;
    let created = created.expect_json(StatusCode::CREATED, "customers->create");
    assert_eq!(created["email"], "giulia.bianchi@example.com", "{created}");
    let id = created["id"].as_str().expect("an id").to_owned();

    // `rawurlencode` writes `@` as `%40`.
    let listed = "/v1/customers?email=giulia.bianchi%40example.com&length=10";
    let listed = json_call(app, Method::GET, listed, None).await;
    let listed = listed.expect_json(StatusCode::OK, "customers->list");
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert!(listed["pagination"].is_object(), "{listed}");

    let mario = demo::MARIO_CUSTOMER_ID;
    let with_wallet = format!("/v1/customers/{mario}?include=Wallet");
    let read = json_call(app, Method::GET, &with_wallet, None).await;
    let read = read.expect_json(StatusCode::OK, "customers->retrieve");
    assert_eq!(read["id"], mario);
    assert!(read["wallet"]["totalAmount"].is_i64(), "{read}");

    // `UpdateCustomerRequest::$email` is not nullable: the SDK always sends it.
    let update = json!({"email": "giulia.bianchi@example.com", "phoneNumber": "+393331234567"});
    let path = format!("/v1/customers/{id}");
    let updated = json_call(app, Method::POST, &path, Some(update)).await;
    let updated = updated.expect_json(StatusCode::OK, "customers->update");
    assert_eq!(updated["phoneNumber"], "+393331234567", "{updated}");
    assert_eq!(updated["firstName"], "Giulia", "{updated}");

    // `DATE_ATOM` dates, `+` written as `%2B`.
    let movements = format!(
        "/v1/customers/{mario}/wallet/movements?fromDate=2020-01-01T00%3A00%3A00%2B00%3A00\
         &toDate=2099-12-31T23%3A59%3A59%2B00%3A00&length=5"
    );
    let movements = json_call(app, Method::GET, &movements, None).await;
    let movements = movements.expect_json(StatusCode::OK, "customers->listWalletMovements");
    assert!(movements["items"].is_array(), "{movements}");
    assert!(movements["pagination"].is_object(), "{movements}");

    let prepaid = format!("/v1/customers/{mario}/prepaid?date=2026-12-02");
    let prepaid = json_call(app, Method::GET, &prepaid, None).await;
    let prepaid = prepaid.expect_json(StatusCode::OK, "customers->retrievePrepaidBalance");
    assert_eq!(prepaid["date"], "2026-12-02", "{prepaid}");
    assert!(prepaid["paymentGatewayIsActive"].is_boolean(), "{prepaid}");
    assert!(prepaid["usedAmount"].is_i64(), "{prepaid}");

    let methods = format!("/v1/customers/{mario}/payment_methods");
    let all = json_call(app, Method::GET, &methods, None).await;
    let all = all.expect_json(StatusCode::OK, "paymentMethods->list");
    let count = all["items"].as_array().map_or(0, Vec::len);
    assert!(count > 2, "{all}");
    let page = json_call(app, Method::GET, &format!("{methods}?length=2"), None).await;
    let page = page.expect_json(StatusCode::OK, "paymentMethods->list");
    let expected = if honours_method_length { 2 } else { count };
    assert_eq!(
        page["items"].as_array().map(Vec::len),
        Some(expected),
        "{page}"
    );
    assert_eq!(
        page["pagination"]["hasMore"], honours_method_length,
        "{page}"
    );
    let first = all["items"][0]["id"].as_str().expect("a method id");
    let deleted = json_call(app, Method::DELETE, &format!("{methods}/{first}"), None).await;
    assert_eq!(
        deleted.status,
        StatusCode::NO_CONTENT,
        "paymentMethods->delete"
    );
    let after = json_call(app, Method::GET, &methods, None).await;
    let after = after.expect_json(StatusCode::OK, "paymentMethods->list");
    assert_eq!(after["items"].as_array().map(Vec::len), Some(count - 1));
}

/// Source: voucherly-php-sdk d48f906 `lib/Service/CustomerService.php`,
/// `lib/Service/PaymentMethodService.php` and `lib/Request/List*Params.php`. The docs' spec
/// declares no `length` on the payment methods list, so only the SDK dialect honours it.
#[tokio::test]
async fn the_newest_php_sdks_customer_calls_get_the_documented_answers() {
    replay_customers(&spawn_sandbox().await, false).await;
    replay_customers(&spawn_sandbox_as(Dialect::Docs, true).await, false).await;
    replay_customers(&spawn_sandbox_as(Dialect::Sdk, true).await, true).await;
}
