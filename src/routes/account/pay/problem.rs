//! The pages a shopper sees when a payment cannot start: what happened, that nothing was
//! charged, and the way back to the account.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::voucherly::VoucherlyError;
use crate::web::{PageContext, PageError, render};

#[derive(Template)]
#[template(path = "account/pay_problem.html")]
struct ProblemPage {
    page: PageContext,
    title: &'static str,
    message: &'static str,
}

/// A page saying what went wrong (`title`, `message`) with `status`, and the way back.
pub(in crate::routes::account) fn problem_page(
    req: &HttpRequest,
    status: StatusCode,
    title: impl FnOnce(&PageContext) -> (&'static str, &'static str),
) -> Result<HttpResponse, PageError> {
    let page = PageContext::new(req)?;
    let (title, message) = title(&page);
    let mut response = render(&ProblemPage {
        page,
        title,
        message,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// Voucherly could not start the payment: 503 when it is down or slow, 502 when it answered
/// something we cannot use.
pub fn start_failed(
    req: &HttpRequest,
    error: Option<&VoucherlyError>,
) -> Result<HttpResponse, PageError> {
    let status = match error {
        None | Some(VoucherlyError::Unavailable(_)) => StatusCode::SERVICE_UNAVAILABLE,
        Some(error) if error.is_configuration_problem() => {
            return problem_page(req, StatusCode::SERVICE_UNAVAILABLE, |page| {
                (page.t.pay_failed_title, page.t.payments_not_available)
            });
        }
        Some(_) => StatusCode::BAD_GATEWAY,
    };
    problem_page(req, status, |page| {
        (page.t.pay_failed_title, page.t.pay_failed_text)
    })
}

/// The chosen method is not one of the shopper's usable methods.
pub fn method_refused(req: &HttpRequest) -> Result<HttpResponse, PageError> {
    problem_page(req, StatusCode::BAD_REQUEST, |page| {
        (page.t.pay_refused_title, page.t.pay_method_refused)
    })
}

/// The store cancelled the order: it can no longer be paid.
pub fn order_cancelled(req: &HttpRequest) -> Result<HttpResponse, PageError> {
    problem_page(req, StatusCode::CONFLICT, |page| {
        (page.t.pay_cancelled_title, page.t.pay_cancelled_text)
    })
}
