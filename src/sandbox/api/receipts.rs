//! `v1/payments/{id}/receipt` and `v1/payments/{id}/refund_receipt` (openapi.yaml tag
//! `receipt`): the fiscal receipt of a sale or of its refund as `application/pdf`, or a 404
//! problem when the payment has none (yet) or does not exist.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION};
use actix_web::{HttpResponse, web};
use time::OffsetDateTime;

use super::super::error::{ApiError, payment_not_found};
use super::super::receipt::{self, Kind};
use super::super::{Sandbox, store};

#[tracing::instrument(name = "sandbox: sale receipt", skip(sandbox))]
pub async fn sale(
    sandbox: web::Data<Sandbox>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    answer(&sandbox, id.into_inner(), Kind::Sale).await
}

#[tracing::instrument(name = "sandbox: refund receipt", skip(sandbox))]
pub async fn refund(
    sandbox: web::Data<Sandbox>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    answer(&sandbox, id.into_inner(), Kind::Refund).await
}

async fn answer(sandbox: &Sandbox, id: String, kind: Kind) -> Result<HttpResponse, ApiError> {
    let lookup = id.clone();
    let found = sandbox
        .db
        .run(move |conn| {
            let Some(stored) = store::payments::current(conn, &lookup)? else {
                return Ok(None);
            };
            let dates = store::receipts::dates(conn, &lookup)?.unwrap_or_default();
            Ok(Some((stored.payment, store::gateways(conn)?, dates)))
        })
        .await?;
    let Some((payment, gateways, (created, updated))) = found else {
        return Err(payment_not_found(&id));
    };
    if !kind.issued_for(&payment) {
        return Err(ApiError::NotFound(format!(
            "Payment {id} has no {} receipt yet.",
            match kind {
                Kind::Sale => "sale",
                Kind::Refund => "refund",
            }
        )));
    }
    let at = match kind {
        Kind::Sale => created,
        Kind::Refund => updated,
    };
    let at = OffsetDateTime::from_unix_timestamp(at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let body = receipt::pdf(kind, &payment, &gateways, at);
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            CONTENT_DISPOSITION,
            format!("inline; filename=\"{}\"", kind.file_name(&payment)),
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body))
}
