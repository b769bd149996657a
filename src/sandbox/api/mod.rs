//! The sandbox's REST API, `/sandbox/v1/...`, with openapi.yaml's paths, camelCase JSON, status
//! codes and problem-details errors. Every route sits behind the API key check; unknown routes
//! answer a 404 problem. Answers to POSTs carry the whole payment; `GET v1/payments/{id}`
//! honours `include=`.

mod customer_records;
mod customers;
mod gateways;
mod new_payment;
mod payments;
mod receipts;
mod wallet;

use actix_web::{HttpResponse, Resource, Route, web};

pub use customers::page_window;
pub use gateways::image_resource as gateway_image_resource;

use super::error::ApiError;

/// Registers the API's routes; [`super::Sandbox::scope`] mounts them under `/v1` behind the
/// key check.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use web::{delete, get, post};
    let methods = "/customers/{customer_id}/payment_methods";
    let method = "/customers/{customer_id}/payment_methods/{id}";
    cfg.service(resource("/payment_gateways", get().to(gateways::list)))
        .service(resource("/payments", post().to(payments::create)))
        .service(resource("/payments/{id}", get().to(payments::read)))
        .service(resource(
            "/payments/{id}/confirm",
            post().to(payments::confirm),
        ))
        .service(resource("/payments/{id}/void", post().to(payments::void)))
        .service(resource(
            "/payments/{id}/refund",
            post().to(payments::refund),
        ))
        .service(resource("/payments/{id}/receipt", get().to(receipts::sale)))
        .service(resource(
            "/payments/{id}/refund_receipt",
            get().to(receipts::refund),
        ))
        .service(resource(
            "/customers/{id}/wallet/movements",
            get().to(wallet::movements),
        ))
        .service(resource(
            "/customers/{id}/prepaid",
            get().to(wallet::prepaid),
        ))
        .service(
            web::resource("/customers")
                .route(get().to(customer_records::list))
                .route(post().to(customer_records::create))
                .default_service(web::to(refuse)),
        )
        .service(
            web::resource("/customers/{id}")
                .route(get().to(customer_records::read))
                .route(post().to(customer_records::update))
                .default_service(web::to(refuse)),
        )
        .service(resource(methods, get().to(customers::methods)))
        .service(resource(method, delete().to(customers::delete_method)))
        .default_service(web::to(unknown_route));
}

/// A route whose other methods answer a 405 problem rather than an empty body.
fn resource(path: &str, route: Route) -> Resource {
    web::resource(path)
        .route(route)
        .default_service(web::to(refuse))
}

async fn refuse() -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed)
}

async fn unknown_route() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(
        "the Voucherly sandbox has no such route".into(),
    ))
}

/// The query's values for `name`, compared case-insensitively (openapi.yaml writes `All` and
/// `Include` for the gateways, `include` for payments), repeated or comma-separated.
fn query_values(query: &str, name: &str) -> Result<Vec<String>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|error| {
        ApiError::validation("query", format!("the query is not valid: {error}"))
    })?;
    Ok(pairs
        .into_iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case(name))
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
    fn query_values_may_repeat_or_be_comma_separated() -> Result<(), ApiError> {
        let found = query_values(
            "include=Lines&all=true&Include=discounts,Transactions",
            "include",
        )?;
        assert_eq!(found, ["lines", "discounts", "transactions"]);
        assert!(query_values("", "include")?.is_empty());
        Ok(())
    }
}
