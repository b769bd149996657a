//! Forgiving readers for answer fields: Voucherly's answers may carry `null` where the contract
//! implies a value, or a number written as text, and one such field must not make a whole answer
//! unreadable.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::types::GatewayType;

/// `null` reads as the type's default.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A whole number given as a number or as text (`4`, `"04"`); anything else reads as absent.
pub fn loose_int<'de, D>(deserializer: D) -> Result<Option<i32>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// A gateway's `type`: the documentation's integers (`0` card, `1` meal voucher, `2` other) or
/// the SDK's strings; another integer is kept as its text, anything else reads as absent.
pub fn gateway_type<'de, D>(deserializer: D) -> Result<Option<GatewayType>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(n) => Some(match n.as_i64() {
            Some(0) => GatewayType::Card,
            Some(1) => GatewayType::MealVoucher,
            Some(2) => GatewayType::OtherKind,
            _ => GatewayType::Other(n.to_string()),
        }),
        Value::String(text) => Some(GatewayType::from(text)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use crate::voucherly::types::{Items, PaymentLine, PaymentMethod};

    #[test]
    fn nulls_read_as_defaults() {
        let line: PaymentLine = serde_json::from_str(
            r#"{"quantity": null, "productName": null, "isFood": null, "unitAmount": 100}"#,
        )
        .unwrap();
        assert_eq!(
            (line.quantity, line.product_name.as_str(), line.is_food),
            (0, "", None)
        );
        let empty: Items<PaymentMethod> = serde_json::from_str(r#"{"items": null}"#).unwrap();
        assert!(empty.items.is_empty());
    }

    #[test]
    fn expiry_numbers_may_come_as_text() {
        let method: PaymentMethod = serde_json::from_str(
            r#"{"id": "pm", "creditCard": {"expirationMonth": "04", "expirationYear": "x"}}"#,
        )
        .unwrap();
        let card = method.credit_card.unwrap();
        assert_eq!(
            (card.expiration_month, card.expiration_year),
            (Some(4), None)
        );
    }
}
