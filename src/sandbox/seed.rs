//! Demo data written at every start: the merchant's gateways, Mario Rossi with four saved
//! methods (one card expired) and Luca Verdi with none. INSERT OR IGNORE throughout, so rows a
//! user changed or deleted stay as they are.

use rusqlite::{Connection, TransactionBehavior};

use super::demo;
use super::store::{self, Customer};
use crate::voucherly::types::{
    CreditCard, DirectDebit, MerchantConfiguration, PaymentAction, PaymentGateway, PaymentMethod,
};

const GATEWAYS: &[(&str, &str, PaymentAction)] = &[
    ("card", "Carta di credito", PaymentAction::DropIn),
    ("edenred", "Edenred", PaymentAction::Otp),
    ("pluxee", "Pluxee", PaymentAction::Otp),
    ("sepa", "Addebito SEPA", PaymentAction::DropIn),
    ("satispay", "Satispay", PaymentAction::Redirect),
];

const MARIO_EMAIL: &str = "mario.rossi@example.com";
const MARIO_NAME: &str = "Mario Rossi";

pub fn seed(conn: &mut Connection) -> anyhow::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (position, (id, name, action)) in (0i64..).zip(GATEWAYS) {
        let gateway = PaymentGateway {
            id: (*id).to_owned(),
            name: Some((*name).to_owned()),
            payment_action: Some(action.clone()),
            is_active: Some(true),
            merchant_configuration: Some(MerchantConfiguration {
                default_payment_gateway_id: Some("card".into()),
                is_fallback: Some(*id == "card"),
            }),
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
    for method in mario_methods(this_year + 4) {
        store::insert_method(&tx, demo::MARIO_CUSTOMER_ID, &method)?;
    }
    tx.commit()?;
    Ok(())
}

fn mario_methods(visa_expiry_year: i32) -> [PaymentMethod; 4] {
    let method = |id: &str, gateway: &str| PaymentMethod {
        id: id.into(),
        payment_gateway_id: Some(gateway.into()),
        holder_email: Some(MARIO_EMAIL.into()),
        holder_name: Some(MARIO_NAME.into()),
        credit_card: None,
        direct_debit: None,
    };
    let card = |brand: &str, last4: &str, month: i32, year: i32| CreditCard {
        brand: Some(brand.into()),
        pan: Some(format!("************{last4}")),
        expiration: Some(format!("{month:02}/{year}")),
        expiration_month: Some(month),
        expiration_year: Some(year),
        product: Some("credit".into()),
    };
    [
        PaymentMethod {
            credit_card: Some(card("Visa", "4242", 12, visa_expiry_year)),
            ..method("9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01", "card")
        },
        PaymentMethod {
            credit_card: Some(card("Mastercard", "4444", 3, 2023)),
            ..method("9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a02", "card")
        },
        method("9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a03", "edenred"),
        PaymentMethod {
            direct_debit: Some(DirectDebit {
                account_id: Some("mandate-mario-rossi-0001".into()),
                account_bic: Some("BPMOIT22XXX".into()),
                account_iban: Some("IT60X0542811101000000123456".into()),
            }),
            ..method("9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a04", "sepa")
        },
    ]
}
