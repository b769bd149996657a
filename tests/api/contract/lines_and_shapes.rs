//! The request's lines and discounts, and the shapes of the answers.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use voucherly_account::sandbox::{Dialect, demo};

use super::{basket, created};
use crate::sandbox::{spawn_sandbox, spawn_sandbox_as};

/// Source: openapi.yaml `Payments.PaymentLine.Request` (the current line shape: product fields
/// under `product`, `lineType`, `externalId` the merchant's own id); voucherly-php-sdk
/// `CreatePaymentRequestLine` (the legacy flat shape the plugins send, with
/// `discountAmount: 0` beside `unitDiscountAmount`, `productDescription`, `metadata: []` when
/// empty, as PHP encodes it, and the WooCommerce plugin's discount `amount` from PHP's `round()`,
/// a whole decimal such as `200.0`): accepted when the sandbox is not strict, refused with the
/// field named when it is.
#[tokio::test]
async fn nested_lines_are_accepted_and_legacy_flat_ones_only_when_not_strict() {
    let app = spawn_sandbox().await;
    let strict = spawn_sandbox_as(Dialect::Docs, true).await;
    let nested = json!([{"quantity": 2, "unitAmount": 250, "unitDiscountAmount": 10,
        "product": {"externalId": "SKU-MUFFIN-001", "name": "Muffin", "lineType": "Food", "taxRate": 10}}]);
    for sandbox in [&app, &strict] {
        let payment = created(sandbox, &basket(nested.clone())).await;
        assert_eq!(payment["finalAmount"], 480);
    }
    let mut flat = basket(
        json!([{"quantity": 2, "priceId": null, "unitAmount": 250, "unitDiscountAmount": 10,
        "discountAmount": 0, "taxRate": 10.0, "productName": "Muffin", "productDescription": "",
        "productImage": "", "isFood": true}]),
    );
    flat["metadata"] = json!([]);
    flat["callbackUrl"] = Value::Null;
    flat["discounts"] =
        json!([{"discountName": "WELCOME", "discountDescription": "", "amount": 200.0}]);
    let id = created(&app, &flat).await["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let read = app.api_get(&format!("/payments/{id}?include=Lines")).await;
    assert_eq!(read["lines"][0]["productName"], "Muffin");
    assert_eq!(read["lines"][0]["isFood"], true);
    assert_eq!(read["lines"][0]["finalAmount"], 480);
    assert_eq!(read["finalAmount"], 280);
    let (status, problem) = strict.call(Method::POST, "/payments", Some(&flat)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(
        (&problem["code"], &problem["parameter"]),
        (&json!("VALIDATION_ERROR"), &json!("Lines[0].TaxRate"))
    );
    let mut flagged = basket(nested);
    flagged["lines"][0]["product"]["isFood"] = json!(true);
    let (status, problem) = strict.call(Method::POST, "/payments", Some(&flagged)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["parameter"], "Lines[0].Product.IsFood");
}

/// Source: create-payment.RequestSchema.json (`productId`: "The ID of an existing Product in
/// Voucherly"); create-payment.StatusCodes.json (`RESOURCE_MISSING`). Integer ids, as the PHP
/// SDK's `?int $productId` sends them, are read as ids, not refused as the wrong type.
#[tokio::test]
async fn an_unknown_catalogue_product_or_price_is_a_400_resource_missing() {
    let app = spawn_sandbox().await;
    for (field, id, expected) in [
        ("productId", json!("prod_shop_42"), "prod_shop_42"),
        ("productId", json!(42), "42"),
        ("priceId", json!(7), "7"),
    ] {
        let mut line = json!({"quantity": 1, "unitAmount": 100, "productName": "Pizza"});
        line[field] = id;
        let (status, problem) = app
            .call(Method::POST, "/payments", Some(&basket(json!([line]))))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(problem["code"], "RESOURCE_MISSING");
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains(expected)),
            "{problem}"
        );
    }
}

/// Source: files/openapi.yaml `Payments.PaymentDiscount` (`value` an integer; `index` "the
/// application order of this discount relative to others") and `Payments.DiscountType`
/// (`DOLLAROFF` cents off, `PERCENOFF` a percentage, `FIXED` sets the price);
/// `unitDiscountAmount` and `discountAmount` are "mutually exclusive".
#[tokio::test]
async fn discounts_are_typed_computed_in_index_order_and_checked() {
    let app = spawn_sandbox().await;
    let lines = json!([{"quantity": 1, "unitAmount": 10000, "productName": "Hamper"}]);
    let mut body = basket(lines.clone());
    body["discounts"] = json!([
        {"discountName": "5 off", "type": "DOLLAROFF", "value": 500, "index": 2},
        {"discountName": "10%", "type": "PERCENOFF", "value": 10, "index": 1}
    ]);
    let payment = created(&app, &body).await;
    assert_eq!(payment["finalAmount"], 8500);
    assert_eq!(payment["discountAmount"], 1500);
    let mut fixed = basket(lines.clone());
    fixed["discounts"] = json!([{"discountName": "Price", "type": "FIXED", "value": 7000}]);
    assert_eq!(created(&app, &fixed).await["finalAmount"], 7000);
    let mut fractional = basket(lines.clone());
    fractional["discounts"] = json!([{"discountName": "x", "type": "PERCENOFF", "value": 10.5}]);
    let (status, _) = app.call(Method::POST, "/payments", Some(&fractional)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let both = basket(
        json!([{"quantity": 1, "unitAmount": 100, "unitDiscountAmount": 10, "discountAmount": 5, "productName": "x"}]),
    );
    let (status, problem) = app.call(Method::POST, "/payments", Some(&both)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["parameter"], "Lines[0].DiscountAmount");
}

/// Source: files/openapi.yaml (`list-payment_gateway`: `All` "whether to return all payment
/// gateways or only those are enabled"; `PaymentGatewayDto.type`, `icon`, `checkoutImage`).
#[tokio::test]
async fn gateways_carry_their_type_and_images_and_all_lists_the_inactive_ones() {
    let app = spawn_sandbox().await;
    let active = app.api_get("/payment_gateways").await;
    let items = active["items"].as_array().expect("items");
    assert!(
        items
            .iter()
            .all(|g| g["isActive"] == true && g["type"].is_i64())
    );
    assert!(!items.iter().any(|g| g["id"] == "paypal"));
    let all = app.api_get("/payment_gateways?All=true").await;
    assert!(
        all["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|g| g["id"] == "paypal" && g["isActive"] == false)
    );
    for field in ["icon", "checkoutImage", "image"] {
        let url = items[1][field].as_str().expect("an image URL");
        let image = app.client.get(url).send().await.expect("the image");
        assert_eq!(image.status(), StatusCode::OK, "{url}");
        assert_eq!(image.headers()["content-type"], "image/svg+xml");
    }
}

/// Source: the SDK's spec (`spec/openapi.yaml`: `length`/`start` on `payment_methods`, "the
/// most recent first"); openapi.yaml `PaginationResponse` (`nextStart` a string cursor),
/// `PageSizeQueryParam` ("between 1 and 100"). The docs dialect is in `dialects.rs`.
#[tokio::test]
async fn a_customers_methods_are_paginated_the_most_recent_first() {
    let app = spawn_sandbox_as(Dialect::Sdk, true).await;
    let path = format!("/customers/{}/payment_methods", demo::MARIO_CUSTOMER_ID);
    let first = app.api_get(&format!("{path}?length=3")).await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(3));
    assert_eq!(first["pagination"]["hasMore"], true);
    let cursor = first["pagination"]["nextStart"].as_str().expect("a string");
    assert_eq!(first["items"][0]["creditCard"]["pan"], "************4242");
    let rest = app
        .api_get(&format!("{path}?length=3&start={cursor}"))
        .await;
    assert_eq!(rest["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        rest["pagination"],
        json!({"hasMore": false, "nextStart": null})
    );
    let (status, _) = app
        .call(Method::GET, &format!("{path}?length=101"), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Source: the official WooCommerce plugin (`assets/images/cards/{brand}.png`: `visa`,
/// `mastercard`, `amex`, ...; the brand as Voucherly writes it picks the image).
#[tokio::test]
async fn card_brands_are_written_as_voucherly_writes_them() {
    let app = spawn_sandbox().await;
    let methods = app.methods_of(demo::MARIO_CUSTOMER_ID).await;
    let brands: Vec<&str> = methods["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["creditCard"]["brand"].as_str())
        .collect();
    assert_eq!(brands, ["visa", "mastercard"]);
}

/// Source: openapi.yaml's `Payment` and `Payments.PaymentLine` (answers): the gateway chosen up
/// front is `selectedPaymentGateway` (the request says `selectedPaymentGatewayId`), `foodAmount`
/// is the food lines' share, and a line comes back flat ("the request body uses a different,
/// normalized shape that nests product fields under a `product` object"): the product's
/// `externalId` as `productExternalId1`, the line's own `externalId`, its `lineType`, `isGift`.
#[tokio::test]
async fn answers_use_the_payment_schemas_names() {
    let app = spawn_sandbox_as(Dialect::Docs, true).await;
    let mut body = basket(json!([
        {"quantity": 1, "unitAmount": 500, "externalId": "line-1",
         "product": {"externalId": "SKU-PIZZA", "name": "Pizza", "lineType": "Food", "taxRate": 10}},
        {"quantity": 1, "unitAmount": 300, "product": {"name": "Mug"}}
    ]));
    body["selectedPaymentGatewayId"] = json!("card");
    let id = created(&app, &body).await["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let read = app.api_get(&format!("/payments/{id}?include=Lines")).await;
    assert_eq!(read["selectedPaymentGateway"], "card", "{read}");
    assert!(read.get("selectedPaymentGatewayId").is_none(), "{read}");
    assert_eq!(
        (&read["finalAmount"], &read["foodAmount"]),
        (&json!(800), &json!(500))
    );
    let line = &read["lines"][0];
    assert_eq!(
        (
            &line["productExternalId1"],
            &line["externalId"],
            &line["isGift"]
        ),
        (&json!("SKU-PIZZA"), &json!("line-1"), &json!(false))
    );
    assert_eq!(
        (&line["lineType"], &line["taxRate"]),
        (&json!("Food"), &json!(10.0))
    );
    assert_eq!(read["lines"][1]["lineType"], "NonFood", "the default");
    assert!(line.get("product").is_none(), "{line}");
}
