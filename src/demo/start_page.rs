//! `GET /` in demo mode: the demo shoppers, each with a button that signs in as them (served in
//! place of the core's start page, which tells shoppers to come from the store).

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::session::ShopperSession;
use crate::state::AppState;
use crate::web::{PageContext, PageError, render, see_other};

#[derive(Deserialize)]
pub struct StartQuery {
    signed_out: Option<String>,
}

struct DemoShopperView {
    store_user_id: String,
    name: String,
    email: String,
    is_customer: bool,
}

#[derive(Template)]
#[template(path = "demo/start.html")]
struct StartPage {
    page: PageContext,
    signed_out: bool,
    shoppers: Vec<DemoShopperView>,
}

pub async fn show(
    req: HttpRequest,
    session: ShopperSession,
    state: web::Data<AppState>,
    query: web::Query<StartQuery>,
) -> Result<HttpResponse, PageError> {
    if session.shopper_id().is_some() {
        return Ok(see_other("/account"));
    }
    let shoppers = super::list(state.storage.as_ref(), state.environment)
        .await?
        .into_iter()
        .map(|(shopper, is_customer)| DemoShopperView {
            name: format!("{} {}", shopper.first_name, shopper.last_name),
            store_user_id: shopper.store_user_id,
            email: shopper.email,
            is_customer,
        })
        .collect();
    render(&StartPage {
        page: PageContext::new(&req)?,
        signed_out: query.signed_out.is_some(),
        shoppers,
    })
}
