//! Turns stored payments and methods into what the pages show: amounts in the payment's
//! language, methods described by brand, masked number or gateway name, expired cards disabled.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use super::Loaded;
use super::pages::{self, CheckoutPage, LineView, MethodView, ResultPage};
use super::texts::Texts;
use crate::domain::mask_iban;
use crate::sandbox::callback;
use crate::sandbox::card;
use crate::sandbox::store::payments::StoredPayment;
use crate::voucherly::types::{PaymentGateway, PaymentMethod, PaymentStatus};

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
    let mut methods: Vec<MethodView> = loaded
        .methods
        .iter()
        .map(|method| describe(t, method, &loaded.gateways, today))
        .collect();
    // The shopper's last choice, else the method the merchant asked for, else the first usable.
    let wanted = typed
        .method
        .as_deref()
        .or(stored.request.customer_payment_method_id.as_deref());
    let chosen = match wanted {
        Some(id) => methods.iter().position(|m| m.id == id && m.usable),
        None => methods.iter().position(|m| m.usable),
    };
    if let Some(index) = chosen {
        methods[index].checked = true;
    }
    let new_card_checked = typed.method.as_deref() == Some(super::submit::NEW_CARD)
        || (chosen.is_none() && wanted.is_none());
    let discount = payment.discount_amount.filter(|d| *d > 0);
    CheckoutPage {
        t,
        action,
        token: stored.token.clone(),
        reference: payment.reference_id.clone(),
        customer: loaded.customer_name.clone(),
        lines: payment
            .lines
            .iter()
            .flatten()
            .map(|line| LineView {
                name: line.product_name.clone(),
                quantity: line.quantity,
                amount: t.money(line.final_amount.unwrap_or_default()),
            })
            .collect(),
        discount: discount.map(|d| t.money(d)),
        total: t.money(payment.final_amount.unwrap_or_default()),
        methods,
        new_card_checked,
        error,
        holder_name: typed.holder_name.clone(),
        expiry_month: typed.expiry_month.clone(),
        expiry_year: typed.expiry_year.clone(),
        save_card: typed.save_card,
    }
}

fn describe(
    t: &Texts,
    method: &PaymentMethod,
    gateways: &[PaymentGateway],
    today: (i32, u8),
) -> MethodView {
    let gateway_id = method.payment_gateway_id.as_deref().unwrap_or_default();
    let gateway = gateways
        .iter()
        .find(|g| g.id == gateway_id)
        .and_then(|g| g.name.clone())
        .unwrap_or_else(|| gateway_id.to_owned());
    let (label, detail, usable) = match (&method.credit_card, &method.direct_debit) {
        (Some(card), _) => {
            let brand = card.brand.as_deref().unwrap_or(&gateway);
            let label = format!("{brand} {}", card.pan.as_deref().unwrap_or_default());
            let expiry = card.expiration.as_deref().unwrap_or_default();
            match card::is_expired(card, today) {
                true => (
                    label,
                    format!("{} {expiry} · {}", t.expired, t.unusable),
                    false,
                ),
                false => (label, format!("{} {expiry}", t.expires), true),
            }
        }
        (None, Some(debit)) => {
            let iban = mask_iban(debit.account_iban.as_deref().unwrap_or_default());
            (format!("{gateway} {iban}"), holder(method), true)
        }
        (None, None) => (gateway, holder(method), true),
    };
    MethodView {
        id: method.id.clone(),
        label: label.trim().to_owned(),
        detail: Some(detail).filter(|d| !d.is_empty()),
        usable,
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
    let back_url = if again {
        back_url(stored, &status)
    } else {
        None
    };
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
        status: format!("{} ({status})", t.status(&status)),
        amount: t.money(stored.payment.final_amount.unwrap_or_default()),
        payment_id: stored.payment.id.clone(),
        back_url,
    };
    pages::render(status_code, &page)
}

/// Where the browser goes back to the store for a finished payment, if the merchant said.
pub fn back_url(stored: &StoredPayment, status: &PaymentStatus) -> Option<String> {
    let request = &stored.request;
    let base = match status.is_paid() {
        true => request.redirect_ok_url.as_deref(),
        false => request.redirect_ko_url.as_deref(),
    }?;
    callback::redirect_target(base, status, &stored.payment.id)
}
