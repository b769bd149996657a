//! The shopper's Voucherly wallet: its balance and today's prepaid quota on the profile
//! ([`summary`]), and `GET /account/wallet` ([`movements`]), the wallet's movements newest first,
//! a page at a time following Voucherly's cursor, dates in Italian time, amounts in the
//! shopper's language.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::app::saved_methods::{Movements, SavedMethods, WalletRead};
use crate::domain::{format_eur, in_italy};
use crate::i18n::{Lang, Texts};
use crate::session::SignedIn;
use crate::voucherly::wallet::WalletMovement;
use crate::web::{PageContext, PageError, render};

pub const PATH: &str = "/account/wallet";
const PER_PAGE: u32 = 20;

/// The wallet as the profile shows it.
pub enum WalletSummary {
    Shown {
        balance: String,
        /// The part of the balance loaded with meal vouchers, when there is one.
        vouchers: Option<String>,
        /// "7,00 € left of 10,00 €", when the shopper has a prepaid quota today.
        prepaid: Option<String>,
    },
    Unavailable,
}

/// The wallet as the profile shows it.
pub fn summary(read: WalletRead, lang: Lang) -> WalletSummary {
    let WalletRead::Shown(balances) = read else {
        return WalletSummary::Unavailable;
    };
    let t = lang.texts();
    let wallet = balances.wallet.clone().unwrap_or_default();
    WalletSummary::Shown {
        balance: format_eur(wallet.total_amount, lang),
        vouchers: (wallet.total_voucher_amount > 0)
            .then(|| format_eur(wallet.total_voucher_amount, lang)),
        prepaid: balances.prepaid.map(|(left, cap)| {
            t.prepaid_left
                .replace("{left}", &format_eur(left, lang))
                .replace("{cap}", &format_eur(cap, lang))
        }),
    }
}

pub struct MovementRow {
    pub date: String,
    pub datetime: String,
    pub action: String,
    pub amount: String,
    pub running: String,
}

#[derive(Template)]
#[template(path = "account/wallet.html")]
struct WalletPage {
    page: PageContext,
    rows: Vec<MovementRow>,
    /// Set when the shopper is no Voucherly customer yet.
    no_customer: bool,
    unavailable: bool,
    first: Option<&'static str>,
    next: Option<String>,
}

/// `?start=`: Voucherly's cursor of the page; anything odd starts from the top.
#[derive(Deserialize)]
pub struct WalletQuery {
    start: Option<String>,
}

#[tracing::instrument(name = "wallet movements", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn movements(
    req: HttpRequest,
    signed_in: SignedIn,
    saved_methods: web::Data<SavedMethods>,
    query: web::Query<WalletQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let page = PageContext::new(&req)?;
    let start = query.start.as_deref().filter(|start| {
        !start.is_empty() && start.len() <= 200 && !start.chars().any(char::is_control)
    });
    let found = saved_methods.wallet_movements(signed_in.shopper_id, start, PER_PAGE);
    let found = found.await?;
    let mut view = WalletPage {
        page,
        rows: Vec::new(),
        no_customer: matches!(found, Movements::NoCustomer),
        unavailable: matches!(found, Movements::Unavailable),
        first: start.is_some().then_some(PATH),
        next: None,
    };
    if let Movements::Listed(found) = found {
        view.rows = found.movements.iter().map(|m| row(m, lang)).collect();
        view.next = found.next_start.map(|next| {
            let query = serde_urlencoded::to_string([("start", next)]).unwrap_or_default();
            format!("{PATH}?{query}")
        });
    }
    render(&view)
}

fn row(movement: &WalletMovement, lang: Lang) -> MovementRow {
    let at = movement
        .occurred_at_utc
        .as_deref()
        .and_then(utc)
        .map(in_italy);
    MovementRow {
        date: at
            .and_then(|at| {
                at.format(format_description!("[day]/[month]/[year] [hour]:[minute]"))
                    .ok()
            })
            .unwrap_or_default(),
        datetime: at
            .and_then(|at| at.format(&Rfc3339).ok())
            .unwrap_or_default(),
        action: action_text(lang.texts(), &movement.action),
        amount: format_eur(movement.amount, lang),
        running: format_eur(movement.running_total_amount, lang),
    }
}

/// A UTC date-time, with or without its offset (none means UTC).
fn utc(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok().or_else(|| {
        let local = format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
        );
        PrimitiveDateTime::parse(text, local)
            .ok()
            .map(PrimitiveDateTime::assume_utc)
    })
}

fn action_text(t: &'static Texts, action: &str) -> String {
    match action {
        "WALLET" => t.wallet_action_topup,
        "WALLET_R" => t.wallet_action_topup_reversed,
        "PAYMENT" => t.wallet_action_payment,
        "PAYMENT_R" => t.wallet_action_payment_refunded,
        "ADJUSTMENT" => t.wallet_action_adjustment,
        "EXCESS" => t.wallet_action_excess,
        "EXCESS_R" => t.wallet_action_excess_reversed,
        // An action added since: shown as Voucherly names it.
        other => return other.to_owned(),
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voucherly_times_are_read_with_or_without_an_offset() {
        let with = utc("2026-07-15T10:00:00Z");
        assert_eq!(with, utc("2026-07-15T10:00:00"));
        assert_eq!(with, utc("2026-07-15T10:00:00.000"));
        assert!(with.is_some());
        assert_eq!(utc("yesterday"), None);
    }
}
