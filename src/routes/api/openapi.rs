//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the store API, its webhooks
//! included, served without authentication so a store's developers can load it into their tools.
//! The document is `openapi.json` beside this file; a test calls every operation it lists with
//! its examples, so it cannot drift from the code unnoticed.

use std::sync::LazyLock;

use actix_web::{HttpResponse, web};
use anyhow::Context;
use serde_json::{Value, json};

use super::ApiError;
use super::orders::method_not_allowed;
use crate::web::Site;

static DOCUMENT: LazyLock<Result<Value, String>> =
    LazyLock::new(|| serde_json::from_str(include_str!("openapi.json")).map_err(|e| e.to_string()));

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/openapi.json")
            .route(web::get().to(serve))
            .default_service(web::to(|| async { method_not_allowed("GET") })),
    );
}

#[tracing::instrument(skip_all)]
async fn serve(site: web::Data<Site>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(document(&site.public_url)?))
}

/// The document, with this app's public URL as its server.
pub fn document(public_url: &str) -> anyhow::Result<Value> {
    let mut document = DOCUMENT
        .as_ref()
        .map_err(anyhow::Error::msg)
        .context("openapi.json is not JSON")?
        .clone();
    document["servers"] = json!([{ "url": public_url }]);
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::document;

    #[test]
    fn the_document_is_json_and_names_the_server() {
        let document = document("https://account.shop.example").unwrap();
        assert_eq!(document["openapi"], "3.1.0");
        assert_eq!(
            document["servers"][0]["url"],
            "https://account.shop.example"
        );
    }
}
