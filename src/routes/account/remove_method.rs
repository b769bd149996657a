//! `/account/payment-methods/{method_id}/remove`: a shopper removes one of their saved methods.
//! `GET` shows the method and asks for confirmation; `POST` (with the CSRF token) removes it at
//! Voucherly. Either way the id must be one of the shopper's own methods as Voucherly lists
//! them: Voucherly is never asked to delete anybody else's.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::methods::{self, MethodView};
use crate::app::saved_methods::{Removed, SavedMethods, ToRemove};
use crate::session::SignedIn;
use crate::voucherly::VoucherlyError;
use crate::web::{PageContext, PageError, render, see_other};

/// Where a shopper is sent once the method is gone.
pub const METHOD_REMOVED: &str = "/account?notice=method_removed";
/// …and once it is gone and another method is preferred in its place.
const REMOVED_AND_PREFERRED: &str = "/account?notice=method_removed_preferred";

/// The confirmation page of the method `id`, its path segment percent-encoded.
pub fn confirm_path(id: &str) -> String {
    super::method_path(id, "remove")
}

#[derive(Template)]
#[template(path = "account/remove_method.html")]
struct ConfirmPage {
    page: PageContext,
    method: MethodView,
    action: String,
    /// Set when the method is the preferred one: the others that could be preferred instead,
    /// as (id, the method in words).
    alternatives: Option<Vec<(String, String)>>,
}

#[derive(Template)]
#[template(path = "account/remove_method_failed.html")]
struct FailedPage {
    page: PageContext,
    title: &'static str,
    message: &'static str,
}

#[derive(Deserialize)]
pub struct RemoveForm {
    csrf_token: String,
    /// The method to prefer instead of the preferred one removed; empty or absent: none.
    #[serde(default)]
    new_preferred: Option<String>,
}

#[tracing::instrument(
    name = "remove method: confirm",
    skip_all,
    fields(shopper_id = signed_in.shopper_id, method_id = %method_id)
)]
pub async fn confirm(
    req: HttpRequest,
    signed_in: SignedIn,
    saved_methods: web::Data<SavedMethods>,
    method_id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let found = saved_methods.to_remove(signed_in.shopper_id, &method_id);
    let found = found.await?;
    let page = PageContext::new(&req)?;
    match found {
        ToRemove::Found {
            method,
            others,
            preferred,
        } => {
            let method = methods::view(method, page.t);
            render(&ConfirmPage {
                action: confirm_path(&method.id),
                alternatives: preferred.then(|| {
                    methods::views(others.all(), page.t)
                        .iter()
                        .filter(|other| !other.expired)
                        .map(|other| (other.id.clone(), other.spoken_name(page.t).to_string()))
                        .collect()
                }),
                page,
                method,
            })
        }
        ToRemove::NotTheirs => Err(PageError::NotFound),
        ToRemove::Unavailable(error) => {
            let message = if error.is_configuration_problem() {
                page.t.voucherly_misconfigured
            } else {
                page.t.voucherly_unavailable
            };
            let title = page.t.remove_title;
            failed(page, &error, title, message)
        }
    }
}

#[tracing::instrument(
    name = "remove method",
    skip_all,
    fields(shopper_id = signed_in.shopper_id, method_id = %method_id)
)]
pub async fn remove(
    req: HttpRequest,
    signed_in: SignedIn,
    saved_methods: web::Data<SavedMethods>,
    method_id: web::Path<String>,
    form: web::Form<RemoveForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.session.check_csrf(&form.csrf_token)?;
    let instead = form.new_preferred.as_deref();
    let removed = saved_methods.remove(signed_in.shopper_id, &method_id, instead);
    let removed = removed.await?;
    let page = PageContext::new(&req)?;
    let (title, message) = (page.t.remove_failed_title, page.t.remove_failed_text);
    match removed {
        Removed::Removed => Ok(see_other(METHOD_REMOVED)),
        Removed::RemovedAndPreferred => Ok(see_other(REMOVED_AND_PREFERRED)),
        Removed::NotTheirs => Err(PageError::NotFound),
        Removed::NotChecked(error) | Removed::StillSaved(error) => {
            failed(page, &error, title, message)
        }
        Removed::Unsure(error) => {
            let unsure = page.t.remove_unsure_text;
            failed(page, &error, title, unsure)
        }
    }
}

/// The page saying nothing was removed: 503 when Voucherly is down or slow, 502 otherwise.
fn failed(
    page: PageContext,
    error: &VoucherlyError,
    title: &'static str,
    message: &'static str,
) -> Result<HttpResponse, PageError> {
    let status = match error {
        VoucherlyError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_GATEWAY,
    };
    let mut response = render(&FailedPage {
        page,
        title,
        message,
    })?;
    *response.status_mut() = status;
    Ok(response)
}
