//! The OpenAPI document is kept true by calling what it describes: every operation with its
//! examples, its answers held to the documented schemas, and every route of the store API listed.

use reqwest::Method;
use serde_json::{Value, json};

use super::schema::{resolve, violations};
use super::{StoreApi, json_of, with_generated_key};

pub const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The demo app, with the store origin the examples return to (without the `demo` feature,
/// `spawn_app` has it already).
pub async fn spawn_for_examples() -> StoreApi {
    #[cfg(not(feature = "demo"))]
    return with_generated_key(crate::helpers::spawn_app().await);
    #[cfg(feature = "demo")]
    with_generated_key(
        crate::helpers::spawn_with(|settings| {
            settings.store_origins = vec!["https://shop.example".to_owned()]
        })
        .await,
    )
}

pub async fn served_spec(api: &StoreApi) -> Value {
    let response = api
        .unauthenticated(Method::GET, "/api/v1/openapi.json")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200);
    json_of(response).await
}

/// `(method, path, operation)` for every operation in the spec, orders first: the other
/// examples name the example order.
pub fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut found: Vec<_> = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            METHODS.into_iter().filter_map(move |method| {
                item.get(method)
                    .map(|operation| (method.to_owned(), path.clone(), operation.clone()))
            })
        })
        .collect();
    found.sort_by_key(|(method, path, _)| (method != "post", !path.ends_with("/orders")));
    found
}

/// Whether a route the spec lists answers at all: the other work may not have routed it yet.
pub async fn is_routed(api: &StoreApi, method: &str, path: &str) -> bool {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
    let response = api.request(method, path).send().await.expect("a request");
    if response.status().as_u16() != 404 {
        return true;
    }
    let body: Value = response.json().await.unwrap_or_default();
    body["error"]["message"] != "no such API endpoint"
}

/// Sends one request and checks the answer is documented: a listed status, a JSON body with
/// the documented shape. Returns the status.
async fn call(spec: &Value, operation: &Value, request: reqwest::RequestBuilder) -> u16 {
    let response = request.send().await.expect("a request");
    let status = response.status().as_u16();
    let responses = &operation["responses"];
    let documented = responses
        .get(status.to_string())
        .or_else(|| responses.get(format!("{}XX", status / 100)))
        .unwrap_or_else(|| panic!("{status} is not documented in {responses}"));
    let body = json_of(response).await;
    let schema = &resolve(spec, documented)["content"]["application/json"]["schema"];
    let problems = violations(spec, schema, &body);
    assert!(problems.is_empty(), "{status}: {problems:?} in {body}");
    status
}

#[tokio::test]
async fn every_operation_in_the_spec_answers_its_examples_as_documented() {
    let api = spawn_for_examples().await;
    let spec = served_spec(&api).await;
    for (method_name, template, operation) in operations(&spec) {
        let mut path = template.clone();
        let mut query = Vec::new();
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().expect("a parameter name");
            match (parameter["in"].as_str(), &parameter["example"]) {
                (Some("path"), example) => {
                    let example = example.as_str().expect("a path parameter's example");
                    path = path.replace(&format!("{{{name}}}"), example);
                }
                // A query parameter is sent with its example, when it has one.
                (_, Value::String(example)) => query.push(format!("{name}={example}")),
                (_, Value::Number(example)) => query.push(format!("{name}={example}")),
                _ => {}
            }
        }
        if !query.is_empty() {
            path = format!("{path}?{}", query.join("&"));
        }
        if template == "/api/v1/handovers" && !is_routed(&api, &method_name, &path).await {
            eprintln!("skipping {method_name} {path}: not routed yet");
            continue;
        }
        let method = Method::from_bytes(method_name.to_uppercase().as_bytes()).expect("a method");
        let secured = operation.get("security") != Some(&json!([]));
        let example = &operation["requestBody"]["content"]["application/json"]["example"];
        let with_example = |request: reqwest::RequestBuilder| match example {
            Value::Null => request,
            body => request.json(body),
        };

        let status = call(
            &spec,
            &operation,
            with_example(api.request(method.clone(), &path)),
        )
        .await;
        // An operation whose example cannot succeed on the example data says which status
        // it answers instead (`x-example-status`), and must answer exactly that.
        match operation["x-example-status"].as_u64() {
            Some(expected) => assert_eq!(u64::from(status), expected, "{method_name} {path}"),
            None => assert!(
                (200..300).contains(&status),
                "{method_name} {path} answered {status}"
            ),
        }

        if secured {
            let request = with_example(api.unauthenticated(method.clone(), &path));
            assert_eq!(call(&spec, &operation, request).await, 401, "{path}");
        }
        if !example.is_null() {
            let request = api.request(method.clone(), &path).json(&json!({"oops": 1}));
            assert_eq!(call(&spec, &operation, request).await, 400, "{path}");
        }
        if template.contains('{') && operation["responses"].get("404").is_some() {
            let (prefix, rest) = template.split_once('{').expect("a parameter");
            let suffix = rest.split_once('}').expect("its end").1;
            let unknown = format!("{prefix}unknown{suffix}");
            // With the example body: the order is unknown, whatever is asked of it.
            let request = with_example(api.request(method.clone(), &unknown));
            assert_eq!(call(&spec, &operation, request).await, 404, "{unknown}");
        }
    }
}

#[tokio::test]
async fn every_example_in_the_spec_matches_its_schema() {
    let api = spawn_for_examples().await;
    let spec = served_spec(&api).await;
    let mut checked = 0;
    for (name, schema) in spec["components"]["schemas"].as_object().expect("schemas") {
        if let Some(example) = schema.get("example") {
            assert_eq!(
                violations(&spec, schema, example),
                Vec::<String>::new(),
                "{name}"
            );
            checked += 1;
        }
    }
    let items = spec["paths"]
        .as_object()
        .into_iter()
        .chain(spec["webhooks"].as_object());
    for (name, item) in items.flatten() {
        for operation in METHODS.iter().filter_map(|method| item.get(*method)) {
            let content = &operation["requestBody"]["content"]["application/json"];
            if let Some(example) = content.get("example") {
                let problems = violations(&spec, &content["schema"], example);
                assert_eq!(problems, Vec::<String>::new(), "{name}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "only {checked} examples");
}

#[tokio::test]
async fn the_served_spec_is_openapi_3_1_naming_this_server_and_the_webhooks() {
    let api = spawn_for_examples().await;
    let spec = served_spec(&api).await;
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(spec["servers"], json!([{"url": api.app.address}]));
    let scheme = &spec["components"]["securitySchemes"]["storeApiKey"];
    assert_eq!(
        (&scheme["type"], &scheme["scheme"]),
        (&json!("http"), &json!("bearer"))
    );
    for event in ["order.paid", "order.payment_failed", "order.refunded"] {
        let post = &spec["webhooks"][event]["post"];
        let headers: Vec<_> = post["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("headers of {event}"))
            .iter()
            .map(|header| header["name"].as_str().expect("a name"))
            .collect();
        assert_eq!(
            headers,
            [
                "Voucherly-Account-Event-Id",
                "Voucherly-Account-Event-Type",
                "Voucherly-Account-Signature"
            ]
        );
        let example = &post["requestBody"]["content"]["application/json"]["example"];
        assert_eq!(example["type"], event);
    }
}

#[tokio::test]
async fn the_document_states_the_rules_a_schema_cannot() {
    let api = spawn_for_examples().await;
    let spec = served_spec(&api).await;
    let create = &spec["paths"]["/api/v1/orders"]["post"];
    let description = create["description"].as_str().expect("a description");
    assert!(
        description.contains("zero-total order is a 400"),
        "{description}"
    );
    assert!(create["responses"].get("400").is_some());
    let handover = &spec["paths"]["/api/v1/handovers"]["post"];
    assert!(handover["responses"].get("400").is_some());
    let return_url = &spec["components"]["schemas"]["HandoverInput"]["properties"]["return_url"];
    let description = return_url["description"].as_str().expect("a description");
    assert!(description.contains("store's origins"), "{description}");
    // The origins this instance allows, as a pattern a tool can generate URLs from.
    assert_eq!(
        return_url["pattern"],
        r"^(https://shop\.example)([/?#][!-~]*)?$"
    );
    for nullable in [
        &spec["components"]["schemas"]["ShopperInput"]["properties"]["language"],
        &spec["components"]["schemas"]["HandoverInput"]["properties"]["store_order_id"],
    ] {
        assert_eq!(nullable["type"], json!(["string", "null"]), "{nullable}");
    }
}
