//! `GET /`: the start page. A signed-in shopper goes to their account; otherwise demo mode
//! offers its demo shoppers, and a real deployment says to come from the store.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::session::ShopperSession;
use crate::state::AppState;
use crate::web::{PageContext, PageError, render, see_other};

#[derive(Deserialize)]
pub struct HomeQuery {
    signed_out: Option<String>,
}

pub struct DemoShopperView {
    store_user_id: String,
    name: String,
    email: String,
    is_customer: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageContext,
    signed_out: bool,
    demo: bool,
    demo_shoppers: Vec<DemoShopperView>,
}

pub async fn show(
    req: HttpRequest,
    session: ShopperSession,
    state: web::Data<AppState>,
    query: web::Query<HomeQuery>,
) -> Result<HttpResponse, PageError> {
    if session.shopper_id().is_some() {
        return Ok(see_other("/account"));
    }
    let demo_shoppers = if state.demo {
        crate::demo::list(&state.db, state.environment)
            .await?
            .into_iter()
            .map(|(shopper, is_customer)| DemoShopperView {
                name: format!("{} {}", shopper.first_name, shopper.last_name),
                store_user_id: shopper.store_user_id,
                email: shopper.email,
                is_customer,
            })
            .collect()
    } else {
        Vec::new()
    };
    render(&HomePage {
        page: PageContext::new(&req)?,
        signed_out: query.signed_out.is_some(),
        demo: state.demo,
        demo_shoppers,
    })
}
