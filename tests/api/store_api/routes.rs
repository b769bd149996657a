//! Every route of the store API is in the OpenAPI document, and the document lists no other;
//! a method a path lacks is refused in JSON.

use reqwest::Method;

use super::json_of;
use super::spec::{METHODS, is_routed, operations, served_spec, spawn_for_examples};

/// Every route the app registers under `/api/v1`, as the spec names them.
const ROUTES: &[(&str, &str)] = &[
    ("post", "/api/v1/orders"),
    ("get", "/api/v1/orders/{store_order_id}"),
    ("post", "/api/v1/orders/{store_order_id}/capture"),
    ("post", "/api/v1/orders/{store_order_id}/release"),
    ("get", "/api/v1/authorisations"),
    ("post", "/api/v1/handovers"),
    ("get", "/api/v1/openapi.json"),
];

#[tokio::test]
async fn every_route_of_the_store_api_is_in_the_spec_and_nothing_else() {
    let api = spawn_for_examples().await;
    let spec = served_spec(&api).await;
    let mut documented: Vec<_> = operations(&spec)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let mut known: Vec<_> = ROUTES
        .iter()
        .map(|(method, path)| (method.to_string(), path.to_string()))
        .collect();
    documented.sort();
    known.sort();
    assert_eq!(documented, known);

    for (template, item) in spec["paths"].as_object().expect("paths") {
        let path = template.replace("{store_order_id}", "A-1");
        let (documented, others): (Vec<_>, Vec<_>) = METHODS
            .into_iter()
            .partition(|method| item.get(*method).is_some());
        if !is_routed(&api, documented[0], &path).await {
            continue;
        }
        for method in others {
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            let response = api.request(verb, &path).send().await.expect("a request");
            // A resource answers 405; a route guarded by its method is not matched at all.
            let status = response.status().as_u16();
            let code = json_of(response).await["error"]["code"].clone();
            let expected = match status {
                405 => "method_not_allowed",
                404 => "not_found",
                other => panic!("{method} {path} answered {other}"),
            };
            assert_eq!(code, expected, "{method} {path}");
        }
    }
}
