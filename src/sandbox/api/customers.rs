//! `v1/customers/{customerId}/payment_methods`: list and delete a customer's saved methods.

use actix_web::{HttpResponse, web};

use super::super::Sandbox;
use super::super::error::{ApiError, customer_not_found};
use super::super::store;
use crate::voucherly::types::Items;

#[tracing::instrument(name = "sandbox: list payment methods", skip(sandbox))]
pub async fn methods(
    sandbox: web::Data<Sandbox>,
    customer_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let customer_id = customer_id.into_inner();
    let lookup = customer_id.clone();
    let items = sandbox
        .db
        .run(move |conn| match store::customer(conn, &lookup)? {
            Some(customer) => store::methods(conn, &customer.id).map(Some),
            None => Ok(None),
        })
        .await?
        .ok_or_else(|| customer_not_found(&customer_id))?;
    Ok(HttpResponse::Ok().json(Items { items }))
}

/// Removes a saved method: 204 when done, 404 when the customer has no such method.
#[tracing::instrument(name = "sandbox: delete payment method", skip(sandbox))]
pub async fn delete_method(
    sandbox: web::Data<Sandbox>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (customer_id, id) = path.into_inner();
    let (customer, method) = (customer_id.clone(), id.clone());
    let deleted = sandbox
        .db
        .run(move |conn| store::delete_method(conn, &customer, &method))
        .await?;
    if !deleted {
        return Err(ApiError::NotFound(format!(
            "customer {customer_id} has no payment method {id}"
        )));
    }
    tracing::info!(%customer_id, method_id = %id, "sandbox payment method deleted");
    Ok(HttpResponse::NoContent().finish())
}
