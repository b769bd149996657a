//! Voucherly's saved methods (its wire type) read into the domain's [`SavedMethod`]s.

use std::collections::HashMap;

use crate::domain::{MethodKind, OwnedMethods, SavedMethod, YearMonth};
use crate::voucherly::types::{CreditCard, PaymentMethod};

/// Voucherly's methods as the shopper reads them, each named by its gateway's name when known
/// (else by the gateway's id), expiry worked out against `today`.
pub fn owned_methods(
    methods: &[PaymentMethod],
    gateway_names: &HashMap<String, String>,
    today: YearMonth,
) -> OwnedMethods {
    OwnedMethods::new(
        methods
            .iter()
            .map(|method| {
                let gateway_name = method
                    .payment_gateway_id
                    .as_ref()
                    .map(|id| gateway_names.get(id).cloned().unwrap_or_else(|| id.clone()));
                saved_method(method, gateway_name, today)
            })
            .collect(),
    )
}

fn saved_method(
    method: &PaymentMethod,
    gateway_name: Option<String>,
    today: YearMonth,
) -> SavedMethod {
    let kind = match (&method.credit_card, &method.direct_debit) {
        (Some(card), _) => MethodKind::card(
            card.brand.as_deref(),
            card.pan.as_deref(),
            expiry_of(card),
            today,
        ),
        (None, Some(debit)) => MethodKind::direct_debit(debit.account_iban.as_deref()),
        (None, None) => MethodKind::Account,
    };
    SavedMethod {
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

/// The expiry from its fields, else from its text.
fn expiry_of(card: &CreditCard) -> Option<YearMonth> {
    let from_fields = match (card.expiration_month, card.expiration_year) {
        (Some(month), Some(year)) => YearMonth::new(year, month),
        _ => None,
    };
    from_fields.or_else(|| {
        card.expiration
            .as_deref()
            .and_then(YearMonth::parse_expiration)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voucherly::types::DirectDebit;

    const NOV_2026: YearMonth = YearMonth {
        year: 2026,
        month: 11,
    };

    fn card(id: &str, month: Option<i32>, year: Option<i32>, text: Option<&str>) -> PaymentMethod {
        PaymentMethod {
            id: id.into(),
            payment_gateway_id: Some("card".into()),
            credit_card: Some(Box::new(CreditCard {
                brand: Some("visa".into()),
                pan: Some("************4242".into()),
                expiration: text.map(Into::into),
                expiration_month: month,
                expiration_year: year,
                product: None,
            })),
            ..Default::default()
        }
    }

    #[test]
    fn voucherly_methods_read_as_the_shopper_knows_them() {
        let methods = [
            card("good", Some(12), Some(2099), None),
            card("old", None, None, Some("03/23")),
            PaymentMethod {
                id: "voucher".into(),
                payment_gateway_id: Some("edenred".into()),
                holder_name: Some("  ".into()),
                ..Default::default()
            },
            PaymentMethod {
                id: "sepa".into(),
                direct_debit: Some(Box::new(DirectDebit {
                    account_iban: Some("IT60X0542811101000000123456".into()),
                    ..Default::default()
                })),
                ..Default::default()
            },
        ];
        let names = HashMap::from([("edenred".to_owned(), "Edenred".to_owned())]);
        let owned = owned_methods(&methods, &names, NOV_2026);
        let labels: Vec<(String, String)> = owned
            .choices()
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
        assert!(!owned.all()[1].is_usable());
        assert_eq!(owned.all()[2].holder_name, None);
        assert_eq!(owned.all()[0].gateway_name.as_deref(), Some("card"));
    }
}
