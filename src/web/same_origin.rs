//! Browsers say where a form came from (`Sec-Fetch-Site`, `Origin`): a state-changing request
//! from another site is refused before any handler runs, on top of the CSRF token. Requests
//! without these headers (servers, old browsers) still need the token.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

use super::Site;

/// Server-to-server endpoints, authenticated otherwise (bearer key, read-back from Voucherly).
const EXEMPT: &[&str] = &["/api/", "/payments/callback", "/sandbox/api/"];

pub async fn same_origin_posts<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || EXEMPT.iter().any(|p| req.path().starts_with(p)) || !is_cross_site(&req) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    tracing::info!(path = req.path(), "a request from another site was refused");
    Ok(req
        .into_response(HttpResponse::Forbidden().finish())
        .map_into_right_body())
}

fn is_cross_site(req: &ServiceRequest) -> bool {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or_default().to_ascii_lowercase())
    };
    if let Some(site) = header("sec-fetch-site")
        && site != "same-origin"
        && site != "none"
    {
        return true;
    }
    let Some(origin) = header("origin") else {
        return false;
    };
    let public = req
        .app_data::<web::Data<Site>>()
        .map(|site| site.public_url.to_ascii_lowercase());
    let info = req.connection_info();
    let own = format!("{}://{}", info.scheme(), info.host()).to_ascii_lowercase();
    Some(&origin) != public.as_ref() && origin != own
}
