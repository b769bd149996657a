//! The checkout's pages: one askama template per page (under `templates/sandbox/`, all
//! auto-escaped) and the rendering that turns a template failure into a 500, not a panic.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CacheControl, CacheDirective};
use askama::Template;

use super::texts::Texts;

/// The payment form.
#[derive(Template)]
#[template(path = "sandbox/checkout.html")]
pub struct CheckoutPage {
    pub t: &'static Texts,
    pub action: String,
    pub token: String,
    pub reference: Option<String>,
    pub customer: String,
    pub lines: Vec<LineView>,
    /// The payment's own discounts, by name; line discounts are already in each line.
    pub discounts: Vec<(String, String)>,
    pub total: String,
    /// The food share meal vouchers may pay, or `None` when there is no food.
    pub food: Option<String>,
    /// Transactions already made in this checkout (gateway, amount), and what is left.
    pub paid: Vec<(String, String)>,
    pub left: Option<String>,
    /// What the pay button charges now.
    pub due: String,
    pub methods: Vec<MethodView>,
    pub new_card_checked: bool,
    /// A wallet top-up is offered only on a purchase (`Payment` mode).
    pub wallet: bool,
    pub error: Option<&'static str>,
    /// What the shopper typed, shown again after a refusal (never the card number).
    pub holder_name: String,
    pub expiry_month: String,
    pub expiry_year: String,
    pub save_card: bool,
}

pub struct LineView {
    pub name: String,
    pub quantity: i64,
    /// Net of the line's own discount, which `discount` shows.
    pub amount: String,
    pub discount: Option<String>,
}

/// A saved method as a radio button.
pub struct MethodView {
    pub id: String,
    pub label: String,
    pub detail: Option<String>,
    pub usable: bool,
    pub checked: bool,
}

/// The outcome of a payment: after paying when the payment has no redirect URLs, and whenever
/// a payment that is no longer `Requested` is opened again.
#[derive(Template)]
#[template(path = "sandbox/result.html")]
pub struct ResultPage {
    pub t: &'static Texts,
    pub heading: &'static str,
    pub message: &'static str,
    pub paid: bool,
    pub status: String,
    pub amount: String,
    pub payment_id: String,
    pub back_url: Option<String>,
}

#[derive(Template)]
#[template(path = "sandbox/error.html")]
pub struct ErrorPage {
    pub t: &'static Texts,
    pub message: &'static str,
    pub reference: Option<String>,
}

/// Renders a page with `status`. Pages are never cached: the checkout form carries a secret.
pub fn render(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .insert_header(CacheControl(vec![CacheDirective::NoStore]))
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(error) => {
            tracing::error!(%error, "a sandbox page could not be rendered");
            HttpResponse::InternalServerError()
                .insert_header((CACHE_CONTROL, "no-store"))
                .content_type("text/plain; charset=utf-8")
                .body("The Voucherly sandbox could not show this page.")
        }
    }
}

/// An error page for the shopper's mistake (a bad form, an unknown payment, a wrong token).
pub fn error(t: &'static Texts, status: StatusCode, message: &'static str) -> HttpResponse {
    render(
        status,
        &ErrorPage {
            t,
            message,
            reference: None,
        },
    )
}

/// A 500 page with a reference id; the log gets the cause under the same id.
pub fn unexpected(t: &'static Texts, cause: &anyhow::Error) -> HttpResponse {
    let mut bytes = [0u8; 6];
    let reference = match getrandom::fill(&mut bytes) {
        Ok(()) => hex::encode(bytes),
        Err(_) => "unknown".to_owned(),
    };
    tracing::error!(%reference, error = ?cause, "the Voucherly sandbox checkout failed");
    render(
        StatusCode::INTERNAL_SERVER_ERROR,
        &ErrorPage {
            t,
            message: t.unexpected,
            reference: Some(reference),
        },
    )
}
