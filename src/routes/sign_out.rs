//! `POST /sign-out`: ends the session on the server and in the browser.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::session::ShopperSession;
use crate::web::{PageError, see_other};

#[derive(Deserialize)]
pub struct SignOutForm {
    csrf_token: String,
}

pub async fn sign_out(
    session: ShopperSession,
    form: web::Form<SignOutForm>,
) -> Result<HttpResponse, PageError> {
    session.check_csrf(&form.csrf_token)?;
    session.sign_out();
    Ok(see_other("/?signed_out=1"))
}
