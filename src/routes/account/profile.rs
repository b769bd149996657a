//! `GET /account`: the shopper's profile, the payment methods they saved at Voucherly, the orders
//! they have to pay (each with a pay form) and their payment history. The methods come through
//! the cache of [`crate::saved_methods`]; when Voucherly cannot answer in time, the page shows
//! the last known list saying as of when, or a notice in place of the list.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::history::{self, HistoryView, PER_PAGE};
use super::method_notes::MethodNotes;
use super::methods::{self, AsOf, MethodsView};
use super::orders::{self, OrderView, PayOptions};
use super::pay::choice;
use super::wallet::{self, WalletSummary};
use crate::domain::Shopper;
use crate::i18n::{Lang, Texts};
use crate::saved_methods::Listing;
use crate::session::SignedIn;
use crate::state::AppState;
use crate::storage::account_page;
use crate::web::{PageContext, PageError, render};

#[derive(Template)]
#[template(path = "account/profile.html")]
struct ProfilePage {
    page: PageContext,
    shopper: Shopper,
    methods: MethodsView,
    /// Set when the methods are the last known ones, Voucherly being down or slow.
    methods_as_of: Option<AsOf>,
    notice: Option<&'static str>,
    orders: Vec<OrderView>,
    pay: PayOptions,
    history: HistoryView,
    /// `None` when the shopper is no Voucherly customer yet.
    wallet: Option<WalletSummary>,
    /// "Method added: Visa ending in 4242", back from saving one.
    added: Option<String>,
    /// The "Add a card or meal voucher" form's idempotency key.
    add_key: String,
}

/// `?page=` (of the history) and `?notice=` (after a redirect); anything malformed is ignored.
#[derive(Deserialize)]
pub struct ProfileQuery {
    page: Option<String>,
    notice: Option<String>,
    /// The id of a method just saved at Voucherly.
    added: Option<String>,
}

#[tracing::instrument(name = "profile", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn show(
    req: HttpRequest,
    signed_in: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<ProfileQuery>,
) -> Result<HttpResponse, PageError> {
    let history_page = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(1);
    let shopper_id = signed_in.shopper_id;
    let found = account_page::load(
        &state.db,
        shopper_id,
        state.environment,
        history_page,
        PER_PAGE,
    );
    let Some(found) = found.await? else {
        // The shopper was removed since signing in.
        signed_in.session.sign_out();
        return Err(PageError::NotSignedIn);
    };
    let page = PageContext::new(&req)?;
    let lang = Lang::of(&req);
    let notes = MethodNotes::new(found.preferred, found.last_used);
    let customer_id = found.customer_id.clone();
    let (listed, wallet) = tokio::join!(
        saved_methods(&state, shopper_id, found.customer_id, notes, page.t),
        wallet::summary(&state, shopper_id, customer_id.as_deref(), lang),
    );
    let (methods, pay, methods_as_of) = listed?;
    let added = match (&methods, query.added.as_deref()) {
        (MethodsView::Listed(views), Some(id)) => views.iter().find(|m| m.id == id).map(|m| {
            page.t
                .notice_method_added
                .replace("{method}", &m.spoken_name(page.t))
        }),
        _ => None,
    };
    let orders = orders::views(found.orders, &found.open_checkouts, lang)?;
    let history = history::view(found.history, found.history_page, lang);
    render(&ProfilePage {
        notice: notice(query.notice.as_deref(), page.t),
        page,
        shopper: found.shopper,
        methods,
        methods_as_of,
        orders,
        pay,
        history,
        wallet,
        added,
        add_key: uuid::Uuid::new_v4().simple().to_string(),
    })
}

fn notice(code: Option<&str>, t: &'static Texts) -> Option<&'static str> {
    match code? {
        "already_paid" => Some(t.notice_already_paid),
        "method_removed" => Some(t.notice_method_removed),
        "method_removed_preferred" => Some(t.notice_method_removed_preferred),
        "method_not_added" => Some(t.notice_method_not_added),
        "method_added_unknown" => Some(t.notice_method_added_unknown),
        "preference_saved" => Some(t.notice_preference_saved),
        "preference_not_saved" => Some(t.notice_preference_not_saved),
        _ => None,
    }
}

/// The saved methods, listed once (through the cache) for both the list and the pay forms, with
/// the shopper's own notes on them (preferred, last used, expiring), and the time of the list
/// when Voucherly could not give a fresh one. Reads only: whether Voucherly takes the key is
/// kept by [`crate::voucherly_key::watch`], never changed by a page view.
async fn saved_methods(
    state: &AppState,
    shopper_id: i64,
    customer_id: Option<String>,
    notes: MethodNotes,
    t: &'static Texts,
) -> Result<(MethodsView, PayOptions, Option<AsOf>), PageError> {
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
    let Some(customer_id) = customer_id else {
        if state.voucherly_key.refused() {
            return Ok((MethodsView::Misconfigured, closed, None));
        }
        return Ok((MethodsView::NoCustomer, pay(Vec::new(), None), None));
    };
    let (listing, names) = tokio::join!(
        state
            .saved_methods
            .list(&state.voucherly, shopper_id, &customer_id),
        state.gateway_names.get(&state.voucherly),
    );
    let (list, as_of) = match listing {
        Listing::Fresh(list) => (list, None),
        Listing::Failed(error) | Listing::Stale { error, .. }
            if error.is_configuration_problem() =>
        {
            tracing::error!(%error, "Voucherly refused the API key");
            return Ok((MethodsView::Misconfigured, closed, None));
        }
        Listing::Stale {
            methods,
            as_of,
            error,
        } => {
            tracing::warn!(%error, "showing the last known saved payment methods");
            (methods, Some(AsOf::new(as_of)))
        }
        Listing::Failed(error) => {
            tracing::warn!(%error, "could not list saved payment methods");
            // Paying may still work: the checkout lists the saved methods itself.
            let pay = pay(Vec::new(), Some(t.pay_methods_not_shown));
            return Ok((MethodsView::Unavailable, pay, None));
        }
    };
    let mut views = methods::views(&list, &names, t);
    let mut choices = choice::usable(&list, &names);
    notes.apply(&mut views, &mut choices, t);
    Ok((MethodsView::Listed(views), pay(choices, None), as_of))
}
