//! A saved payment method as the profile shows it, derived from what Voucherly returns: card
//! numbers and IBANs reduced to their last digits, expiry worked out against today.

use std::collections::HashMap;

use crate::voucherly::types::{CreditCard, PaymentMethod};

/// Voucherly's methods as the shopper reads them, each named by its gateway's name when known
/// (else by the gateway's id).
pub fn saved_methods(
    methods: &[PaymentMethod],
    gateway_names: &HashMap<String, String>,
    today: YearMonth,
) -> Vec<SavedMethod> {
    methods
        .iter()
        .map(|method| {
            let gateway_name = method
                .payment_gateway_id
                .as_ref()
                .map(|id| gateway_names.get(id).cloned().unwrap_or_else(|| id.clone()));
            SavedMethod::from_voucherly(method, gateway_name, today)
        })
        .collect()
}

/// A calendar month, for card expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    pub month: u8,
}

impl YearMonth {
    pub fn current() -> Self {
        let today = time::OffsetDateTime::now_utc();
        Self {
            year: today.year(),
            month: u8::from(today.month()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodKind {
    Card {
        brand: Option<String>,
        last_digits: Option<String>,
        /// `MM/YYYY`, when Voucherly says.
        expiry: Option<String>,
        expired: bool,
    },
    DirectDebit {
        masked_iban: Option<String>,
    },
    /// A voucher or wallet account with neither card nor IBAN: known by its gateway.
    Account,
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
    pub fn from_voucherly(
        method: &PaymentMethod,
        gateway_name: Option<String>,
        today: YearMonth,
    ) -> Self {
        let kind = match (&method.credit_card, &method.direct_debit) {
            (Some(card), _) => card_kind(card, today),
            (None, Some(debit)) => MethodKind::DirectDebit {
                masked_iban: debit.account_iban.as_deref().map(mask_iban),
            },
            (None, None) => MethodKind::Account,
        };
        Self {
            id: method.id.clone(),
            gateway_id: method.payment_gateway_id.clone(),
            gateway_name,
            holder_name: method
                .holder_name
                .clone()
                .filter(|name| !name.trim().is_empty()),
            kind,
        }
    }

    /// Whether it can pay today: everything but an expired card.
    pub fn is_usable(&self) -> bool {
        !matches!(self.kind, MethodKind::Card { expired: true, .. })
    }
}

fn card_kind(card: &CreditCard, today: YearMonth) -> MethodKind {
    let expiry = expiry_of(card);
    MethodKind::Card {
        brand: card
            .brand
            .as_deref()
            .map(str::trim)
            .filter(|brand| !brand.is_empty())
            .map(brand_name),
        last_digits: card.pan.as_deref().and_then(last_four_digits),
        expiry: expiry.map(|e| format!("{:02}/{}", e.month, e.year)),
        // A card is good until the last day of its expiry month.
        expired: expiry.is_some_and(|e| e < today),
    }
}

fn expiry_of(card: &CreditCard) -> Option<YearMonth> {
    let from_fields = match (card.expiration_month, card.expiration_year) {
        (Some(month), Some(year)) => year_month(year, month),
        _ => None,
    };
    from_fields.or_else(|| card.expiration.as_deref().and_then(parse_expiration))
}

/// Reads `MM/YY`, `MM/YYYY` or `YYYY-MM`.
fn parse_expiration(text: &str) -> Option<YearMonth> {
    let text = text.trim();
    if let Some((month, year)) = text.split_once('/') {
        return year_month(year.trim().parse().ok()?, month.trim().parse().ok()?);
    }
    let (year, month) = text.split_once('-')?;
    year_month(year.trim().parse().ok()?, month.trim().parse().ok()?)
}

fn year_month(year: i32, month: i32) -> Option<YearMonth> {
    let year = if (0..100).contains(&year) {
        2000 + year
    } else {
        year
    };
    let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    Some(YearMonth { year, month })
}

/// The last four digits of a card number, however Voucherly masked the rest. Nothing else of
/// the number is kept, even if an unmasked number ever came through.
fn last_four_digits(pan: &str) -> Option<String> {
    let digits: Vec<char> = pan.chars().filter(char::is_ascii_digit).collect();
    let tail = digits.get(digits.len().checked_sub(4)?..)?;
    pan.trim_end()
        .ends_with(|c: char| c.is_ascii_digit())
        .then(|| tail.iter().collect())
}

/// `IT60X0542811101000000123456` becomes `IT60 •••• 3456`.
pub fn mask_iban(iban: &str) -> String {
    let compact: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 8 {
        return "••••".into();
    }
    let head: String = compact[..4].iter().collect();
    let tail: String = compact[compact.len() - 4..].iter().collect();
    format!("{head} •••• {tail}")
}

/// A card brand as shoppers read it: Voucherly writes them in lower case (`visa`, `amex`).
fn brand_name(brand: &str) -> String {
    match brand.to_ascii_lowercase().as_str() {
        "visa" => "Visa".to_owned(),
        "mastercard" => "Mastercard".to_owned(),
        "maestro" => "Maestro".to_owned(),
        _ => {
            let mut chars = brand.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn card_brands_read_as_shoppers_know_them() {
        let names: Vec<String> = ["visa", "MASTERCARD", "amex", "diners"]
            .into_iter()
            .map(brand_name)
            .collect();
        assert_eq!(names, ["Visa", "Mastercard", "Amex", "Diners"]);
    }

    const NOV_2026: YearMonth = YearMonth {
        year: 2026,
        month: 11,
    };

    fn card(pan: &str, month: Option<i32>, year: Option<i32>, text: Option<&str>) -> PaymentMethod {
        PaymentMethod {
            id: "pm".into(),
            credit_card: Some(CreditCard {
                brand: Some("Visa".into()),
                pan: Some(pan.into()),
                expiration: text.map(Into::into),
                expiration_month: month,
                expiration_year: year,
                product: None,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_card_is_good_until_the_end_of_its_expiry_month() {
        let this_month =
            SavedMethod::from_voucherly(&card("4242", Some(11), Some(2026), None), None, NOV_2026);
        let last_month =
            SavedMethod::from_voucherly(&card("4242", Some(10), Some(2026), None), None, NOV_2026);
        assert!(this_month.is_usable());
        assert!(!last_month.is_usable());
    }

    #[test]
    fn expiry_text_is_read_when_the_fields_are_missing() {
        for (text, expired) in [
            ("03/23", true),
            ("12/2030", false),
            ("2026-11", false),
            ("nonsense", false),
        ] {
            let method =
                SavedMethod::from_voucherly(&card("4242", None, None, Some(text)), None, NOV_2026);
            assert_eq!(!method.is_usable(), expired, "{text}");
        }
    }

    #[test]
    fn only_the_last_four_digits_of_a_card_are_kept() {
        let method = SavedMethod::from_voucherly(
            &card("4111111111111111", Some(1), Some(2030), None),
            None,
            NOV_2026,
        );
        assert!(
            matches!(method.kind, MethodKind::Card { last_digits: Some(ref d), .. } if d == "1111")
        );
        let masked = SavedMethod::from_voucherly(
            &card("************4242", Some(1), Some(2030), None),
            None,
            NOV_2026,
        );
        assert!(
            matches!(masked.kind, MethodKind::Card { last_digits: Some(ref d), .. } if d == "4242")
        );
    }

    #[test]
    fn ibans_show_country_check_digits_and_last_four() {
        assert_eq!(mask_iban("IT60X0542811101000000123456"), "IT60 •••• 3456");
        assert_eq!(
            mask_iban("IT60 X054 2811 1010 0000 0123 456"),
            "IT60 •••• 3456"
        );
        assert_eq!(mask_iban("IT6"), "••••");
    }

    proptest! {
        #[test]
        fn a_masked_iban_never_shows_more_than_eight_of_its_characters(iban in "[A-Z]{2}[0-9]{2}[A-Z0-9]{4,30}") {
            let masked = mask_iban(&iban);
            let shown = masked.chars().filter(|c| c.is_ascii_alphanumeric()).count();
            prop_assert!(shown <= 8);
        }

        #[test]
        fn card_masking_never_panics(pan in "\\PC{0,40}") {
            let _ = SavedMethod::from_voucherly(&card(&pan, None, None, Some(&pan)), None, NOV_2026);
        }
    }
}
