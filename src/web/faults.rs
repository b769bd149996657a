//! Failures outside a handler (the session layer reading or writing the database) become the
//! same page as a handler's: an error response with a reference id, logged once with its cause,
//! and a 503 with `Retry-After` when the database is busy or cannot be written.
//!
//! Two layers, because the session layer sits between them: `catch_faults` outside it turns an
//! error of the session layer into a response, using the request that `mark_request` inside
//! it kept once routing was done (a request must not be shared before routing); and
//! `mark_request` answers at once when the session could not be read. `mark_request` is also
//! the layer that waits for a write to reach the caches (`caught_up`).

use std::cell::RefCell;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::RETRY_AFTER;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};

use super::errors::{ErrorReference, new_reference};
use super::lang::ChosenLang;
use crate::session::ShopperSession;
use crate::storage::fault::{self, Fault};

tokio::task_local! {
    static ANSWERED: RefCell<Option<HttpRequest>>;
}

/// Outside the session layer.
pub async fn catch_faults<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let ((outcome, fault), request) = ANSWERED
        .scope(RefCell::new(None), async {
            let outcome = fault::watch(next.call(req)).await;
            (
                outcome,
                ANSWERED.with(|answered| answered.borrow_mut().take()),
            )
        })
        .await;
    let error = match outcome {
        Ok(res) => return Ok(res.map_into_left_body()),
        Err(error) => error,
    };
    let Some(request) = request else {
        return Err(error);
    };
    let status = error.as_response_error().status_code();
    if status.is_client_error() {
        return Ok(ServiceResponse::new(request, error.error_response()).map_into_right_body());
    }
    let reference = new_reference();
    tracing::error!(reference, fault = ?fault, error = %format!("{error:#}"), "request failed");
    Ok(ServiceResponse::new(request, fault_response(fault, reference)).map_into_right_body())
}

/// Inside the session layer: answers at once when the session could not be read, notes the
/// chosen language for the error pages further out, and keeps the answered request for
/// `catch_faults`.
pub async fn mark_request<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    if let Some((fault, cause)) = ShopperSession::of(req.request()).unreadable() {
        let reference = new_reference();
        tracing::error!(reference, fault = ?fault, error = cause, "the session could not be read");
        return Ok(req
            .into_response(fault_response(fault, reference))
            .map_into_right_body());
    }
    if let Some(lang) = ShopperSession::of(req.request()).lang() {
        req.extensions_mut().insert(ChosenLang(lang));
    }
    let res = super::caught_up::answer_caught_up(req, next).await?;
    let _ = ANSWERED.try_with(|answered| *answered.borrow_mut() = Some(res.request().clone()));
    Ok(res.map_into_left_body())
}

/// The bodiless answer to a failure, rendered into a page further out.
pub fn fault_response(fault: Option<Fault>, reference: String) -> HttpResponse {
    let mut response = match fault {
        Some(fault) => HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
            .insert_header((RETRY_AFTER, fault.retry_after().to_string()))
            .finish(),
        None => HttpResponse::InternalServerError().finish(),
    };
    response.extensions_mut().insert(ErrorReference(reference));
    response
}
