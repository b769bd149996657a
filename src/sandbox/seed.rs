//! Demo data written at every start: the merchant's gateways, Mario Rossi with four saved
//! methods (one card expired) and Luca Verdi with none. Customers and methods are INSERT OR
//! IGNORE, so rows a user changed or deleted stay as they are; the gateways are configuration
//! and are rewritten.
//!
//! Gateway `type` is openapi.yaml's integer enum (0, 1, 2), whose meaning the documents do not
//! give: the sandbox uses [`CARDS`], [`MEAL_VOUCHERS`] and [`OTHER`]. `isActive: false` gateways
//! are listed only with `All=true`.

use rusqlite::{Connection, TransactionBehavior};

use super::demo;
use super::store::{self, Customer};
use super::wire::{CreditCard, DirectDebit, Gateway, MerchantConfiguration, PaymentMethod};

pub const CARDS: i32 = 0;
pub const MEAL_VOUCHERS: i32 = 1;
pub const OTHER: i32 = 2;

/// Id, name, type, `paymentAction`, active.
const GATEWAYS: &[(&str, &str, i32, &str, bool)] = &[
    ("card", "Carta di credito", CARDS, "DROPIN", true),
    ("edenred", "Edenred", MEAL_VOUCHERS, "OTP", true),
    ("pluxee", "Pluxee", MEAL_VOUCHERS, "OTP", true),
    ("sepa", "Addebito SEPA", OTHER, "DROPIN", true),
    ("satispay", "Satispay", OTHER, "REDIRECT", true),
    ("paypal", "PayPal", OTHER, "REDIRECT", false),
];

/// Whether a gateway captures at the checkout: "Meal voucher Payment gateways do not support
/// two-step process, and neither do the wallet, the prepaid quota and a few providers — Satispay,
/// SumUp and Adyen among them" (payments-lifecycle.md).
pub fn captures_at_checkout(gateway_id: &str) -> bool {
    is_meal_voucher(gateway_id) || matches!(gateway_id, "satispay" | "wallet")
}

pub fn is_meal_voucher(gateway_id: &str) -> bool {
    GATEWAYS
        .iter()
        .any(|(id, _, kind, _, _)| *id == gateway_id && *kind == MEAL_VOUCHERS)
}

const MARIO_EMAIL: &str = "mario.rossi@example.com";
const MARIO_NAME: &str = "Mario Rossi";

pub fn seed(conn: &mut Connection) -> anyhow::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (position, (id, name, kind, action, active)) in (0i64..).zip(GATEWAYS) {
        let gateway = Gateway {
            id: (*id).to_owned(),
            name: (*name).to_owned(),
            kind: *kind,
            payment_action: (*action).to_owned(),
            is_active: *active,
            merchant_configuration: MerchantConfiguration {
                default_payment_gateway_id: Some("card".into()),
                is_fallback: *id == "card",
            },
            ..Default::default()
        };
        store::insert_gateway(&tx, position, &gateway)?;
    }
    for (id, first_name, last_name, email) in [
        (demo::MARIO_CUSTOMER_ID, "Mario", "Rossi", MARIO_EMAIL),
        (
            demo::LUCA_CUSTOMER_ID,
            "Luca",
            "Verdi",
            "luca.verdi@example.com",
        ),
    ] {
        let customer = Customer {
            id: id.into(),
            first_name: first_name.into(),
            last_name: last_name.into(),
            email: email.into(),
        };
        store::insert_customer(&tx, &customer)?;
    }
    let (this_year, _) = super::card::this_month();
    // Newest first is the listing order: the Visa is saved last so that it heads the list.
    for method in mario_methods(this_year + 4).into_iter().rev() {
        store::insert_method(&tx, demo::MARIO_CUSTOMER_ID, &method)?;
    }
    tx.commit()?;
    Ok(())
}

fn mario_methods(visa_expiry_year: i32) -> [PaymentMethod; 4] {
    let method = |id: &str, gateway: &str| PaymentMethod {
        id: id.into(),
        payment_gateway_id: gateway.into(),
        holder_email: Some(MARIO_EMAIL.into()),
        holder_name: Some(MARIO_NAME.into()),
        credit_card: None,
        direct_debit: None,
    };
    let card = |brand: &str, last4: &str, month: i32, year: i32| CreditCard {
        brand: brand.into(),
        pan: format!("************{last4}"),
        expiration: format!("{month:02}/{year}"),
        expiration_month: month,
        expiration_year: year,
        product: "credit".into(),
    };
    [
        PaymentMethod {
            credit_card: Some(card("visa", "4242", 12, visa_expiry_year)),
            ..method("9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01", "card")
        },
        PaymentMethod {
            credit_card: Some(card("mastercard", "4444", 3, 2023)),
            ..method("9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a02", "card")
        },
        method("9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a03", "edenred"),
        PaymentMethod {
            direct_debit: Some(DirectDebit {
                account_id: "mandate-mario-rossi-0001".into(),
                account_bic: "BPMOIT22XXX".into(),
                account_iban: "IT60X0542811101000000123456".into(),
            }),
            ..method("9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a04", "sepa")
        },
    ]
}
