//! `GET /account/payments/{reference}/fiscal-receipt.pdf` and `…/refund-receipt.pdf`: the
//! fiscal receipt Voucherly issued for one of the shopper's paid payments, or for its refund,
//! handed on as the PDF it is. Anybody else's payment, one never paid (or, for the refund
//! receipt, never refunded) is not found; a receipt Voucherly has not issued is a readable
//! "no receipt yet" page.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION};
use actix_web::{HttpRequest, HttpResponse, web};

use super::pay::problem::problem_page;
use crate::app::receipts::{Fiscal, Receipts};
use crate::i18n::Lang;
use crate::session::SignedIn;
use crate::voucherly::{ReceiptKind, VoucherlyError};
use crate::web::PageError;

/// The sale receipt of the payment `reference`.
pub fn sale_path(reference: &str) -> String {
    format!("/account/payments/{reference}/fiscal-receipt.pdf")
}

/// The refund receipt of the payment `reference`.
pub fn refund_path(reference: &str) -> String {
    format!("/account/payments/{reference}/refund-receipt.pdf")
}

pub async fn sale(
    req: HttpRequest,
    signed_in: SignedIn,
    receipts: web::Data<Receipts>,
    reference: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    download(&req, &signed_in, &receipts, &reference, ReceiptKind::Sale).await
}

pub async fn refund(
    req: HttpRequest,
    signed_in: SignedIn,
    receipts: web::Data<Receipts>,
    reference: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    download(&req, &signed_in, &receipts, &reference, ReceiptKind::Refund).await
}

#[tracing::instrument(
    name = "fiscal receipt",
    skip(req, signed_in, receipts),
    fields(shopper_id = signed_in.shopper_id)
)]
async fn download(
    req: &HttpRequest,
    signed_in: &SignedIn,
    receipts: &Receipts,
    reference: &str,
    kind: ReceiptKind,
) -> Result<HttpResponse, PageError> {
    let fiscal = receipts
        .fiscal(signed_in.shopper_id, reference, kind)
        .await?
        .ok_or(PageError::NotFound)?;
    match fiscal {
        Fiscal::Pdf(pdf) => Ok(HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header((
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    file_name(req, reference, kind)
                ),
            ))
            // A fiscal document with the shopper's purchases: no shared cache keeps it.
            .insert_header((CACHE_CONTROL, "no-store"))
            .body(pdf)),
        Fiscal::NotIssued => problem_page(req, StatusCode::NOT_FOUND, |page| {
            (
                page.t.fiscal_receipt_missing_title,
                page.t.fiscal_receipt_missing_text,
            )
        }),
        Fiscal::Unavailable(error) => {
            tracing::warn!(%error, "could not get a fiscal receipt from Voucherly");
            let status = match error {
                VoucherlyError::UnexpectedAnswer(_) | VoucherlyError::Refused { .. } => {
                    StatusCode::BAD_GATEWAY
                }
                _ => StatusCode::SERVICE_UNAVAILABLE,
            };
            problem_page(req, status, |page| {
                (
                    page.t.fiscal_receipt_unavailable_title,
                    page.t.fiscal_receipt_unavailable_text,
                )
            })
        }
    }
}

/// `scontrino-<reference>.pdf` (or `receipt-…`, `reso-…`, `refund-receipt-…`): our reference
/// is a UUID, so the name needs no quoting.
fn file_name(req: &HttpRequest, reference: &str, kind: ReceiptKind) -> String {
    let english = Lang::of(req) == Lang::En;
    let prefix = match (kind, english) {
        (ReceiptKind::Sale, false) => "scontrino",
        (ReceiptKind::Sale, true) => "receipt",
        (ReceiptKind::Refund, false) => "reso",
        (ReceiptKind::Refund, true) => "refund-receipt",
    };
    let reference: String = reference
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{prefix}-{reference}.pdf")
}
