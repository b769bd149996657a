//! `POST /api/v1/orders`: a new order is 201, the same one again 200, anything else under the
//! same store order id 409.

use reqwest::header::LOCATION;
use serde_json::json;

use super::{assert_error, json_of, order_body, spawn_store_api};

#[tokio::test]
async fn creating_an_order_answers_201_with_the_order_and_its_location() {
    let api = spawn_store_api().await;
    let response = api.post_order(&order_body("A-1001", "user-42")).await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.headers()[LOCATION], "/api/v1/orders/A-1001");
    let order = json_of(response).await;
    assert_eq!(order["store_order_id"], "A-1001");
    assert_eq!(order["store_user_id"], "user-42");
    assert_eq!(order["status"], "awaiting_payment");
    assert_eq!(order["currency"], "EUR");
    assert_eq!(order["total_amount"], 1500);
    assert_eq!(order["discount_amount"], 200);
    assert_eq!(order["final_amount"], 1300);
    assert_eq!(order["lines"][0]["product_name"], "Pizza margherita");
    assert_eq!(order["lines"][0]["unit_discount_amount"], 0);
    assert_eq!(order["lines"][0]["is_food"], true);
    assert_eq!(order["discounts"][0]["name"], "Welcome");
    assert_eq!(order["voucherly_payment_id"], serde_json::Value::Null);
    assert_eq!(order["payments"], json!([]));
    assert!(
        order["created_at"]
            .as_str()
            .is_some_and(|at| at.ends_with('Z'))
    );

    let read_back = json_of(api.get_order("A-1001").await).await;
    assert_eq!(read_back, order);
}

#[tokio::test]
async fn an_order_for_a_demo_shopper_is_to_pay_in_their_profile() {
    let api = spawn_store_api().await;
    let mut body = order_body("API-7", "demo-mario");
    body["shopper"] = json!({
        "store_user_id": "demo-mario", "email": "mario.rossi@example.com",
        "first_name": "Mario", "last_name": "Rossi", "language": "en"
    });
    body["lines"][0]["product_name"] = json!("Lasagne from the API");
    assert_eq!(api.post_order(&body).await.status().as_u16(), 201);

    api.app.sign_in_as("demo-mario").await;
    let html = api.app.get_html("/account").await;
    let to_pay = html
        .split(r#"id="to-pay-heading""#)
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("a \"to pay\" section");
    assert!(to_pay.contains("API-7"), "{html}");
    assert!(to_pay.contains("Lasagne from the API"), "{html}");
}

#[tokio::test]
async fn the_same_body_again_answers_200_with_the_same_order() {
    let api = spawn_store_api().await;
    let body = order_body("A-1001", "user-42");
    let first = json_of(api.post_order(&body).await).await;

    let again = api.post_order(&body).await;
    assert_eq!(again.status().as_u16(), 200);
    assert_eq!(again.headers()[LOCATION], "/api/v1/orders/A-1001");
    assert_eq!(json_of(again).await, first);

    // Spelling out the defaults is the same order too.
    let mut explicit = body.clone();
    explicit["lines"][0]["unit_discount_amount"] = json!(0);
    explicit["lines"][0]["product_description"] = json!(null);
    assert_eq!(api.post_order(&explicit).await.status().as_u16(), 200);
    assert_eq!(api.count("orders WHERE store_order_id = ?1", "A-1001"), 1);
}

#[tokio::test]
async fn a_different_body_with_the_same_store_order_id_answers_409() {
    let api = spawn_store_api().await;
    let body = order_body("A-1001", "user-42");
    assert_eq!(api.post_order(&body).await.status().as_u16(), 201);

    let mut different = body.clone();
    different["lines"][0]["quantity"] = json!(3);
    let message = assert_error(api.post_order(&different).await, 409, "conflict").await;
    assert!(message.contains("A-1001"), "{message}");

    let stored = json_of(api.get_order("A-1001").await).await;
    assert_eq!(stored["lines"][0]["quantity"], 2);
}

#[tokio::test]
async fn another_shopper_with_the_same_store_order_id_gets_409_and_is_not_created() {
    let api = spawn_store_api().await;
    assert_eq!(
        api.post_order(&order_body("A-1001", "user-42"))
            .await
            .status()
            .as_u16(),
        201
    );

    let response = api.post_order(&order_body("A-1001", "user-43")).await;
    assert_error(response, 409, "conflict").await;
    assert_eq!(api.count("shoppers WHERE store_user_id = ?1", "user-43"), 0);
    let stored = json_of(api.get_order("A-1001").await).await;
    assert_eq!(stored["store_user_id"], "user-42");
}

#[tokio::test]
async fn the_shopper_is_created_then_updated_and_keeps_their_language() {
    let api = spawn_store_api().await;
    assert_eq!(
        api.post_order(&order_body("A-1", "user-42"))
            .await
            .status()
            .as_u16(),
        201
    );
    let mut body = order_body("A-2", "user-42");
    body["shopper"]["email"] = json!("anna.new@shop.example");
    body["shopper"]
        .as_object_mut()
        .expect("a shopper")
        .remove("language");
    assert_eq!(api.post_order(&body).await.status().as_u16(), 201);

    let row = api.app.db().text_rows(
        "SELECT email, language FROM shoppers WHERE store_user_id = 'user-42'",
        &[],
    );
    let [email, language] = <[String; 2]>::try_from(row[0].clone()).expect("two columns");
    assert_eq!(email, "anna.new@shop.example");
    assert_eq!(language, "en");
}

#[tokio::test]
async fn a_store_order_id_with_spaces_and_slashes_is_read_back_at_its_location() {
    let api = spawn_store_api().await;
    let response = api.post_order(&order_body("2025/A 7", "user-42")).await;
    assert_eq!(response.status().as_u16(), 201);
    let location = response.headers()[LOCATION]
        .to_str()
        .expect("a Location")
        .to_owned();
    assert_eq!(location, "/api/v1/orders/2025%2FA%207");

    let response = api
        .request(reqwest::Method::GET, &location)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(json_of(response).await["store_order_id"], "2025/A 7");
}

#[tokio::test]
async fn null_for_the_shopper_language_or_the_currency_is_as_if_it_were_left_out() {
    // The document says so: both are `["string", "null"]`.
    let api = spawn_store_api().await;
    let mut body = order_body("A-null", "user-null");
    body["shopper"]["language"] = json!(null);
    body["currency"] = json!(null);
    let response = api.post_order(&body).await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(json_of(response).await["currency"], "EUR");
}

#[tokio::test]
async fn a_whole_number_written_with_a_zero_fraction_is_that_number() {
    // JSON Schema's `integer`, which the document promises, includes `2.0`; `1.5` is refused.
    let api = spawn_store_api().await;
    let mut body = order_body("A-float", "user-float");
    body["lines"][0]["quantity"] = json!(2.0);
    body["lines"][0]["unit_amount"] = json!(750.0);
    body["discounts"][0]["amount"] = json!(200.0);
    let response = api.post_order(&body).await;
    assert_eq!(response.status().as_u16(), 201);
    let order = json_of(response).await;
    assert_eq!(
        (&order["lines"][0]["quantity"], &order["final_amount"]),
        (&json!(2), &json!(1300))
    );
}
