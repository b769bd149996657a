//! The saved payment methods as the profile lists them, each already in the shopper's words.

use std::fmt;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::domain::{MethodKind, SavedMethod, in_italy};
use crate::i18n::Texts;

pub struct MethodView {
    pub id: String,
    /// "Visa", "SEPA direct debit", "Edenred".
    pub title: String,
    /// The last four digits of a card, read after "ending in".
    pub last_digits: Option<String>,
    pub expiry: Option<String>,
    pub expired: bool,
    pub masked_iban: Option<String>,
    /// The gateway, when the title is not already its name.
    pub gateway: Option<String>,
    pub holder: Option<String>,
    /// The shopper's preferred method (see `method_notes`).
    pub preferred: bool,
    /// "Expires this month" / "Expires next month", for a card still usable.
    pub expiring: Option<&'static str>,
    /// When it last paid an order here, `dd/mm/yyyy`.
    pub last_used: Option<String>,
    /// The brand's icon under `/static/` (decorative: the brand is written next to it).
    pub icon: &'static str,
}

impl MethodView {
    /// The page that asks to confirm removing this method.
    pub fn remove_href(&self) -> String {
        super::remove_method::confirm_path(&self.id)
    }

    /// The form that makes this method the preferred one.
    pub fn prefer_action(&self) -> String {
        super::preferred::prefer_path(&self.id)
    }

    /// The method in words, telling one "Remove" button from another: "Visa ending in 4242".
    /// Written straight into the page, with no string of its own.
    pub fn spoken_name<'a>(&'a self, t: &'a Texts) -> SpokenName<'a> {
        SpokenName { method: self, t }
    }
}

/// See [`MethodView::spoken_name`].
pub struct SpokenName<'a> {
    method: &'a MethodView,
    t: &'a Texts,
}

impl fmt::Display for SpokenName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.method.title)?;
        if let Some(digits) = &self.method.last_digits {
            write!(f, " {} {digits}", self.t.ending_in)?;
        }
        if let Some(iban) = &self.method.masked_iban {
            write!(f, " {iban}")?;
        }
        Ok(())
    }
}

/// What the profile can say about the shopper's saved methods.
pub enum MethodsView {
    Listed(Vec<MethodView>),
    /// The shopper has no Voucherly customer yet in this environment.
    NoCustomer,
    /// Voucherly is down, slow or answered nonsense.
    Unavailable,
    /// Voucherly refused our API key.
    Misconfigured,
}

/// When a list shown from memory was fetched: `dd/mm/yyyy hh:mm`, Italian time, and the same
/// instant for the `<time>` element.
pub struct AsOf {
    pub date: String,
    pub datetime: String,
}

impl AsOf {
    pub fn new(at: OffsetDateTime) -> Self {
        let at = in_italy(at);
        Self {
            date: at
                .format(format_description!("[day]/[month]/[year] [hour]:[minute]"))
                .unwrap_or_default(),
            datetime: at.format(&Rfc3339).unwrap_or_default(),
        }
    }
}

/// The methods in the shopper's words, in the order given.
pub fn views(methods: &[SavedMethod], t: &Texts) -> Vec<MethodView> {
    methods
        .iter()
        .cloned()
        .map(|method| view(method, t))
        .collect()
}

/// One method in the shopper's words.
pub fn view(method: SavedMethod, t: &Texts) -> MethodView {
    let gateway_name = t.gateway_name(method.gateway_id.as_deref(), method.gateway_name);
    let mut view = MethodView {
        id: method.id,
        title: String::new(),
        last_digits: None,
        expiry: None,
        expired: false,
        masked_iban: None,
        gateway: gateway_name.clone(),
        holder: method.holder_name,
        preferred: false,
        expiring: None,
        last_used: None,
        icon: "brand-account.svg",
    };
    match method.kind {
        MethodKind::Card {
            brand,
            last_digits,
            expiry,
            expired,
        } => {
            view.icon = card_icon(brand.as_deref());
            view.title = brand.unwrap_or_else(|| t.card.to_owned());
            view.last_digits = last_digits;
            view.expiry = expiry;
            view.expired = expired;
        }
        MethodKind::DirectDebit { masked_iban } => {
            view.title = t.direct_debit.to_owned();
            view.icon = "brand-sepa.svg";
            view.masked_iban = masked_iban;
        }
        MethodKind::Account => {
            if crate::domain::is_meal_voucher(method.gateway_id.as_deref(), gateway_name.as_deref())
            {
                view.icon = "brand-voucher.svg";
            }
            view.title = gateway_name.unwrap_or_else(|| t.account.to_owned());
            view.gateway = None;
        }
    }
    // "SEPA direct debit" needs no "payment network: SEPA direct debit" under it.
    if view.gateway.as_deref() == Some(view.title.as_str()) {
        view.gateway = None;
    }
    view
}

/// The icon of a card brand as Voucherly writes it ("Visa", "MASTERCARD", "American Express").
fn card_icon(brand: Option<&str>) -> &'static str {
    let brand = brand.unwrap_or_default().to_ascii_lowercase();
    if brand.contains("visa") {
        "brand-visa.svg"
    } else if brand.contains("master") {
        "brand-mastercard.svg"
    } else if brand.contains("amex") || brand.contains("american") {
        "brand-amex.svg"
    } else {
        "brand-card.svg"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_brands_have_their_icons_and_others_the_generic_one() {
        assert_eq!(card_icon(Some("VISA")), "brand-visa.svg");
        assert_eq!(card_icon(Some("Mastercard")), "brand-mastercard.svg");
        assert_eq!(card_icon(Some("American Express")), "brand-amex.svg");
        assert_eq!(card_icon(Some("Diners")), "brand-card.svg");
        assert_eq!(card_icon(None), "brand-card.svg");
    }
}
