//! `GET /account`: the shopper's profile, the payment methods they saved at Voucherly, the orders
//! they have to pay (each with a pay form) and their payment history. The methods come through
//! the cache of [`crate::app::saved_methods`]; when Voucherly cannot answer in time, the page shows
//! the last known list saying as of when, or a notice in place of the list.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::history::{self, HistoryView, PER_PAGE};
use super::method_notes::MethodNotes;
use super::methods::{self, AsOf, MethodsView};
use super::orders::{self, OrderView, PayOptions};
use super::wallet::{self, WalletSummary};
use crate::app::saved_methods::{MethodsRead, Profile, SavedMethods};
use crate::domain::Shopper;
use crate::i18n::Texts;
use crate::session::SignedIn;
use crate::web::{PageContext, PageError, UniqueId, render};

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

pub async fn show(
    req: HttpRequest,
    signed_in: SignedIn,
    saved_methods: web::Data<SavedMethods>,
    query: web::Query<ProfileQuery>,
) -> Result<HttpResponse, PageError> {
    let history_page = query
        .page
        .as_deref()
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(1);
    let found = saved_methods.profile(signed_in.shopper_id, history_page, PER_PAGE);
    let Some(Profile {
        page: found,
        methods,
        wallet,
        today,
    }) = found.await?
    else {
        // The shopper was removed since signing in.
        signed_in.session.sign_out();
        return Err(PageError::NotSignedIn);
    };
    let page = PageContext::new(&req)?;
    let lang = page.language();
    let notes = MethodNotes::new(found.preferred, found.last_used, today);
    let (methods, pay, methods_as_of) = methods_view(methods, notes, page.t);
    let added = match (&methods, query.added.as_deref()) {
        (MethodsView::Listed(views), Some(id)) => views.iter().find(|m| m.id == id).map(|m| {
            page.t
                .notice_method_added
                .replace("{method}", &m.spoken_name(page.t).to_string())
        }),
        _ => None,
    };
    let orders = orders::views(found.orders, &found.open_checkouts, lang);
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
        wallet: wallet.map(|wallet| wallet::summary(wallet, lang)),
        added,
        add_key: UniqueId::next().simple(),
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

/// The saved methods, listed once for both the list and the pay forms, with the shopper's own
/// notes on them (preferred, last used, expiring), and the time of the list when Voucherly could
/// not give a fresh one.
fn methods_view(
    read: MethodsRead,
    notes: MethodNotes,
    t: &'static Texts,
) -> (MethodsView, PayOptions, Option<AsOf>) {
    let pay = |choices, note| PayOptions {
        open: true,
        choices,
        note,
    };
    match read {
        MethodsRead::Listed { methods, as_of } => {
            let mut views = methods::views(methods.all(), t);
            let mut choices = methods.choices();
            notes.apply(&mut views, &mut choices, t);
            let as_of = as_of.map(AsOf::new);
            (MethodsView::Listed(views), pay(choices, None), as_of)
        }
        MethodsRead::NoCustomer => (MethodsView::NoCustomer, pay(Vec::new(), None), None),
        // Paying may still work: the checkout lists the saved methods itself.
        MethodsRead::Unavailable => {
            let pay = pay(Vec::new(), Some(t.pay_methods_not_shown));
            (MethodsView::Unavailable, pay, None)
        }
        MethodsRead::Misconfigured => {
            let closed = PayOptions {
                open: false,
                choices: Vec::new(),
                note: Some(t.payments_not_available),
            };
            (MethodsView::Misconfigured, closed, None)
        }
    }
}
