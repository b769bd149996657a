//! Turns stored payments and methods into what the pages show: amounts in the payment's
//! language, methods described by brand, masked number or gateway name, expired cards and
//! methods the payment does not offer disabled, and the split between meal vouchers and the
//! rest.
//!
//! The sums add up: each line shows its amount net of its own discount (and that discount),
//! then the payment's own discounts by name, then the total. The old page subtracted the line
//! discounts a second time (issue 11, item 5).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use super::Loaded;
use super::decide::{food_left, left_to_pay, offers};
use super::pages::{self, CheckoutPage, LineView, MethodView, ResultPage};
use super::texts::Texts;
use crate::domain::mask_iban;
use crate::sandbox::seed::{captures_at_checkout, is_meal_voucher};
use crate::sandbox::store::payments::StoredPayment;
use crate::sandbox::wire::{Gateway, Mode, PaymentMethod, TxStatus};
use crate::sandbox::{amounts, callback, card};

/// The `method` value of a gateway paid without a saved method.
pub const GATEWAY_PREFIX: &str = "gateway:";

/// What the shopper chose and typed, kept when the form is shown again after a refusal.
#[derive(Debug, Default)]
pub struct Typed {
    pub method: Option<String>,
    pub holder_name: String,
    pub expiry_month: String,
    pub expiry_year: String,
    pub save_card: bool,
}

pub fn checkout_page(
    loaded: &Loaded,
    action: String,
    error: Option<&'static str>,
    typed: &Typed,
) -> CheckoutPage {
    let t = loaded.texts();
    let (stored, payment) = (&loaded.stored, &loaded.stored.payment);
    let today = card::this_month();
    // Saving a method: a card, or a meal-voucher account; nothing else can be saved.
    let saving = super::decide::saves_a_method(stored);
    let mut methods: Vec<MethodView> = loaded
        .methods
        .iter()
        .map(|method| describe(t, stored, method, &loaded.gateways, today))
        .collect();
    methods.extend(
        loaded
            .gateways
            .iter()
            .filter(|gateway| gateway.is_active && captures_at_checkout(&gateway.id))
            .filter(|gateway| !saving || is_meal_voucher(&gateway.id))
            .map(|gateway| gateway_choice(t, stored, gateway)),
    );
    // The shopper's last choice, else the method the merchant asked for, else the first usable.
    let wanted = typed
        .method
        .as_deref()
        .or(stored.request.customer_payment_method_id.as_deref());
    let chosen = match wanted {
        Some(id) => methods.iter().position(|m| m.id == id && m.usable),
        None if saving => None,
        None => methods.iter().position(|m| m.usable),
    };
    if let Some(index) = chosen {
        methods[index].checked = true;
    }
    let new_card_checked = typed.method.as_deref() == Some(super::submit::NEW_CARD)
        || (chosen.is_none() && wanted.is_none());
    let lines = payment.lines.as_deref().unwrap_or_default();
    let food = amounts::food_amount(lines, payment.final_amount);
    let paid: Vec<(String, String)> = payment
        .transactions
        .iter()
        .flatten()
        .filter(|tx| matches!(tx.status, TxStatus::Paid | TxStatus::Confirmed))
        .map(|tx| {
            (
                gateway_name(&loaded.gateways, &tx.payment_gateway_id),
                t.money(tx.amount),
            )
        })
        .collect();
    let left = left_to_pay(stored);
    CheckoutPage {
        t,
        action,
        token: stored.token.clone(),
        reference: payment.reference_id.clone(),
        customer: loaded.customer_name.clone(),
        lines: lines
            .iter()
            .map(|line| LineView {
                name: line.product_name.clone(),
                quantity: line.quantity,
                amount: t.money(line.final_amount),
                discount: Some(line.quantity * line.unit_amount - line.final_amount)
                    .filter(|d| *d > 0)
                    .map(|d| t.money(d)),
            })
            .collect(),
        discounts: payment
            .discounts
            .iter()
            .flatten()
            .map(|d| (d.discount_name.clone(), t.money(d.amount)))
            .collect(),
        total: t.money(payment.final_amount),
        food: (food > 0).then(|| t.money(food)),
        left: (!paid.is_empty()).then(|| t.money(left)),
        paid,
        due: t.money(left),
        methods,
        new_card_checked,
        wallet: payment.mode == Mode::Payment,
        error,
        holder_name: typed.holder_name.clone(),
        expiry_month: typed.expiry_month.clone(),
        expiry_year: typed.expiry_year.clone(),
        save_card: typed.save_card,
    }
}

fn gateway_name(gateways: &[Gateway], id: &str) -> String {
    gateways
        .iter()
        .find(|g| g.id == id)
        .map_or_else(|| id.to_owned(), |g| g.name.clone())
}

/// A method's detail and whether it can pay now, for any gateway.
fn usability(t: &Texts, stored: &StoredPayment, gateway_id: &str) -> (Option<String>, bool) {
    if !offers(stored, gateway_id) {
        return (Some(t.not_offered.to_owned()), false);
    }
    if !is_meal_voucher(gateway_id) {
        return (None, true);
    }
    match food_left(stored).min(left_to_pay(stored)) {
        0 => (Some(t.no_food.to_owned()), false),
        food => (
            Some(format!("{} {}", t.meal_vouchers_up_to, t.money(food))),
            true,
        ),
    }
}

fn gateway_choice(t: &Texts, stored: &StoredPayment, gateway: &Gateway) -> MethodView {
    let (detail, usable) = usability(t, stored, &gateway.id);
    MethodView {
        id: format!("{GATEWAY_PREFIX}{}", gateway.id),
        label: gateway.name.clone(),
        detail,
        usable,
        checked: false,
    }
}

fn describe(
    t: &Texts,
    stored: &StoredPayment,
    method: &PaymentMethod,
    gateways: &[Gateway],
    today: (i32, u8),
) -> MethodView {
    let gateway = gateway_name(gateways, &method.payment_gateway_id);
    let (limit, offered) = usability(t, stored, &method.payment_gateway_id);
    let (label, detail, usable) = match (&method.credit_card, &method.direct_debit) {
        (Some(card), _) => {
            let label = format!("{} {}", card.brand, card.pan);
            match card::is_expired(card, today) {
                true => (
                    label,
                    format!("{} {} · {}", t.expired, card.expiration, t.unusable),
                    false,
                ),
                false => (label, format!("{} {}", t.expires, card.expiration), true),
            }
        }
        (None, Some(debit)) => {
            let iban = mask_iban(&debit.account_iban);
            (format!("{gateway} {iban}"), holder(method), true)
        }
        (None, None) => (gateway, holder(method), true),
    };
    let detail = [Some(detail), limit]
        .into_iter()
        .flatten()
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    MethodView {
        id: method.id.clone(),
        label: label.trim().to_owned(),
        detail: Some(detail).filter(|d| !d.is_empty()),
        usable: usable && offered,
        checked: false,
    }
}

fn holder(method: &PaymentMethod) -> String {
    let name = method
        .holder_name
        .as_deref()
        .or(method.holder_email.as_deref());
    name.unwrap_or_default().to_owned()
}

/// The outcome page. `again`: the payment was already finished when the page was opened.
pub fn result_page(
    t: &'static Texts,
    stored: &StoredPayment,
    status_code: StatusCode,
    again: bool,
) -> HttpResponse {
    let status = stored.status();
    let paid = status.is_paid();
    let back_url = if again { back_url(stored) } else { None };
    let message = match (again, paid) {
        (true, _) => t.already_completed,
        (false, true) => t.outcome_paid,
        (false, false) => t.outcome_failed,
    };
    let page = ResultPage {
        t,
        heading: t.result_title,
        message,
        paid,
        status: format!("{} ({status})", t.status(status)),
        amount: t.money(stored.payment.final_amount),
        payment_id: stored.payment.id.clone(),
        back_url,
    };
    pages::render(status_code, &page)
}

/// Where the browser goes back to the store for a finished payment, if the merchant said.
pub fn back_url(stored: &StoredPayment) -> Option<String> {
    let request = &stored.request;
    let base = match stored.status().is_paid() {
        true => request.redirect_ok_url.as_deref(),
        false => request.redirect_ko_url.as_deref(),
    }?;
    callback::redirect_target(base, &stored.payment)
}
