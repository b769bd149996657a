//! `GET /`: the start page. A signed-in shopper goes to their account; anyone else is told to
//! come from the store. (In demo mode, [`crate`]'s start-up wiring serves the demo's own start
//! page here instead, listing its demo shoppers.)

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::session::ShopperSession;
use crate::web::{PageContext, PageError, render, see_other};

#[derive(Deserialize)]
pub struct HomeQuery {
    signed_out: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageContext,
    signed_out: bool,
}

pub async fn show(
    req: HttpRequest,
    session: ShopperSession,
    query: web::Query<HomeQuery>,
) -> Result<HttpResponse, PageError> {
    if session.shopper_id().is_some() {
        return Ok(see_other("/account"));
    }
    render(&HomePage {
        page: PageContext::new(&req)?,
        signed_out: query.signed_out.is_some(),
    })
}
