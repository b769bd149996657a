//! The sandbox's REST API, `/sandbox/v1/...`, with the contract's paths, camelCase JSON and
//! status codes. Every route sits behind the API key check; unknown routes answer 404 JSON.
//! Answers to POSTs carry the whole payment; `GET v1/payments/{id}` honours `include=`.

mod customers;
mod new_payment;
mod payments;

use actix_web::{HttpResponse, Resource, Route, web};

use super::Sandbox;
use super::error::ApiError;
use super::store;
use crate::voucherly::types::{Items, PaymentGateway};

/// Registers the API's routes; [`super::Sandbox::scope`] mounts them under `/v1` behind the
/// key check.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use web::{delete, get, post};
    let methods = "/customers/{customer_id}/payment_methods";
    let method = "/customers/{customer_id}/payment_methods/{id}";
    cfg.service(resource("/payment_gateways", get().to(gateways)))
        .service(resource("/payments", post().to(payments::create)))
        .service(resource("/payments/{id}", get().to(payments::read)))
        .service(resource(
            "/payments/{id}/confirm",
            post().to(payments::confirm),
        ))
        .service(resource(
            "/payments/{id}/refund",
            post().to(payments::refund),
        ))
        .service(resource(
            "/customers/wallet/movements",
            get().to(wallet_movements),
        ))
        .service(resource(methods, get().to(customers::methods)))
        .service(resource(method, delete().to(customers::delete_method)))
        .default_service(web::to(unknown_route));
}

/// A route whose other methods answer 405 in JSON rather than with an empty body.
fn resource(path: &str, route: Route) -> Resource {
    let refuse = || async { Err::<HttpResponse, _>(ApiError::MethodNotAllowed) };
    web::resource(path)
        .route(route)
        .default_service(web::to(refuse))
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
    fn includes_may_repeat_or_be_comma_separated() -> Result<(), ApiError> {
        let found = includes("include=Lines&all=true&include=discounts,Transactions")?;
        assert_eq!(found, ["lines", "discounts", "transactions"]);
        assert!(includes("")?.is_empty());
        Ok(())
    }
}
