//! Every text a shopper reads, in Italian (the default) and English. Templates only ever print
//! fields of [`Texts`], so adding a language is adding one file.

mod en;
mod gateways;
mod it;

pub use crate::domain::Lang;

// The texts are the language's own: kept here, next to them, rather than in the domain.
impl Lang {
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::It => &it::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }
}

/// The first language an `Accept-Language` header asks for that we have.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut ranked: Vec<(f32, Lang)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let lang = Lang::from_code(pieces.next()?)?;
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse().ok())
                .unwrap_or(1.0);
            Some((quality, lang))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map(|(_, lang)| *lang)
}

/// `raw`, checked to be a text templates may write as it is (`{{ page.t.name|safe }}`), without
/// looking for characters to escape. Every text is a `static`, worked out by the compiler: one
/// holding `<`, `>`, `&` or `"` stops the build. The apostrophe, all over Italian, may stay: it
/// means nothing in HTML text nor in a double-quoted attribute, the only places templates put
/// texts (`tests/api/architecture/templates.rs` holds every template to that, and `|safe` to our
/// texts).
pub const fn text(raw: &'static str) -> &'static str {
    let bytes = raw.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        assert!(
            !matches!(bytes[at], b'<' | b'>' | b'&' | b'"'),
            "a text holds <, >, & or \", which HTML would read as markup"
        );
        at += 1;
    }
    raw
}

/// The texts of one language.
pub struct Texts {
    pub lang_name: &'static str,
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub language_label: &'static str,
    pub sign_out: &'static str,
    pub footer: &'static str,
    pub sandbox_badge: &'static str,

    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub sign_in_as: &'static str,
    pub demo_shopper_has_customer: &'static str,
    pub demo_shopper_no_customer: &'static str,
    pub come_from_store_title: &'static str,
    pub come_from_store_text: &'static str,
    pub signed_out: &'static str,

    pub profile_title: &'static str,
    pub profile_heading: &'static str,
    pub name_label: &'static str,
    pub email_label: &'static str,
    pub methods_heading: &'static str,
    pub no_customer_yet: &'static str,
    pub no_methods: &'static str,
    pub card: &'static str,
    pub ending_in: &'static str,
    pub expires: &'static str,
    pub expired: &'static str,
    pub holder: &'static str,
    pub direct_debit: &'static str,
    pub iban: &'static str,
    pub account: &'static str,
    pub gateway_label: &'static str,
    pub to_pay_heading: &'static str,
    pub nothing_to_pay: &'static str,
    pub order_label: &'static str,
    pub order_discount: &'static str,
    pub order_total: &'static str,
    pub pay_legend: &'static str,
    pub pay_at_checkout: &'static str,
    pub pay_button: &'static str,
    pub pay_methods_not_shown: &'static str,
    pub payments_not_available: &'static str,
    pub notice_already_paid: &'static str,
    pub history_heading: &'static str,
    pub history_caption: &'static str,
    pub history_empty: &'static str,
    pub history_date: &'static str,
    pub history_order: &'static str,
    pub history_amount: &'static str,
    pub history_method: &'static str,
    pub history_status: &'static str,
    pub history_at_checkout: &'static str,
    pub history_pages: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub page_word: &'static str,
    pub of_word: &'static str,
    pub status_creating: &'static str,
    pub status_create_failed: &'static str,
    pub status_requested: &'static str,
    pub status_failed: &'static str,
    pub status_abandoned: &'static str,
    pub status_paid: &'static str,
    pub status_refunded: &'static str,
    pub pay_failed_title: &'static str,
    pub pay_failed_text: &'static str,
    pub pay_refused_title: &'static str,
    pub pay_method_refused: &'static str,
    /// The pay form of an order the store cancelled.
    pub pay_cancelled_title: &'static str,
    pub pay_cancelled_text: &'static str,
    pub voucherly_unavailable: &'static str,
    pub voucherly_misconfigured: &'static str,

    pub error_title: &'static str,
    pub error_bad_request: &'static str,
    pub error_forbidden: &'static str,
    pub error_csrf: &'static str,
    pub error_not_found: &'static str,
    pub error_too_large: &'static str,
    pub error_unexpected: &'static str,
    pub error_reference: &'static str,
    pub back_to_start: &'static str,

    pub payment_return_title: &'static str,
    pub payment_paid: &'static str,
    pub payment_paid_text: &'static str,
    pub payment_failed: &'static str,
    pub payment_failed_text: &'static str,
    pub payment_processing: &'static str,
    pub payment_processing_text: &'static str,
    pub payment_refunded: &'static str,
    pub payment_refunded_text: &'static str,
    pub payment_order_label: &'static str,
    pub payment_amount_label: &'static str,
    pub payment_to_account: &'static str,
    pub payment_pay_again: &'static str,
    pub payment_to_start: &'static str,

    // Hand-over links and the way back to the store.
    pub back_to_store: &'static str,
    pub handover_gone_title: &'static str,
    pub handover_gone_text: &'static str,
    pub handover_unknown_title: &'static str,
    pub handover_unknown_text: &'static str,

    pub try_demo_store: &'static str,

    // Removing a saved payment method.
    pub remove_button: &'static str,
    pub remove_title: &'static str,
    pub remove_question: &'static str,
    pub remove_cancel: &'static str,
    pub remove_failed_title: &'static str,
    pub remove_failed_text: &'static str,
    pub notice_method_removed: &'static str,

    pub payment_in_progress: &'static str,
    pub resume_payment: &'static str,

    // money: orders paid twice, meal vouchers.
    /// A second payment of an order already paid, being refunded by the app.
    pub status_paid_twice_refunding: &'static str,
    /// A second payment of an order already paid, refunded.
    pub status_paid_twice_refunded: &'static str,
    /// A second payment Voucherly could not refund: the store refunds it by hand.
    pub status_paid_twice_manual: &'static str,
    /// How much a meal voucher can pay: `{method}` and `{amount}` are replaced.
    pub voucher_share: &'static str,
    /// Voucherly's answer to a removal was unclear and the list could not be read again.
    pub remove_unsure_text: &'static str,
    /// The pay button of an order whose checkout is still open: paying again voids it first.
    pub start_again_button: &'static str,
    /// The meal-voucher part of a payment in the history: `{amount}` is replaced.
    pub history_voucher_part: &'static str,
    /// A store's refund of a payment: `{amount}`, `{date}` and `{to}` (one of the two below).
    pub history_refund: &'static str,
    pub history_refund_to_methods: &'static str,
    pub history_refund_to_wallet: &'static str,
    // harden: faults, limits and the language form
    pub error_unavailable: &'static str,
    pub error_too_many: &'static str,
    // speed: the last known saved methods, shown when Voucherly is down or slow ("… as of" a time).
    pub methods_as_of: &'static str,
    // newcomer: gateway names, preferred method, expiring cards, last used, receipts, export.
    pub gateway_cards: &'static str,
    pub expires_this_month: &'static str,
    pub expires_next_month: &'static str,
    pub expiring_suggestion: &'static str,
    pub preferred_tag: &'static str,
    pub make_preferred: &'static str,
    pub last_used_label: &'static str,
    pub never_used: &'static str,
    pub notice_preference_saved: &'static str,
    pub notice_preference_not_saved: &'static str,
    // shopper-alone: removing the preferred method, expired ones in one step, brand icons.
    pub remove_preferred_question: &'static str,
    pub remove_preferred_none: &'static str,
    pub notice_method_removed_preferred: &'static str,
    // shopper-alone: saving a method without buying.
    pub add_method_button: &'static str,
    pub add_method_hint: &'static str,
    /// `{method}` is replaced by the method in words.
    pub notice_method_added: &'static str,
    pub notice_method_not_added: &'static str,
    pub notice_method_added_unknown: &'static str,
    pub receipt_link: &'static str,
    pub receipt_title: &'static str,
    pub receipt_order: &'static str,
    pub receipt_paid_on: &'static str,
    pub receipt_method: &'static str,
    pub receipt_voucherly_id: &'static str,
    pub receipt_reference: &'static str,
    pub receipt_lines_caption: &'static str,
    pub receipt_product: &'static str,
    pub receipt_quantity: &'static str,
    pub receipt_amount: &'static str,
    pub receipt_discounts: &'static str,
    pub receipt_total: &'static str,
    pub receipt_voucher_share: &'static str,
    pub receipt_other_share: &'static str,
    pub receipt_shares_unknown: &'static str,
    pub receipt_print_hint: &'static str,
    pub receipt_back: &'static str,
    // shopper-alone: Voucherly's fiscal receipts (PDF) of a payment and of its refund.
    pub fiscal_receipt_link: &'static str,
    pub refund_receipt_link: &'static str,
    pub fiscal_receipt_missing_title: &'static str,
    pub fiscal_receipt_missing_text: &'static str,
    pub fiscal_receipt_unavailable_title: &'static str,
    pub fiscal_receipt_unavailable_text: &'static str,
    // shopper-alone: the Voucherly wallet, the prepaid quota and the wallet's movements.
    pub wallet_heading: &'static str,
    pub wallet_balance: &'static str,
    pub wallet_voucher_part: &'static str,
    pub prepaid_today: &'static str,
    pub prepaid_left: &'static str,
    pub wallet_unavailable: &'static str,
    pub wallet_movements_link: &'static str,
    pub wallet_title: &'static str,
    pub wallet_caption: &'static str,
    pub wallet_date: &'static str,
    pub wallet_action: &'static str,
    pub wallet_amount: &'static str,
    pub wallet_running: &'static str,
    pub wallet_empty: &'static str,
    pub wallet_no_customer: &'static str,
    pub wallet_pages: &'static str,
    pub first_page: &'static str,
    pub wallet_action_topup: &'static str,
    pub wallet_action_topup_reversed: &'static str,
    pub wallet_action_payment: &'static str,
    pub wallet_action_payment_refunded: &'static str,
    pub wallet_action_adjustment: &'static str,
    pub wallet_action_excess: &'static str,
    pub wallet_action_excess_reversed: &'static str,
    pub csv_download: &'static str,
    pub csv_currency: &'static str,
    pub csv_reference: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_language_we_have() {
        assert_eq!(
            from_accept_language("de-DE, en-GB;q=0.8, it;q=0.5"),
            Some(Lang::En)
        );
    }

    #[test]
    #[should_panic(expected = "which HTML would read as markup")]
    fn a_text_with_markup_is_refused() {
        text("Tom & Jerry");
    }

    #[test]
    fn italian_is_the_default() {
        assert_eq!(from_accept_language("fr"), None);
        assert_eq!(Lang::default(), Lang::It);
    }
}
