//! The sandbox's REST API, `/sandbox/v1/...`, with the contract's paths, camelCase JSON and
//! status codes. Every route sits behind the API key check; unknown routes answer 404 JSON.

mod customers;
mod payments;

use actix_web::{HttpResponse, web};

use super::Sandbox;
use super::error::ApiError;
use super::store;
use crate::voucherly::types::{Items, PaymentGateway};

/// Registers the API's routes; [`super::Sandbox::scope`] mounts them under `/v1` behind the
/// key check.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/payment_gateways", web::get().to(gateways))
        .route("/payments", web::post().to(payments::create))
        .route("/payments/{id}", web::get().to(payments::read))
        .route("/payments/{id}/confirm", web::post().to(payments::confirm))
        .route("/payments/{id}/refund", web::post().to(payments::refund))
        .route(
            "/customers/wallet/movements",
            web::get().to(wallet_movements),
        )
        .route(
            "/customers/{customer_id}/payment_methods",
            web::get().to(customers::methods),
        )
        .route(
            "/customers/{customer_id}/payment_methods/{id}",
            web::delete().to(customers::delete_method),
        )
        .default_service(web::to(unknown_route));
}

/// The merchant's gateways. `all` and `include=Parameters` change nothing: every sandbox
/// gateway is active and has no parameters.
#[tracing::instrument(name = "sandbox: list gateways", skip_all)]
async fn gateways(sandbox: web::Data<Sandbox>) -> Result<HttpResponse, ApiError> {
    let items: Vec<PaymentGateway> = sandbox.db.run(|conn| store::gateways(conn)).await?;
    Ok(HttpResponse::Ok().json(Items { items }))
}

/// The sandbox keeps no wallets, so every customer's list of movements is empty.
#[tracing::instrument(name = "sandbox: wallet movements", skip_all)]
async fn wallet_movements() -> HttpResponse {
    HttpResponse::Ok().json(Items::<serde_json::Value> { items: Vec::new() })
}

async fn unknown_route() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(
        "the Voucherly sandbox has no such route".into(),
    ))
}

/// The query's `include` values, repeated (`include=Lines&include=Discounts`) or
/// comma-separated, compared case-insensitively.
fn includes(query: &str) -> Result<Vec<String>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|error| ApiError::BadRequest(format!("the query string is not valid: {error}")))?;
    Ok(pairs
        .into_iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("include"))
        .flat_map(|(_, value)| {
            value
                .split(',')
                .map(|part| part.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_may_repeat_or_be_comma_separated() {
        let found = includes("include=Lines&all=true&include=discounts,Transactions").unwrap();
        assert_eq!(found, ["lines", "discounts", "transactions"]);
        assert!(includes("").unwrap().is_empty());
    }
}
