//! The middleware that counts and times every request by its matched route.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let outcome = next.call(req).await;
    let (status, route) = match &outcome {
        Ok(response) => (
            response.status().as_u16(),
            response.request().match_pattern(),
        ),
        Err(error) => (error.as_response_error().status_code().as_u16(), None),
    };
    let route = route.unwrap_or_else(|| "unmatched".to_owned());
    super::record_request(&method, &route, status, started.elapsed());
    outcome
}
