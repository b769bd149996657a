//! What a saved method shows of a card or an account: the expiry month, the last digits, the
//! brand as shoppers know it, an IBAN masked down to its ends.

/// A calendar month, for card expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    pub month: u8,
}

impl YearMonth {
    /// The month (UTC) of `unix` seconds since the epoch.
    pub fn at(unix: i64) -> Self {
        let at = time::OffsetDateTime::from_unix_timestamp(unix)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        Self {
            year: at.year(),
            month: u8::from(at.month()),
        }
    }

    /// A month from a year (two digits mean this century) and a month number, if it is one.
    pub fn new(year: i32, month: i32) -> Option<Self> {
        let year = if (0..100).contains(&year) {
            2000 + year
        } else {
            year
        };
        let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        Some(Self { year, month })
    }

    /// Reads `MM/YY`, `MM/YYYY` or `YYYY-MM`.
    pub fn parse_expiration(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some((month, year)) = text.split_once('/') {
            return Self::new(year.trim().parse().ok()?, month.trim().parse().ok()?);
        }
        let (year, month) = text.split_once('-')?;
        Self::new(year.trim().parse().ok()?, month.trim().parse().ok()?)
    }
}

/// The last four digits of a card number, however it was masked. Nothing else of the number is
/// kept, even if an unmasked number ever came through.
pub(super) fn last_four_digits(pan: &str) -> Option<String> {
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
pub(super) fn brand_name(brand: &str) -> String {
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

    #[test]
    fn expiry_text_is_read_in_three_forms() {
        let read = |text| YearMonth::parse_expiration(text).map(|e| (e.year, e.month));
        assert_eq!(read("03/23"), Some((2023, 3)));
        assert_eq!(read("12/2030"), Some((2030, 12)));
        assert_eq!(read("2026-11"), Some((2026, 11)));
        assert_eq!(read("13/2030"), None);
        assert_eq!(read("nonsense"), None);
    }

    #[test]
    fn a_month_is_read_from_an_instant() {
        // 2026-11-30T23:59:59Z
        assert_eq!(
            YearMonth::at(1_796_083_199),
            YearMonth {
                year: 2026,
                month: 11
            }
        );
    }

    #[test]
    fn only_the_last_four_digits_of_a_card_are_kept() {
        assert_eq!(
            last_four_digits("4111111111111111").as_deref(),
            Some("1111")
        );
        assert_eq!(
            last_four_digits("************4242").as_deref(),
            Some("4242")
        );
        assert_eq!(last_four_digits("4242 ****"), None);
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
            let _ = last_four_digits(&pan);
            let _ = YearMonth::parse_expiration(&pan);
        }
    }
}
