//! The saved methods a shopper may pay with, and the label a payment keeps of its method.

use std::collections::HashMap;

use crate::domain::{MethodKind, SavedMethod, YearMonth, is_meal_voucher, saved_methods};
use crate::state::AppState;
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::PaymentMethod;

/// A saved method offered for paying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    /// "Visa •••• 4242", "Edenred", "SEPA •••• 3456".
    pub label: String,
    /// A meal voucher: it pays food only.
    pub meal_voucher: bool,
}

/// Why the chosen method cannot pay.
pub enum Refusal {
    /// Not one of the shopper's usable methods.
    NotTheirs,
    /// Voucherly could not list the shopper's methods to check.
    Voucherly(VoucherlyError),
}

/// The saved method the form names, if it is one of the shopper's usable methods; `None` when
/// the shopper chooses at the checkout.
pub async fn chosen_method(
    state: &AppState,
    customer_id: Option<&str>,
    method_id: &str,
) -> Result<Option<Choice>, Refusal> {
    let method_id = method_id.trim();
    if method_id.is_empty() || method_id == "checkout" {
        return Ok(None);
    }
    let Some(customer_id) = customer_id else {
        return Err(Refusal::NotTheirs);
    };
    let (listed, names) = tokio::join!(
        state.voucherly.list_payment_methods(customer_id),
        state.gateway_names.get(&state.voucherly)
    );
    let listed = match listed {
        Ok(listed) => listed,
        Err(VoucherlyError::NotFound) => return Err(Refusal::NotTheirs),
        Err(error) => return Err(Refusal::Voucherly(error)),
    };
    usable(&listed, &names)
        .into_iter()
        .find(|choice| choice.id == method_id)
        .map(Some)
        .ok_or(Refusal::NotTheirs)
}

/// The methods that can pay today (expired cards left out), in Voucherly's order.
pub fn usable(methods: &[PaymentMethod], gateway_names: &HashMap<String, String>) -> Vec<Choice> {
    saved_methods(methods, gateway_names, YearMonth::current())
        .into_iter()
        .filter(SavedMethod::is_usable)
        .map(|method| Choice {
            label: label(&method),
            meal_voucher: is_meal_voucher(
                method.gateway_id.as_deref(),
                method.gateway_name.as_deref(),
            ),
            id: method.id,
        })
        .collect()
}

/// How a method reads in the payment history. Kept as text with the payment, so the history
/// still reads right after the method is removed; names only, so it suits either language.
pub fn label(method: &SavedMethod) -> String {
    match &method.kind {
        MethodKind::Card {
            brand, last_digits, ..
        } => {
            let brand = brand
                .clone()
                .or_else(|| method.gateway_name.clone())
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
        MethodKind::Account => method
            .gateway_name
            .clone()
            .or_else(|| method.gateway_id.clone())
            .unwrap_or_else(|| "Voucherly".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voucherly::types::{CreditCard, DirectDebit};

    fn names() -> HashMap<String, String> {
        HashMap::from([("edenred".to_owned(), "Edenred".to_owned())])
    }

    #[test]
    fn expired_cards_are_not_offered_and_labels_show_only_last_digits() {
        let card = |id: &str, year: i32| PaymentMethod {
            id: id.into(),
            payment_gateway_id: Some("card".into()),
            credit_card: Some(CreditCard {
                brand: Some("Visa".into()),
                pan: Some("************4242".into()),
                expiration_month: Some(12),
                expiration_year: Some(year),
                ..Default::default()
            }),
            ..Default::default()
        };
        let methods = [
            card("good", 2099),
            card("old", 2020),
            PaymentMethod {
                id: "voucher".into(),
                payment_gateway_id: Some("edenred".into()),
                ..Default::default()
            },
            PaymentMethod {
                id: "sepa".into(),
                direct_debit: Some(DirectDebit {
                    account_iban: Some("IT60X0542811101000000123456".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ];
        let labels: Vec<(String, String)> = usable(&methods, &names())
            .into_iter()
            .map(|c| (c.id, c.label))
            .collect();
        assert_eq!(
            labels,
            [
                ("good".into(), "Visa •••• 4242".into()),
                ("voucher".into(), "Edenred".into()),
                ("sepa".into(), "SEPA •••• 3456".into()),
            ]
        );
    }
}
