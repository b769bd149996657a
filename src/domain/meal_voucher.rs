//! Meal vouchers (buoni pasto) pay food only: which saved methods are meal vouchers, and how
//! much of an order they may pay.

/// Issuers of Italian meal vouchers, as their gateway ids or names read. Voucherly's gateway
/// `type` is an integer whose meaning its documentation does not give, so the issuer decides.
const ISSUERS: [&str; 8] = [
    "edenred",
    "pluxee",
    "sodexo",
    "day",
    "up ",
    "yes ticket",
    "buono pasto",
    "buoni pasto",
];

/// Whether a gateway (by its id or name) is a meal-voucher issuer: an issuer's name starts a word
/// of it, in any case. Every page lists the saved methods through this, so it allocates nothing.
pub fn is_meal_voucher(gateway_id: Option<&str>, gateway_name: Option<&str>) -> bool {
    [gateway_id, gateway_name]
        .into_iter()
        .flatten()
        .any(|text| names_an_issuer(text.trim().as_bytes()))
}

fn names_an_issuer(text: &[u8]) -> bool {
    (0..text.len())
        .filter(|&at| at == 0 || text[at - 1] == b' ')
        .any(|at| ISSUERS.iter().any(|issuer| starts_at(text, at, issuer)))
}

/// Whether `word` is in `text` at `at`, ignoring ASCII case; the end of `text` reads as a space
/// (so "up " matches "Up" at the end).
fn starts_at(text: &[u8], at: usize, word: &str) -> bool {
    word.bytes().enumerate().all(|(i, expected)| {
        let found = match text.get(at + i) {
            Some(byte) => byte.to_ascii_lowercase(),
            None if at + i == text.len() => b' ',
            None => return false,
        };
        found == expected
    })
}

/// The share of an order meal vouchers may pay: its food lines, lowered in proportion by the
/// order's own discounts (so `food ≤ final`). `lines` are (line amount, is food).
pub fn food_share(lines: &[(i64, bool)], final_amount: i64) -> i64 {
    let all: i128 = lines.iter().map(|(amount, _)| i128::from(*amount)).sum();
    let food: i128 = lines
        .iter()
        .filter(|(_, is_food)| *is_food)
        .map(|(amount, _)| i128::from(*amount))
        .sum();
    if all <= 0 {
        return 0;
    }
    let share = food * i128::from(final_amount.max(0)) / all;
    i64::try_from(share).unwrap_or(0).min(final_amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn issuers_are_known_by_id_or_name_and_cards_are_not_vouchers() {
        assert!(is_meal_voucher(Some("edenred"), None));
        assert!(is_meal_voucher(Some("gw_17"), Some("Pluxee")));
        assert!(is_meal_voucher(None, Some("Day Ristoservice")));
        assert!(!is_meal_voucher(Some("card"), Some("Carta di credito")));
        assert!(!is_meal_voucher(Some("sepa"), Some("Addebito SEPA")));
        assert!(!is_meal_voucher(Some("satispay"), Some("Satispay")));
        assert!(!is_meal_voucher(None, Some("Sunday market")));
    }

    #[test]
    fn the_food_share_follows_the_order_discounts() {
        // 15,00 of pizza and 4,00 of tiramisù, 2,00 off the whole order: all food.
        assert_eq!(food_share(&[(1500, true), (400, true)], 1700), 1700);
        // Headphones only: nothing for vouchers.
        assert_eq!(food_share(&[(4990, false)], 4990), 0);
        // Half food, 10,00 off 40,00: vouchers pay half of 30,00.
        assert_eq!(food_share(&[(2000, true), (2000, false)], 3000), 1500);
    }

    #[test]
    fn an_issuer_must_start_a_word() {
        assert!(is_meal_voucher(Some("  Up Day "), None));
        assert!(is_meal_voucher(None, Some("Buoni Pasto Yes Ticket")));
        assert!(is_meal_voucher(None, Some("buoni up")));
        assert!(!is_meal_voucher(None, Some("startup")));
        assert!(!is_meal_voucher(None, Some("upgrade")));
        assert!(!is_meal_voucher(None, Some("holidays")));
        assert!(!is_meal_voucher(Some(""), Some("   ")));
    }

    /// The first version, which lowercased a copy: the one above must agree with it.
    fn is_meal_voucher_by_copy(text: &str) -> bool {
        let text = format!("{} ", text.trim().to_lowercase());
        ISSUERS.iter().any(|issuer| {
            text.match_indices(issuer)
                .any(|(at, _)| at == 0 || text.as_bytes()[at - 1] == b' ')
        })
    }

    proptest! {
        #[test]
        fn finding_issuers_without_a_copy_agrees_with_the_copy(
            text in "( |[a-zA-Z]|edenred|Pluxee|day|UP|up |yes ticket|buoni pasto|é){0,8}",
        ) {
            prop_assert_eq!(is_meal_voucher(None, Some(&text)), is_meal_voucher_by_copy(&text));
        }

        #[test]
        fn the_food_share_is_never_more_than_the_order(
            lines in proptest::collection::vec((0i64..10_000_000, any::<bool>()), 0..20),
            off in 0i64..1_000_000,
        ) {
            let all: i64 = lines.iter().map(|(a, _)| a).sum();
            let final_amount = (all - off).max(1);
            let share = food_share(&lines, final_amount);
            prop_assert!((0..=final_amount).contains(&share));
        }
    }
}
