//! `POST /account/payment-methods/{method_id}/prefer`: the shopper marks one of their usable
//! saved methods as preferred. The app keeps the choice (Voucherly has no such notion); the
//! profile then lists it first and every pay form preselects it.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::app::saved_methods::{Preferred, SavedMethods};
use crate::session::SignedIn;
use crate::web::{PageError, see_other};

#[derive(Deserialize)]
pub struct PreferForm {
    csrf_token: String,
}

/// The form's action for the method `id`, its path segment percent-encoded.
pub fn prefer_path(id: &str) -> String {
    super::method_path(id, "prefer")
}

#[tracing::instrument(
    name = "prefer method",
    skip_all,
    fields(shopper_id = signed_in.shopper_id, method_id = %method_id)
)]
pub async fn prefer(
    signed_in: SignedIn,
    saved_methods: web::Data<SavedMethods>,
    method_id: web::Path<String>,
    form: web::Form<PreferForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.session.check_csrf(&form.csrf_token)?;
    // Only a method Voucherly lists as this shopper's, and usable today, can be preferred.
    match saved_methods
        .prefer(signed_in.shopper_id, &method_id)
        .await?
    {
        Preferred::Saved => Ok(see_other(
            "/account?notice=preference_saved#methods-heading",
        )),
        Preferred::NotTheirs => Err(PageError::NotFound),
        Preferred::NotChecked => Ok(see_other(
            "/account?notice=preference_not_saved#methods-heading",
        )),
    }
}
