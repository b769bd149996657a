//! `GET /account`: the shopper's profile, the payment methods they saved at Voucherly, the orders
//! they have to pay (each with a pay form) and their payment history. When Voucherly cannot
//! answer, the page still renders, with a notice in place of the list.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::history::{self, HistoryView};
use super::method_notes::MethodNotes;
use super::methods::{self, MethodsView};
use super::orders::{self, OrderView, PayOptions};
use super::pay::choice;
use crate::i18n::{Lang, Texts};
use crate::session::SignedIn;
use crate::state::AppState;
use crate::storage::orders as stored_orders;
use crate::storage::payments;
use crate::storage::shoppers::{self, Shopper};
use crate::voucherly::VoucherlyError;
use crate::web::{PageContext, PageError, render};

#[derive(Template)]
#[template(path = "account/profile.html")]
struct ProfilePage {
    page: PageContext,
    shopper: Shopper,
    methods: MethodsView,
    notice: Option<&'static str>,
    orders: Vec<OrderView>,
    pay: PayOptions,
    history: HistoryView,
}

/// `?page=` (of the history) and `?notice=` (after a redirect); anything malformed is ignored.
#[derive(Deserialize)]
pub struct ProfileQuery {
    page: Option<String>,
    notice: Option<String>,
}

#[tracing::instrument(name = "profile", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn show(
    req: HttpRequest,
    signed_in: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<ProfileQuery>,
) -> Result<HttpResponse, PageError> {
    let Some(shopper) = shoppers::find(&state.db, signed_in.shopper_id).await? else {
        // The shopper was removed since signing in.
        signed_in.session.sign_out();
        return Err(PageError::NotSignedIn);
    };
    let page = PageContext::new(&req)?;
    let lang = Lang::of(&req);
    let history_page = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(1);
    let (methods, pay) = saved_methods(&state, shopper.id, page.t).await?;
    let orders = orders::views(
        stored_orders::awaiting_payment(&state.db, shopper.id).await?,
        &payments::open_checkouts(&state.db, shopper.id).await?,
        lang,
    )?;
    let history = history::load(&state.db, shopper.id, history_page, lang).await?;
    render(&ProfilePage {
        notice: notice(query.notice.as_deref(), page.t),
        page,
        shopper,
        methods,
        orders,
        pay,
        history,
    })
}

fn notice(code: Option<&str>, t: &'static Texts) -> Option<&'static str> {
    match code? {
        "already_paid" => Some(t.notice_already_paid),
        "method_removed" => Some(t.notice_method_removed),
        "preference_saved" => Some(t.notice_preference_saved),
        "preference_not_saved" => Some(t.notice_preference_not_saved),
        _ => None,
    }
}

/// The saved methods, listed once for both the list and the pay forms.
async fn saved_methods(
    state: &AppState,
    shopper_id: i64,
    t: &'static Texts,
) -> Result<(MethodsView, PayOptions), PageError> {
    let pay = |choices, note| PayOptions {
        open: true,
        choices,
        note,
    };
    let closed = PayOptions {
        open: false,
        choices: Vec::new(),
        note: Some(t.payments_not_available),
    };
    if state.voucherly_key.refused() {
        return Ok((MethodsView::Misconfigured, closed));
    }
    let Some(customer_id) = shoppers::customer_id(&state.db, shopper_id, state.environment).await?
    else {
        return Ok((MethodsView::NoCustomer, pay(Vec::new(), None)));
    };
    let (listed, names) = tokio::join!(
        state.voucherly.list_payment_methods(&customer_id),
        state.gateway_names.get(&state.voucherly)
    );
    Ok(match listed {
        Ok(list) => {
            let mut views = methods::views(&list, &names, t);
            let mut choices = choice::usable(&list, &names);
            MethodNotes::load(state, shopper_id)
                .await?
                .apply(&mut views, &mut choices, t);
            (MethodsView::Listed(views), pay(choices, None))
        }
        // Voucherly does not know the customer (yet): nothing is saved there.
        Err(VoucherlyError::NotFound) => (MethodsView::Listed(Vec::new()), pay(Vec::new(), None)),
        Err(error) if error.is_configuration_problem() => {
            tracing::error!(%error, "Voucherly refused the API key");
            state.voucherly_key.set_refused(true);
            (MethodsView::Misconfigured, closed)
        }
        Err(error) => {
            tracing::warn!(%error, "could not list saved payment methods");
            // Paying may still work: the checkout lists the saved methods itself.
            (
                MethodsView::Unavailable,
                pay(Vec::new(), Some(t.pay_methods_not_shown)),
            )
        }
    })
}
