//! The fiscal receipts the sandbox issues (openapi.yaml tag `receipt`: "a fiscal document issued
//! for a Payment, either a sale or a void/refund"), as Voucherly serves them from
//! `GET v1/payments/{id}/receipt` and `/refund_receipt`: a PDF with the store's name, the date
//! in Italian time, the lines, the amounts and the method. In Italian, as an Italian
//! "documento commerciale" is. A sale receipt exists once the payment is paid, a refund receipt
//! once it is refunded; before that Voucherly answers 404.

use time::OffsetDateTime;
use time::macros::format_description;

use super::pdf::{self, Line};
use super::wire::{Gateway, Payment, Status, Transaction, TxStatus};
use crate::domain::{format_eur, in_italy};
use crate::i18n::Lang;

/// The sandbox merchant's store, as its receipts name it (the demo store's name).
pub const STORE_NAME: &str = "Negozio demo";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sale,
    Refund,
}

impl Kind {
    /// Whether Voucherly has issued this receipt of `payment` yet.
    pub fn issued_for(self, payment: &Payment) -> bool {
        match self {
            Self::Sale => matches!(
                payment.status,
                Status::Paid | Status::Confirmed | Status::Refunded
            ),
            Self::Refund => payment.status == Status::Refunded,
        }
    }

    /// The file name Voucherly suggests.
    pub fn file_name(self, payment: &Payment) -> String {
        let id: String = payment
            .id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        match self {
            Self::Sale => format!("receipt-{id}.pdf"),
            Self::Refund => format!("refund-receipt-{id}.pdf"),
        }
    }
}

/// The receipt's PDF; `at` is when the sale (or the refund) happened.
pub fn pdf(kind: Kind, payment: &Payment, gateways: &[Gateway], at: OffsetDateTime) -> Vec<u8> {
    let money = |cents: i64| format_eur(cents, Lang::It);
    let title = match kind {
        Kind::Sale => "Documento commerciale di vendita",
        Kind::Refund => "Documento commerciale di reso o annullamento",
    };
    let date = in_italy(at)
        .format(format_description!("[day]/[month]/[year] [hour]:[minute]"))
        .unwrap_or_default();
    let mut lines = vec![
        Line::title(STORE_NAME),
        Line::new(title).bold(),
        Line::new(format!("Data: {date}")),
        Line::new(format!("Pagamento Voucherly: {}", payment.id)),
        Line::new(""),
    ];
    for line in payment.lines.iter().flatten() {
        lines.push(
            Line::new(format!("{} × {}", line.quantity, line.product_name))
                .with_amount(money(line.final_amount)),
        );
    }
    for discount in payment.discounts.iter().flatten() {
        lines.push(
            Line::new(format!("Sconto: {}", discount.discount_name))
                .with_amount(money(-discount.amount)),
        );
    }
    lines.push(Line::new(""));
    lines.push(
        Line::new("Totale")
            .bold()
            .with_amount(money(payment.final_amount)),
    );
    if payment.paid_voucher_amount > 0 {
        lines.push(
            Line::new("di cui con buoni pasto").with_amount(money(payment.paid_voucher_amount)),
        );
    }
    if kind == Kind::Refund {
        let refunded = refunded(payment);
        lines.push(
            Line::new("Importo reso")
                .bold()
                .with_amount(money(refunded)),
        );
    }
    lines.push(Line::new(""));
    for tx in payment.transactions.iter().flatten().filter(|tx| held(tx)) {
        lines.push(
            Line::new(format!("Metodo: {}", method(tx, gateways))).with_amount(money(tx.amount)),
        );
    }
    lines.push(Line::new(""));
    lines.push(Line::new(
        "Sandbox Voucherly: documento di prova, senza valore fiscale.",
    ));
    pdf::document(title, &lines)
}

/// What was given back: the transactions' refunds, or all of it when none is itemised.
fn refunded(payment: &Payment) -> i64 {
    let itemised: i64 = payment
        .transactions
        .iter()
        .flatten()
        .map(|tx| tx.refunded_amount)
        .sum();
    if itemised > 0 {
        itemised
    } else {
        payment.final_amount
    }
}

/// A transaction that took (or held) the shopper's money.
fn held(tx: &Transaction) -> bool {
    matches!(
        tx.status,
        TxStatus::Paid
            | TxStatus::Confirmed
            | TxStatus::Refunded
            | TxStatus::RefundedPartially
            | TxStatus::ImpossibleRefund
            | TxStatus::Cancelled
    ) && tx.amount > 0
}

/// The gateway's name, with the card's brand and last four digits when it was a card.
fn method(tx: &Transaction, gateways: &[Gateway]) -> String {
    let gateway = gateways
        .iter()
        .find(|g| g.id == tx.payment_gateway_id)
        .map_or(tx.payment_gateway_id.as_str(), |g| g.name.as_str());
    match &tx.credit_card {
        Some(card) => {
            let last4 = card
                .pan
                .get(card.pan.len().saturating_sub(4)..)
                .unwrap_or("");
            format!("{gateway} {} •••• {last4}", capitalised(&card.brand))
        }
        None => gateway.to_owned(),
    }
}

/// `visa` as `Visa`, the way a brand is printed.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
