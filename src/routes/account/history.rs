//! The payment history as the profile shows it: a page of rows in the shopper's words.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::domain::payment::{HistoryEntry, HistoryPage, HistoryRefund};
use crate::domain::{LocalStatus, format_eur, in_italy, last_page};
use crate::i18n::{Lang, Texts};

pub const PER_PAGE: u32 = 10;

pub struct HistoryRow {
    /// `dd/mm/yyyy hh:mm`, Italian time (the store and its shoppers are in Italy).
    pub date: String,
    /// The same instant for the `<time>` element.
    pub datetime: String,
    pub store_order_id: String,
    pub amount: String,
    pub method: String,
    pub status: &'static str,
    /// `paid`, `failed`…, for styling.
    pub status_code: &'static str,
    /// The receipt of a paid (or since refunded) payment.
    pub receipt: Option<String>,
    /// Voucherly's fiscal receipt (PDF) of a paid (or since refunded) payment.
    pub fiscal_receipt: Option<String>,
    /// Voucherly's receipt (PDF) of the refund of a refunded payment, or of one the store
    /// refunded in part.
    pub refund_receipt: Option<String>,
    /// The store's refunds of it, in the shopper's words: amount, date and where to.
    pub refunds: Vec<String>,
}

pub struct HistoryView {
    pub rows: Vec<HistoryRow>,
    pub page: u32,
    pub pages: u32,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// Page `page` of the shopper's history, as read with the rest of the profile.
pub fn view(found: HistoryPage, page: u32, lang: Lang) -> HistoryView {
    let pages = last_page(found.total, PER_PAGE);
    let link = |number: u32| format!("/account?page={number}#history-heading");
    HistoryView {
        rows: found
            .entries
            .into_iter()
            .map(|entry| row(entry, lang))
            .collect(),
        page,
        pages,
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
    }
}

fn row(entry: HistoryEntry, lang: Lang) -> HistoryRow {
    let t = lang.texts();
    let at = in_italy(
        OffsetDateTime::from_unix_timestamp(entry.created_at).unwrap_or(OffsetDateTime::UNIX_EPOCH),
    );
    let date = at
        .format(format_description!("[day]/[month]/[year] [hour]:[minute]"))
        .unwrap_or_default();
    let paid = matches!(entry.status, LocalStatus::Paid | LocalStatus::Refunded);
    HistoryRow {
        date,
        datetime: at.format(&Rfc3339).unwrap_or_default(),
        method: method_text(t, &entry, lang),
        amount: format_eur(entry.amount, lang),
        store_order_id: entry.store_order_id,
        status: match (entry.is_duplicate, entry.status) {
            (true, LocalStatus::Refunded) => t.status_paid_twice_refunded,
            (true, _) if entry.needs_manual_refund => t.status_paid_twice_manual,
            (true, status) if status.holds_money() => t.status_paid_twice_refunding,
            (_, status) => status_text(t, status),
        },
        status_code: entry.status.as_str(),
        receipt: paid.then(|| super::receipt::receipt_path(&entry.reference)),
        fiscal_receipt: paid.then(|| super::fiscal_receipt::sale_path(&entry.reference)),
        refund_receipt: (entry.status == LocalStatus::Refunded || !entry.refunds.is_empty())
            .then(|| super::fiscal_receipt::refund_path(&entry.reference)),
        refunds: entry
            .refunds
            .iter()
            .map(|refund| refund_text(t, refund, lang))
            .collect(),
    }
}

/// "5,00 € refunded on 03/12/2026 to the payment method", in the shopper's language.
fn refund_text(t: &'static Texts, refund: &HistoryRefund, lang: Lang) -> String {
    let at = in_italy(
        OffsetDateTime::from_unix_timestamp(refund.refunded_at)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
    );
    let to = match refund.destination.as_str() {
        "wallet" => t.history_refund_to_wallet,
        _ => t.history_refund_to_methods,
    };
    t.history_refund
        .replace("{amount}", &format_eur(refund.amount, lang))
        .replace(
            "{date}",
            &at.format(format_description!("[day]/[month]/[year]"))
                .unwrap_or_default(),
        )
        .replace("{to}", to)
}

/// The method, with the meal-voucher part of the payment when there was one.
fn method_text(t: &'static Texts, entry: &HistoryEntry, lang: Lang) -> String {
    let method = entry
        .method_label
        .clone()
        .unwrap_or_else(|| t.history_at_checkout.to_owned());
    match entry.voucher_amount.filter(|amount| *amount > 0) {
        Some(amount) => {
            let part = t
                .history_voucher_part
                .replace("{amount}", &format_eur(amount, lang));
            format!("{method} ({part})")
        }
        None => method,
    }
}

pub fn status_text(t: &'static Texts, status: LocalStatus) -> &'static str {
    match status {
        LocalStatus::Creating => t.status_creating,
        LocalStatus::CreateFailed => t.status_create_failed,
        LocalStatus::Requested => t.status_requested,
        LocalStatus::Failed => t.status_failed,
        LocalStatus::Abandoned => t.status_abandoned,
        LocalStatus::Authorised | LocalStatus::Paid => t.status_paid,
        LocalStatus::Refunded => t.status_refunded,
    }
}
