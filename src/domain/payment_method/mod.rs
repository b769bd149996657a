//! A saved payment method as the shopper reads it: card numbers and IBANs reduced to their last
//! digits, expiry worked out against today, and how it reads in the payment history. Which of
//! them a shopper may use is in [`owned`].

mod card;
mod owned;

pub use card::{YearMonth, mask_iban};
pub use owned::{Choice, NotTheirs, OwnedMethods};

use super::meal_voucher::is_meal_voucher;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodKind {
    Card {
        brand: Option<String>,
        last_digits: Option<String>,
        /// `MM/YYYY`, when known.
        expiry: Option<String>,
        expired: bool,
    },
    DirectDebit {
        masked_iban: Option<String>,
    },
    /// A voucher or wallet account with neither card nor IBAN: known by its gateway.
    Account,
}

impl MethodKind {
    /// A card: its brand as shoppers know it, its number down to the last four digits, and
    /// whether it expired before `today`'s month (a card is good until the end of that month).
    pub fn card(
        brand: Option<&str>,
        pan: Option<&str>,
        expiry: Option<YearMonth>,
        today: YearMonth,
    ) -> Self {
        MethodKind::Card {
            brand: brand
                .map(str::trim)
                .filter(|brand| !brand.is_empty())
                .map(card::brand_name),
            last_digits: pan.and_then(card::last_four_digits),
            expiry: expiry.map(|e| format!("{:02}/{}", e.month, e.year)),
            expired: expiry.is_some_and(|e| e < today),
        }
    }

    /// A SEPA mandate, its IBAN masked.
    pub fn direct_debit(iban: Option<&str>) -> Self {
        MethodKind::DirectDebit {
            masked_iban: iban.map(mask_iban),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedMethod {
    pub id: String,
    pub gateway_id: Option<String>,
    pub gateway_name: Option<String>,
    pub holder_name: Option<String>,
    pub kind: MethodKind,
}

impl SavedMethod {
    /// Whether it can pay today: everything but an expired card.
    pub fn is_usable(&self) -> bool {
        !matches!(self.kind, MethodKind::Card { expired: true, .. })
    }

    /// A meal voucher: it pays food only.
    pub fn is_meal_voucher(&self) -> bool {
        is_meal_voucher(self.gateway_id.as_deref(), self.gateway_name.as_deref())
    }

    /// How the method reads in the payment history: "Visa •••• 4242", "Edenred",
    /// "SEPA •••• 3456". Kept as text with a payment, so the history still reads right after the
    /// method is removed; names only, so it suits either language.
    pub fn label(&self) -> String {
        match &self.kind {
            MethodKind::Card {
                brand, last_digits, ..
            } => {
                let brand = brand
                    .clone()
                    .or_else(|| self.gateway_name.clone())
                    .unwrap_or_else(|| "Card".to_owned());
                match last_digits {
                    Some(digits) => format!("{brand} •••• {digits}"),
                    None => brand,
                }
            }
            MethodKind::DirectDebit { masked_iban } => {
                let tail: Option<String> = masked_iban.as_ref().map(|iban| {
                    let chars: Vec<char> = iban.chars().collect();
                    chars[chars.len().saturating_sub(4)..].iter().collect()
                });
                match tail {
                    Some(tail) if tail.chars().all(|c| c.is_ascii_alphanumeric()) => {
                        format!("SEPA •••• {tail}")
                    }
                    _ => "SEPA".to_owned(),
                }
            }
            MethodKind::Account => self
                .gateway_name
                .clone()
                .or_else(|| self.gateway_id.clone())
                .unwrap_or_else(|| "Voucherly".to_owned()),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub const NOV_2026: YearMonth = YearMonth {
        year: 2026,
        month: 11,
    };

    pub fn method(id: &str, kind: MethodKind) -> SavedMethod {
        SavedMethod {
            id: id.into(),
            gateway_id: None,
            gateway_name: None,
            holder_name: None,
            kind,
        }
    }

    pub fn visa(id: &str, expiry: YearMonth) -> SavedMethod {
        let kind = MethodKind::card(
            Some("visa"),
            Some("************4242"),
            Some(expiry),
            NOV_2026,
        );
        method(id, kind)
    }

    #[test]
    fn a_card_is_good_until_the_end_of_its_expiry_month() {
        let this_month = visa("a", NOV_2026);
        let last_month = visa("b", YearMonth::new(2026, 10).unwrap());
        assert!(this_month.is_usable());
        assert!(!last_month.is_usable());
        assert!(method("c", MethodKind::card(None, None, None, NOV_2026)).is_usable());
    }

    #[test]
    fn labels_show_only_the_last_digits_and_names() {
        let voucher = SavedMethod {
            gateway_id: Some("edenred".into()),
            gateway_name: Some("Edenred".into()),
            ..method("v", MethodKind::Account)
        };
        let sepa = method(
            "s",
            MethodKind::direct_debit(Some("IT60X0542811101000000123456")),
        );
        let labels = [visa("c", NOV_2026).label(), voucher.label(), sepa.label()];
        assert_eq!(labels, ["Visa •••• 4242", "Edenred", "SEPA •••• 3456"]);
        assert!(voucher.is_meal_voucher());
        assert!(!sepa.is_meal_voucher());
    }
}
