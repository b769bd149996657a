//! Which of Voucherly's two descriptions the sandbox follows where they disagree, and whether it
//! refuses what the current request schema does not list.
//!
//! Sources: the documentation repository's `static/download/openapi.yaml` ([`Dialect::Docs`])
//! and the copy in the .NET SDK, `spec/openapi.yaml` ([`Dialect::Sdk`]), as
//! `shared/voucherly-api.md` ("Open questions") lists their differences: `length`/`start` on
//! `payment_methods` (declared by the SDK's only), the refund's `asCredit` (docs) or
//! `refundMode` (SDK), a gateway's `type` as an integer (docs) or a string (SDK), `mode` required
//! (SDK). The legacy names are those the official PHP SDK still sends: flat line fields
//! (`productName`, `isFood`, line `taxRate`…), `product.isFood`, `selectedPaymentGateway`,
//! `paymentGateways`, `isPartialPayment`.

use super::error::ApiError;
use super::wire::NewPayment;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    /// The documentation repository's spec, which wins where the two disagree.
    #[default]
    Docs,
    /// The spec copy in Voucherly's .NET SDK.
    Sdk,
}

impl Dialect {
    /// A gateway's `type`: the docs' integers (0 card, 1 voucher, 2 other), or the SDK's names.
    pub fn gateway_type(self, kind: i32) -> serde_json::Value {
        match (self, kind) {
            (Self::Docs, kind) => kind.into(),
            (Self::Sdk, 0) => "CC".into(),
            (Self::Sdk, 1) => "MealVoucher".into(),
            (Self::Sdk, _) => "Other".into(),
        }
    }

    /// The refund field this dialect's schema has not: `refundMode` in the docs, `asCredit` in
    /// the SDK's spec.
    pub fn foreign_refund_field(self) -> &'static str {
        match self {
            Self::Docs => "RefundMode",
            Self::Sdk => "AsCredit",
        }
    }
}

/// The checks of a `POST v1/payments` body that depend on the dialect and on strictness.
pub fn check_new_payment(
    request: &NewPayment,
    dialect: Dialect,
    strict: bool,
) -> Result<(), ApiError> {
    if dialect == Dialect::Sdk && request.mode.is_none() {
        return Err(ApiError::validation("Mode", "mode is required"));
    }
    match legacy_field(request) {
        Some(parameter) if strict => Err(ApiError::validation(
            &parameter,
            format!(
                "{parameter} is not in the current request schema (the sandbox is strict): \
                 send lines as quantity, unitAmount and product {{name, lineType, ...}}"
            ),
        )),
        _ => Ok(()),
    }
}

/// The first legacy field the request uses, named as the API names parameters.
pub fn legacy_field(request: &NewPayment) -> Option<String> {
    let top = [
        (
            "SelectedPaymentGateway",
            request.selected_payment_gateway.is_some(),
        ),
        ("PaymentGateways", request.payment_gateways.is_some()),
        ("IsPartialPayment", request.is_partial_payment.is_some()),
    ];
    if let Some((name, _)) = top.iter().find(|(_, used)| *used) {
        return Some((*name).to_owned());
    }
    let lines = request.lines.as_deref().unwrap_or_default();
    lines.iter().enumerate().find_map(|(index, line)| {
        let flat = [
            ("TaxRate", line.tax_rate.is_some()),
            ("PriceId", line.price_id.is_some()),
            ("ProductName", line.product_name.is_some()),
            ("ProductVariant", line.product_variant.is_some()),
            ("ProductDescription", line.product_description.is_some()),
            ("ProductImage", line.product_image.is_some()),
            ("IsFood", line.is_food.is_some()),
            (
                "Product.IsFood",
                line.product.as_ref().is_some_and(|p| p.is_food.is_some()),
            ),
        ];
        let (name, _) = flat.iter().find(|(_, used)| *used)?;
        Some(format!("Lines[{index}].{name}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: serde_json::Value) -> NewPayment {
        serde_json::from_value(body).expect("a request")
    }

    #[test]
    fn legacy_fields_are_named_and_refused_only_when_strict() {
        let flat = request(serde_json::json!({"mode": "Payment", "lines": [
            {"quantity": 1, "unitAmount": 100, "product": {"name": "Pane", "lineType": "Food"}},
            {"quantity": 1, "unitAmount": 100, "productName": "Pane", "isFood": true}
        ]}));
        assert_eq!(legacy_field(&flat).as_deref(), Some("Lines[1].ProductName"));
        assert!(check_new_payment(&flat, Dialect::Docs, false).is_ok());
        assert!(matches!(
            check_new_payment(&flat, Dialect::Docs, true),
            Err(ApiError::Invalid { code: "VALIDATION_ERROR", parameter: Some(p), .. })
                if p == "Lines[1].ProductName"
        ));
        let nested = request(serde_json::json!({"lines": [
            {"quantity": 1, "unitAmount": 100, "product": {"name": "Pane", "isFood": true}}
        ]}));
        assert_eq!(
            legacy_field(&nested).as_deref(),
            Some("Lines[0].Product.IsFood")
        );
        let partial = request(serde_json::json!({"isPartialPayment": true}));
        assert_eq!(legacy_field(&partial).as_deref(), Some("IsPartialPayment"));
    }

    #[test]
    fn the_sdk_dialect_requires_a_mode_and_names_gateway_types() {
        let modeless = request(serde_json::json!({}));
        assert!(check_new_payment(&modeless, Dialect::Docs, true).is_ok());
        assert!(check_new_payment(&modeless, Dialect::Sdk, false).is_err());
        assert_eq!(Dialect::Docs.gateway_type(1), serde_json::json!(1));
        assert_eq!(Dialect::Sdk.gateway_type(1), "MealVoucher");
        assert_eq!(Dialect::Sdk.gateway_type(0), "CC");
    }
}
