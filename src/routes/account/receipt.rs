//! `GET /account/payments/{reference}/receipt`: a printable receipt of one of the shopper's paid
//! payments: the order's lines, the shares paid with meal vouchers and otherwise (as Voucherly
//! reports them), the method, Voucherly's payment id and the date in Italian time. Anybody
//! else's payment, or one not paid, is not found.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use time::OffsetDateTime;
use time::macros::format_description;

use super::orders::{DiscountView, LineView, lines_of};
use crate::app::receipts::{Receipt, Receipts};
use crate::domain::{LocalStatus, format_eur, in_italy};
use crate::i18n::Lang;
use crate::session::SignedIn;
use crate::web::{PageContext, PageError, render};

/// The receipt of the payment `reference`.
pub fn receipt_path(reference: &str) -> String {
    format!("/account/payments/{reference}/receipt")
}

/// What was paid with meal vouchers and what otherwise.
pub struct Shares {
    pub vouchers: String,
    pub other: String,
}

#[derive(Template)]
#[template(path = "account/receipt.html")]
struct ReceiptPage {
    page: PageContext,
    store_order_id: String,
    paid_on: String,
    datetime: String,
    method: String,
    voucherly_payment_id: String,
    reference: String,
    lines: Vec<LineView>,
    discounts: Vec<DiscountView>,
    total: String,
    refunded: Option<&'static str>,
    /// `None` when Voucherly cannot be read right now.
    shares: Option<Shares>,
}

#[tracing::instrument(name = "receipt", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn show(
    req: HttpRequest,
    signed_in: SignedIn,
    receipts: web::Data<Receipts>,
    reference: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let Receipt {
        payment,
        voucherly_payment_id,
        order,
        shares,
    } = receipts
        .receipt(signed_in.shopper_id, &reference)
        .await?
        .ok_or(PageError::NotFound)?;
    let lang = Lang::of(&req);
    let page = PageContext::new(&req)?;
    let shares = shares.map(|shares| Shares {
        vouchers: format_eur(shares.vouchers, lang),
        other: format_eur(shares.other, lang),
    });
    let at = in_italy(
        OffsetDateTime::from_unix_timestamp(payment.created_at)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
    );
    let (lines, discounts) = lines_of(&order, lang);
    render(&ReceiptPage {
        store_order_id: order.store_order_id,
        paid_on: at
            .format(format_description!("[day]/[month]/[year] [hour]:[minute]"))
            .unwrap_or_default(),
        datetime: at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        method: payment
            .method_label
            .unwrap_or_else(|| page.t.history_at_checkout.to_owned()),
        voucherly_payment_id,
        reference: payment.reference,
        lines,
        discounts,
        total: format_eur(payment.amount, lang),
        refunded: (payment.status == LocalStatus::Refunded).then_some(page.t.status_refunded),
        shares,
        page,
    })
}
