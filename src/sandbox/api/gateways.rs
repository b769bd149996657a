//! `GET v1/payment_gateways` (openapi.yaml, `list-payment_gateway`): the merchant's gateways,
//! only the active ones unless `All=true`, with their `type` and image URLs; and the images
//! themselves, served by the sandbox so that the URLs it gives out work.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};

use super::super::Sandbox;
use super::super::error::ApiError;
use super::super::store;
use super::super::wire::{Gateway, Page};
use super::query_values;

#[tracing::instrument(name = "sandbox: list gateways", skip_all)]
pub async fn list(sandbox: web::Data<Sandbox>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let all = match query_values(req.query_string(), "all")?
        .first()
        .map(String::as_str)
    {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::validation("All", "All must be true or false")),
    };
    // openapi.yaml: `Include` is an enum of one value; the sandbox's gateways have no parameters.
    if query_values(req.query_string(), "include")?
        .iter()
        .any(|include| include != "parameters")
    {
        return Err(ApiError::validation(
            "Include",
            "Include can only be Parameters",
        ));
    }
    let base = sandbox.base_url(&req);
    let gateways: Vec<Gateway> = sandbox.db.run(|conn| store::gateways(conn)).await?;
    let mut items = Vec::new();
    for gateway in gateways
        .into_iter()
        .filter(|gateway| all || gateway.is_active)
    {
        let kind = gateway.kind;
        let mut item = serde_json::to_value(with_images(gateway, &base))
            .map_err(|error| ApiError::Unexpected(error.into()))?;
        // The docs' spec writes `type` as an integer, the SDK's as a name (see `dialect`).
        item["type"] = sandbox.dialect.gateway_type(kind);
        items.push(item);
    }
    Ok(HttpResponse::Ok().json(Page {
        items,
        pagination: None,
    }))
}

/// Fills in a gateway's image URLs, which depend on where the sandbox is reached.
pub fn with_images(gateway: Gateway, base: &str) -> Gateway {
    let url = |kind: &str| Some(format!("{base}/sandbox/gateways/{}/{kind}.svg", gateway.id));
    Gateway {
        image: url("image"),
        checkout_image: url("checkout"),
        icon: url("icon"),
        ..gateway
    }
}

pub fn image_resource() -> actix_web::Resource {
    web::resource("/gateways/{id}/{kind}.svg").route(web::get().to(image))
}

/// A small SVG badge with the gateway's name. Ids are checked against the stored gateways, so
/// nothing a caller typed reaches the image.
async fn image(
    sandbox: web::Data<Sandbox>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, kind) = path.into_inner();
    let gateways = sandbox.db.run(|conn| store::gateways(conn)).await?;
    let Some(gateway) = gateways.into_iter().find(|gateway| gateway.id == id) else {
        return Err(ApiError::NotFound(format!("no gateway has id {id}")));
    };
    let (width, height) = match kind.as_str() {
        "icon" => (48, 32),
        "image" | "checkout" => (160, 48),
        _ => return Err(ApiError::NotFound("no such image".into())),
    };
    let name = escape(&gateway.name);
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{name}\">\
         <rect width=\"100%\" height=\"100%\" rx=\"4\" fill=\"#1a3a5c\"/>\
         <text x=\"50%\" y=\"50%\" fill=\"#fff\" font-family=\"sans-serif\" font-size=\"{size}\" \
         text-anchor=\"middle\" dominant-baseline=\"central\">{label}</text></svg>",
        size = height / 3,
        label = if kind == "icon" {
            escape(&gateway.name.chars().take(2).collect::<String>())
        } else {
            name.clone()
        },
    );
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "image/svg+xml"))
        .insert_header((CACHE_CONTROL, "public, max-age=86400"))
        .body(svg))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
