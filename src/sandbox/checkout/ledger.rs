//! What a finished checkout writes in the customer's wallet ledger (charge-wallet.md: a top-up
//! credits the wallet, a payment from it debits it): a `Wallet` payment paid at its checkout
//! credits what was paid, a top-up made during a purchase's checkout credits the top-up and the
//! purchase then debits what it took from the wallet. Credit loaded with meal vouchers is kept
//! apart (`voucherAmount`), since it pays `Food` lines only.

use rusqlite::Connection;

use super::decide::WALLET;
use crate::sandbox::store::payments::StoredPayment;
use crate::sandbox::store::wallet;
use crate::sandbox::wire::Mode;

pub fn book(
    conn: &Connection,
    paid: &StoredPayment,
    top_up: Option<&StoredPayment>,
    now: i64,
) -> anyhow::Result<()> {
    let Some(customer_id) = paid.payment.customer_id.as_deref() else {
        return Ok(());
    };
    let credits = top_up.into_iter().chain(
        // A top-up of its own (`mode: Wallet`) credits the wallet with what was paid.
        (paid.payment.mode == Mode::Wallet).then_some(paid),
    );
    for credit in credits {
        // Saving a method moves no money.
        for tx in credit
            .payment
            .transactions
            .iter()
            .flatten()
            .filter(|tx| tx.amount != 0)
        {
            let cash = tx.amount - tx.voucher_amount;
            let id = Some(tx.id.as_str());
            wallet::record(
                conn,
                customer_id,
                "WALLET",
                id,
                tx.voucher_amount,
                cash,
                now,
            )?;
        }
    }
    if paid.payment.mode == Mode::Payment {
        let from_wallet = paid.payment.transactions.iter().flatten();
        for tx in from_wallet.filter(|tx| tx.payment_gateway_id == WALLET) {
            let id = Some(tx.id.as_str());
            wallet::record(conn, customer_id, "PAYMENT", id, 0, -tx.amount, now)?;
        }
    }
    Ok(())
}
