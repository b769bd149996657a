//! `POST /account/orders/{order_id}/pay`: pays one of the shopper's orders through Voucherly.
//! The handler checks the form and the rate limit, asks the payments service to start the
//! payment (`app::payments::start`), and sends the shopper where it leads.

pub(super) mod problem;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::app::payments::{Payments, StartForm, Started};
use crate::app::saved_methods::SavedMethods;
use crate::i18n::Lang;
use crate::session::SignedIn;
use crate::web::limits::{self, Limiter};
use crate::web::{PageError, see_other};

/// Where a shopper is sent when the order needs nothing more.
pub const ALREADY_PAID: &str = "/account?notice=already_paid";

/// The form. Any other field (an amount, say) is ignored.
#[derive(Deserialize)]
pub struct PayForm {
    csrf_token: String,
    idempotency_key: String,
    /// A saved method's id; empty or `checkout` to choose at Voucherly's checkout.
    #[serde(default)]
    method_id: String,
}

#[tracing::instrument(
    name = "pay",
    skip_all,
    fields(shopper_id = signed_in.shopper_id, order_id = *order_id, reference)
)]
pub async fn pay(
    req: HttpRequest,
    signed_in: SignedIn,
    limiter: web::Data<Limiter>,
    payments: web::Data<Payments>,
    saved_methods: web::Data<SavedMethods>,
    order_id: web::Path<i64>,
    form: web::Form<PayForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.session.check_csrf(&form.csrf_token)?;
    let bucket = format!("pay:{}", signed_in.shopper_id);
    limiter.enforce(bucket, limits::PAYMENTS).await?;
    let shopper_id = signed_in.shopper_id;
    let start = StartForm {
        shopper_id,
        order_id: *order_id,
        idempotency_key: idempotency_key(&form.idempotency_key)?,
        method_id: &form.method_id,
        language: Lang::of(&req).code(),
    };
    match payments.start(start, saved_methods.get_ref()).await? {
        Started::Checkout { url, new } => {
            if new {
                // The shopper may save a method at the checkout.
                saved_methods.forget(shopper_id).await;
            }
            Ok(see_other(&url))
        }
        Started::AlreadyPaid => Ok(see_other(ALREADY_PAID)),
        Started::Cancelled => problem::order_cancelled(&req),
        Started::Over => Ok(see_other("/account")),
        Started::NoSuchOrder => Err(PageError::NotFound),
        Started::NoSuchShopper => {
            signed_in.session.sign_out();
            Err(PageError::NotSignedIn)
        }
        Started::KeyOfAnotherOrder => Err(PageError::BadRequest(
            "this form's key belongs to another order".into(),
        )),
        Started::MethodRefused => problem::method_refused(&req),
        Started::StartFailed(error) => problem::start_failed(&req, error.as_ref()),
    }
}

/// 32 to 64 hex digits, as the profile page writes it.
fn idempotency_key(text: &str) -> Result<String, PageError> {
    let text = text.trim();
    if (32..=64).contains(&text.len()) && text.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(PageError::BadRequest("malformed idempotency key".into()))
    }
}
