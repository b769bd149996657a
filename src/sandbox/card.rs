//! Cards typed into the checkout: Luhn check, brand guess, expiry, and masking. Only the masked
//! number (`************4242`) ever leaves this module; the full number is dropped here.

use super::wire::CreditCard;

/// A card the shopper typed, checked and already masked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCard {
    pub holder_name: String,
    pub card: CreditCard,
}

/// Why a typed card was refused; the checkout shows it in the shopper's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardProblem {
    MissingHolder,
    BadNumber,
    BadExpiry,
    Expired,
}

/// The month of "today", `(year, month)`, that expiry dates are compared against.
pub fn this_month() -> (i32, u8) {
    let today = time::OffsetDateTime::now_utc().date();
    (today.year(), u8::from(today.month()))
}

/// Checks a typed card against `today` (`(year, month)`).
pub fn check(
    holder_name: &str,
    number: &str,
    month: &str,
    year: &str,
    today: (i32, u8),
) -> Result<NewCard, CardProblem> {
    let holder_name = holder_name.trim();
    if holder_name.is_empty() {
        return Err(CardProblem::MissingHolder);
    }
    let digits: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !(12..=19).contains(&digits.len())
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !luhn(&digits)
    {
        return Err(CardProblem::BadNumber);
    }
    let month: u8 = month.trim().parse().map_err(|_| CardProblem::BadExpiry)?;
    let mut year: i32 = year.trim().parse().map_err(|_| CardProblem::BadExpiry)?;
    if (0..100).contains(&year) {
        year += 2000;
    }
    if !(1..=12).contains(&month) || !(2000..=2100).contains(&year) {
        return Err(CardProblem::BadExpiry);
    }
    if (year, month) < today {
        return Err(CardProblem::Expired);
    }
    Ok(NewCard {
        holder_name: holder_name.to_owned(),
        card: CreditCard {
            brand: brand(&digits).to_owned(),
            pan: mask(&digits),
            expiration: format!("{month:02}/{year}"),
            expiration_month: i32::from(month),
            expiration_year: year,
            product: "credit".to_owned(),
        },
    })
}

/// Whether a saved card's expiry month is over. A card without an expiry is taken as valid.
pub fn is_expired(card: &CreditCard, today: (i32, u8)) -> bool {
    match (card.expiration_year, card.expiration_month) {
        (0, _) | (_, 0) => false,
        (year, month) => (year, month) < (today.0, i32::from(today.1)),
    }
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 1, d * 2) {
                (true, doubled) if doubled > 9 => doubled - 9,
                (true, doubled) => doubled,
                (false, _) => d,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The brand, guessed from the first digits as a test gateway would, written as Voucherly
/// writes it: lower case (the official WooCommerce plugin shows `assets/images/cards/{brand}.png`
/// with `visa`, `mastercard`, `amex`, `maestro`, `discover`, `jcb`).
fn brand(digits: &str) -> &'static str {
    match digits.as_bytes() {
        [b'3', b'4' | b'7', ..] => "amex",
        [b'3', b'5', ..] => "jcb",
        [b'4', ..] => "visa",
        [b'2' | b'5', ..] => "mastercard",
        [b'6', b'7', ..] => "maestro",
        [b'6', ..] => "discover",
        _ => "default",
    }
}

fn mask(digits: &str) -> String {
    let keep = digits.len().saturating_sub(4);
    format!("{}{}", "*".repeat(keep), &digits[keep..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: (i32, u8) = (2025, 6);

    #[test]
    fn test_numbers_pass_and_are_stored_masked() -> Result<(), CardProblem> {
        let card = check(" Mario Rossi ", "4242 4242 4242 4242", "6", "25", TODAY)?;
        assert_eq!(card.holder_name, "Mario Rossi");
        assert_eq!(card.card.pan, "************4242");
        assert_eq!(card.card.brand, "visa");
        assert_eq!(card.card.expiration, "06/2025");
        let master = check("M", "5555-5555-5555-4444", "12", "2030", TODAY)?;
        assert_eq!(master.card.brand, "mastercard");
        let amex = check("M", "378282246310005", "12", "2030", TODAY)?;
        assert_eq!(amex.card.brand, "amex");
        Ok(())
    }

    #[test]
    fn bad_cards_are_refused_with_the_reason() {
        let refused = |name, number, month, year| check(name, number, month, year, TODAY);
        assert_eq!(
            refused("", "4242424242424242", "1", "2030"),
            Err(CardProblem::MissingHolder)
        );
        assert_eq!(
            refused("M", "4242424242424241", "1", "2030"),
            Err(CardProblem::BadNumber)
        );
        assert_eq!(
            refused("M", "42424242x4242424", "1", "2030"),
            Err(CardProblem::BadNumber)
        );
        assert_eq!(
            refused("M", "4242", "1", "2030"),
            Err(CardProblem::BadNumber)
        );
        assert_eq!(
            refused("M", "4242424242424242", "13", "2030"),
            Err(CardProblem::BadExpiry)
        );
        assert_eq!(
            refused("M", "4242424242424242", "5", "2025"),
            Err(CardProblem::Expired)
        );
    }

    #[test]
    fn a_card_expires_after_its_month() {
        let card = |year, month| CreditCard {
            expiration_year: year,
            expiration_month: month,
            ..Default::default()
        };
        assert!(!is_expired(&card(2025, 6), TODAY));
        assert!(is_expired(&card(2025, 5), TODAY));
        assert!(is_expired(&card(2023, 3), TODAY));
    }
}
