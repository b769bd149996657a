//! Amounts of money in minor units (cents of EUR), and how shoppers read them.

use super::Lang;

/// `790` is `7,90 €` in Italian and `€7.90` in English.
pub fn format_eur(minor_units: i64, lang: Lang) -> String {
    let sign = if minor_units < 0 { "-" } else { "" };
    let units = minor_units.unsigned_abs();
    let (whole, cents) = (units / 100, units % 100);
    let separator = match lang {
        Lang::It => '.',
        Lang::En => ',',
    };
    let whole = group_thousands(whole, separator);
    match lang {
        Lang::It => format!("{sign}{whole},{cents:02} €"),
        Lang::En => format!("{sign}€{whole}.{cents:02}"),
    }
}

fn group_thousands(value: u64, separator: char) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_read_the_way_each_language_writes_them() {
        assert_eq!(format_eur(790, Lang::It), "7,90 €");
        assert_eq!(format_eur(790, Lang::En), "€7.90");
        assert_eq!(format_eur(123_456_789, Lang::It), "1.234.567,89 €");
        assert_eq!(format_eur(123_456_789, Lang::En), "€1,234,567.89");
        assert_eq!(format_eur(-5, Lang::En), "-€0.05");
    }

    proptest! {
        #[test]
        fn the_digits_of_any_amount_survive_formatting(amount in 0i64..i64::MAX) {
            let digits: String = format_eur(amount, Lang::It).chars().filter(char::is_ascii_digit).collect();
            let expected = amount.to_string();
            prop_assert_eq!(digits.trim_start_matches('0'), expected.trim_start_matches('0'));
        }
    }
}
