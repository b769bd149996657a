//! `/account/payment-methods/{method_id}/remove`: a shopper removes one of their saved methods.
//! `GET` shows the method and asks for confirmation; `POST` (with the CSRF token) removes it at
//! Voucherly. Either way the id must be one of the shopper's own methods as Voucherly lists
//! them: Voucherly is never asked to delete anybody else's.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::methods::{self, MethodView};
use crate::session::SignedIn;
use crate::state::AppState;
use crate::storage::preferences;
use crate::voucherly::VoucherlyError;
use crate::web::{PageContext, PageError, render, see_other};

/// Where a shopper is sent once the method is gone.
pub const METHOD_REMOVED: &str = "/account?notice=method_removed";
/// …and once it is gone and another method is preferred in its place.
const REMOVED_AND_PREFERRED: &str = "/account?notice=method_removed_preferred";

/// The confirmation page of the method `id`, its path segment percent-encoded.
pub fn confirm_path(id: &str) -> String {
    let mut url = reqwest::Url::parse("http://localhost/account/payment-methods")
        .expect("a constant, valid URL");
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.push(id).push("remove");
    }
    url.path().to_owned()
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

/// Why the method cannot be looked at or removed.
enum Refusal {
    /// The customer has no saved method with this id.
    NotTheirs,
    /// Voucherly could not list the shopper's methods.
    Voucherly(VoucherlyError),
}

#[tracing::instrument(
    name = "remove method: confirm",
    skip_all,
    fields(shopper_id = signed_in.shopper_id, method_id = %method_id)
)]
pub async fn confirm(
    req: HttpRequest,
    signed_in: SignedIn,
    state: web::Data<AppState>,
    method_id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let shopper_id = signed_in.shopper_id;
    let Some(customer_id) = state
        .storage
        .customer_id(shopper_id, state.environment)
        .await?
    else {
        return Err(PageError::NotFound);
    };
    let page = PageContext::new(&req)?;
    let preferred = preferences::preferred(&state.db, shopper_id, state.environment).await?;
    match their_method(&state, &customer_id, &method_id, &page).await {
        Ok((method, others)) => render(&ConfirmPage {
            action: confirm_path(&method.id),
            alternatives: (preferred.as_deref() == Some(method.id.as_str())).then(|| {
                others
                    .iter()
                    .filter(|other| !other.expired)
                    .map(|other| (other.id.clone(), other.spoken_name(page.t)))
                    .collect()
            }),
            page,
            method,
        }),
        Err(Refusal::NotTheirs) => Err(PageError::NotFound),
        Err(Refusal::Voucherly(error)) => {
            log(&error, "could not list saved methods to confirm a removal");
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
    state: web::Data<AppState>,
    method_id: web::Path<String>,
    form: web::Form<RemoveForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.session.check_csrf(&form.csrf_token)?;
    let shopper_id = signed_in.shopper_id;
    let Some(customer_id) = state
        .storage
        .customer_id(shopper_id, state.environment)
        .await?
    else {
        return Err(PageError::NotFound);
    };
    let page = PageContext::new(&req)?;
    let (title, message) = (page.t.remove_failed_title, page.t.remove_failed_text);
    let (method, others) = match their_method(&state, &customer_id, &method_id, &page).await {
        Ok(found) => found,
        Err(Refusal::NotTheirs) => return Err(PageError::NotFound),
        Err(Refusal::Voucherly(error)) => {
            log(&error, "could not list saved methods to check a removal");
            return failed(page, &error, title, message);
        }
    };
    // Whatever Voucherly answers (a 2xx with a junk body, a 404, a timeout), only the list
    // tells the truth: the method is removed when it is no longer listed.
    let deleted = state
        .voucherly
        .delete_payment_method(&customer_id, &method.id)
        .await;
    let error = match deleted {
        Ok(()) => {
            VoucherlyError::UnexpectedAnswer("removal answered 2xx, method still listed".into())
        }
        Err(error) => {
            log(
                &error,
                "Voucherly's answer to a removal is unclear: reading the list again",
            );
            error
        }
    };
    match still_saved(&state, &customer_id, &method.id).await {
        Ok(false) => tracing::info!("saved payment method removed"),
        Ok(true) => {
            log(&error, "the method is still saved after its removal");
            state.saved_methods.forget(shopper_id);
            return failed(page, &error, title, message);
        }
        Err(reread) => {
            log(&reread, "could not read the list again after a removal");
            state.saved_methods.forget(shopper_id);
            let unsure = page.t.remove_unsure_text;
            return failed(page, &reread, title, unsure);
        }
    }
    state.saved_methods.forget(shopper_id);
    preferences::forget(&state.db, shopper_id, state.environment, method.id).await?;
    // Only another of the shopper's usable methods, as Voucherly listed them, takes its place.
    let instead = form.new_preferred.as_deref().filter(|id| !id.is_empty());
    match instead.and_then(|id| others.into_iter().find(|o| o.id == id && !o.expired)) {
        Some(other) => {
            preferences::prefer(&state.db, shopper_id, state.environment, other.id).await?;
            tracing::info!("another method preferred in place of the one removed");
            Ok(see_other(REMOVED_AND_PREFERRED))
        }
        None => Ok(see_other(METHOD_REMOVED)),
    }
}

/// The customer's saved method `method_id`, as the profile describes it, expired cards included,
/// and their other saved methods.
async fn their_method(
    state: &AppState,
    customer_id: &str,
    method_id: &str,
    page: &PageContext,
) -> Result<(MethodView, Vec<MethodView>), Refusal> {
    let (listed, names) = tokio::join!(
        state.voucherly.list_payment_methods(customer_id),
        state.gateway_names.get(&state.voucherly)
    );
    let listed = match listed {
        Ok(listed) => listed,
        // Voucherly does not know the customer: nothing of theirs is saved there.
        Err(VoucherlyError::NotFound) => return Err(Refusal::NotTheirs),
        Err(error) => return Err(Refusal::Voucherly(error)),
    };
    let (mut chosen, others): (Vec<_>, Vec<_>) = methods::views(&listed, &names, page.t)
        .into_iter()
        .partition(|method| method.id == method_id);
    chosen
        .pop()
        .map(|method| (method, others))
        .ok_or(Refusal::NotTheirs)
}

/// Whether Voucherly still lists the method among the customer's saved ones.
async fn still_saved(
    state: &AppState,
    customer_id: &str,
    method_id: &str,
) -> Result<bool, VoucherlyError> {
    match state.voucherly.list_payment_methods(customer_id).await {
        Ok(listed) => Ok(listed.iter().any(|method| method.id == method_id)),
        Err(VoucherlyError::NotFound) => Ok(false),
        Err(error) => Err(error),
    }
}

/// A refused API key needs an operator; anything else may pass.
fn log(error: &VoucherlyError, what: &str) {
    if error.is_configuration_problem() {
        tracing::error!(%error, "Voucherly refused the API key");
    } else {
        tracing::warn!(%error, "{what}");
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
