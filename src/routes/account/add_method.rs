//! "Add a card or meal voucher": `POST /account/payment-methods/add` starts a Voucherly checkout
//! that only saves a method, and `GET /account/payment-methods/added/{reference}` is where
//! Voucherly sends the shopper back, to the profile with a notice saying which method was added,
//! or that none was. The use case is [`SavedMethods::begin_adding`] (behind the CSRF check); the
//! shopper's Voucherly customer, created on the first use, comes from the payments' helper.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::pay::problem;
use crate::app::payments::Payments;
use crate::app::payments::customer::CustomerOf;
use crate::app::saved_methods::{Added, Adding, SavedMethods};
use crate::i18n::Lang;
use crate::session::SignedIn;

use crate::web::{PageError, see_other};

pub const PATH: &str = "/account/payment-methods/add";

#[derive(Deserialize)]
pub struct AddForm {
    csrf_token: String,
    idempotency_key: String,
}

#[tracing::instrument(name = "add method", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn start(
    req: HttpRequest,
    signed_in: SignedIn,
    saved_methods: web::Data<SavedMethods>,
    payments: web::Data<Payments>,
    form: web::Form<AddForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.session.check_csrf(&form.csrf_token)?;
    let key = form.idempotency_key.trim().to_ascii_lowercase();
    if !(32..=64).contains(&key.len()) || !key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(PageError::BadRequest("malformed idempotency key".into()));
    }
    let shopper_id = signed_in.shopper_id;
    let customer_id = match payments.customer_of(shopper_id).await? {
        CustomerOf::Id(id) => id,
        CustomerOf::NoSuchShopper => {
            signed_in.session.sign_out();
            return Err(PageError::NotSignedIn);
        }
        CustomerOf::Failed(error) => return problem::start_failed(&req, error.as_ref()),
    };
    let language = Lang::of(&req).code();
    match saved_methods
        .begin_adding(shopper_id, customer_id, key, language)
        .await?
    {
        Adding::Checkout(url) => Ok(see_other(&url)),
        Adding::Failed(error) => problem::start_failed(&req, error.as_ref()),
    }
}

/// Back from Voucherly: the methods listed afresh, and the new one named on the profile.
#[tracing::instrument(name = "method added", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn back(
    signed_in: SignedIn,
    saved_methods: web::Data<SavedMethods>,
    reference: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let added = saved_methods
        .added(signed_in.shopper_id, &reference)
        .await?;
    match added.ok_or(PageError::NotFound)? {
        Added::Method(id) => {
            let query = serde_urlencoded::to_string([("added", id.as_str())])
                .map_err(anyhow::Error::from)?;
            Ok(see_other(&format!("/account?{query}#methods-heading")))
        }
        Added::NotAdded => Ok(see_other(
            "/account?notice=method_not_added#methods-heading",
        )),
        Added::Unknown => Ok(see_other(
            "/account?notice=method_added_unknown#methods-heading",
        )),
    }
}
