//! Every route of the store API is in the OpenAPI document, and the document lists no other;
//! a method a path lacks is refused in JSON. The routes are read from the code that registers
//! them (`web::resource("…")` with its `.route(web::get()…)`s, or `.route("…", web::post()…)`,
//! under `src/routes/api/`), so a new endpoint missing from `StoreApiDoc`'s list fails here.

use reqwest::Method;

use super::json_of;
use super::spec::{METHODS, is_routed, operations, served_spec, spawn_for_examples};
use crate::architecture::source::{src_files, without_comments};

/// Every `(method, path)` the app registers under `/api/v1`, as the spec names them.
fn registered_routes() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, text) in src_files(50) {
        if !path.starts_with("routes/api") {
            continue;
        }
        let code = without_comments(&text);
        for (index, _) in code.match_indices("web::resource(\"") {
            let rest = &code[index + "web::resource(\"".len()..];
            let resource = &rest[..rest.find('"').expect("the path's end")];
            let body = &rest[..rest[1..]
                .find("web::resource(")
                .map_or(rest.len(), |end| end + 1)];
            for method in METHODS {
                if body.contains(&format!(".route(web::{method}()")) {
                    found.push((method.to_owned(), format!("/api/v1{resource}")));
                }
            }
        }
        for (index, _) in code.match_indices(".route(\"") {
            let rest = &code[index + ".route(\"".len()..];
            let route = &rest[..rest.find('"').expect("the path's end")];
            let after = rest[route.len()..].trim_start_matches(['"', ',', ' ', '\n']);
            let method = METHODS
                .into_iter()
                .find(|method| after.starts_with(&format!("web::{method}()")))
                .expect("a route with a method");
            found.push((method.to_owned(), format!("/api/v1{route}")));
        }
    }
    found.sort();
    found.dedup();
    assert!(found.len() >= 7, "only {found:?} found");
    found
}

#[tokio::test]
async fn every_route_of_the_store_api_is_in_the_spec_and_nothing_else() {
    let api = spawn_for_examples().await;
    let spec = served_spec(&api).await;
    let mut documented: Vec<_> = operations(&spec)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    documented.sort();
    assert_eq!(
        documented,
        registered_routes(),
        "the document's operations, then the routes the code registers: list a new handler in \
         `StoreApiDoc` (src/routes/api/openapi.rs)"
    );

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
