//! `POST /account/payment-methods/{method_id}/prefer`: the shopper marks one of their usable
//! saved methods as preferred. The app keeps the choice (Voucherly has no such notion); the
//! profile then lists it first and every pay form preselects it.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::pay::choice::{Refusal, chosen_method};
use crate::session::SignedIn;
use crate::state::AppState;
use crate::storage::preferences;
use crate::web::{PageError, see_other};

#[derive(Deserialize)]
pub struct PreferForm {
    csrf_token: String,
}

/// The form's action for the method `id`, its path segment percent-encoded.
pub fn prefer_path(id: &str) -> String {
    let mut url = reqwest::Url::parse("http://localhost/account/payment-methods")
        .expect("a constant, valid URL");
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.push(id).push("prefer");
    }
    url.path().to_owned()
}

#[tracing::instrument(
    name = "prefer method",
    skip_all,
    fields(shopper_id = signed_in.shopper_id, method_id = %method_id)
)]
pub async fn prefer(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    method_id: web::Path<String>,
    form: web::Form<PreferForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.session.check_csrf(&form.csrf_token)?;
    let shopper_id = signed_in.shopper_id;
    let customer_id = state
        .storage
        .customer_id(shopper_id, state.environment)
        .await?;
    // Only a method Voucherly lists as this shopper's, and usable today, can be preferred.
    let method = match chosen_method(&state, customer_id.as_deref(), &method_id).await {
        Ok(Some(method)) => method,
        Ok(None) | Err(Refusal::NotTheirs) => return Err(PageError::NotFound),
        Err(Refusal::Voucherly(error)) => {
            tracing::warn!(%error, "could not list saved methods to check a preference");
            return Ok(see_other(
                "/account?notice=preference_not_saved#methods-heading",
            ));
        }
    };
    preferences::prefer(&state.db, shopper_id, state.environment, method.id).await?;
    tracing::info!("preferred payment method set");
    Ok(see_other(
        "/account?notice=preference_saved#methods-heading",
    ))
}
