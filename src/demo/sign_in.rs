//! `POST /demo/sign-in`: on the embedded sandbox, signs in one of the demo shoppers.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::STORE_USER_ID_PREFIX;
use crate::session::ShopperSession;
use crate::state::AppState;
use crate::web::limits::{self, Limiter};
use crate::web::{PageError, see_other};

#[derive(Deserialize)]
pub struct SignInForm {
    csrf_token: String,
    store_user_id: String,
}

#[tracing::instrument(name = "demo sign-in", skip_all, fields(store_user_id = %form.store_user_id))]
pub async fn sign_in(
    req: HttpRequest,
    session: ShopperSession,
    state: web::Data<AppState>,
    limiter: web::Data<Limiter>,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, PageError> {
    session.check_csrf(&form.csrf_token)?;
    let bucket = limiter.per_client(&req, "demo-sign-in");
    limiter.enforce(bucket, limits::DEMO_SIGN_INS).await?;
    if !form.store_user_id.starts_with(STORE_USER_ID_PREFIX) {
        return Err(PageError::BadRequest("not a demo shopper".into()));
    }
    let shopper = state
        .storage
        .shopper_by_store_user_id(&form.store_user_id)
        .await?
        .ok_or_else(|| PageError::BadRequest("no such demo shopper".into()))?;
    session.sign_in(shopper.id)?;
    Ok(see_other("/account"))
}
