//! `GET /account`: the shopper's profile and the payment methods they saved at Voucherly.
//! When Voucherly cannot answer, the page still renders, with a notice in place of the list.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::methods::{self, MethodsView};
use crate::session::SignedIn;
use crate::state::AppState;
use crate::storage::shoppers::{self, Shopper};
use crate::voucherly::VoucherlyError;
use crate::web::{PageContext, PageError, render};

#[derive(Template)]
#[template(path = "account/profile.html")]
struct ProfilePage {
    page: PageContext,
    shopper: Shopper,
    methods: MethodsView,
}

#[tracing::instrument(name = "profile", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn show(
    req: HttpRequest,
    signed_in: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let Some(shopper) = shoppers::find(&state.db, signed_in.shopper_id).await? else {
        // The shopper was removed since signing in.
        signed_in.session.sign_out();
        return Err(PageError::NotSignedIn);
    };
    let page = PageContext::new(&req)?;
    let methods = saved_methods(&state, shopper.id, page.t).await?;
    render(&ProfilePage {
        page,
        shopper,
        methods,
    })
}

async fn saved_methods(
    state: &AppState,
    shopper_id: i64,
    t: &'static crate::i18n::Texts,
) -> Result<MethodsView, PageError> {
    let Some(customer_id) = shoppers::customer_id(&state.db, shopper_id, state.environment).await?
    else {
        return Ok(MethodsView::NoCustomer);
    };
    let (listed, names) = tokio::join!(
        state.voucherly.list_payment_methods(&customer_id),
        state.gateway_names.get(&state.voucherly)
    );
    Ok(match listed {
        Ok(list) => MethodsView::Listed(methods::views(&list, &names, t)),
        // Voucherly does not know the customer (yet): nothing is saved there.
        Err(VoucherlyError::NotFound) => MethodsView::Listed(Vec::new()),
        Err(error) if error.is_configuration_problem() => {
            tracing::error!(%error, "Voucherly refused the API key");
            MethodsView::Misconfigured
        }
        Err(error) => {
            tracing::warn!(%error, "could not list saved payment methods");
            MethodsView::Unavailable
        }
    })
}
