//! `GET /payments/{reference}/return`: where Voucherly sends the shopper's browser after the
//! checkout. The query parameters it adds (`success`, `status`, `paymentId`) prove nothing: the
//! payment is read back from Voucherly and applied, and the page shows where it stands, refreshing
//! itself while it is unsettled. Only the payment's own shopper sees the order and the amount;
//! any other browser (one that lost its session, or a stranger with the link) sees the outcome.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::app::payments::Payments;
use crate::app::saved_methods::SavedMethods;
use crate::domain::{LocalStatus, format_eur};
use crate::i18n::Lang;
use crate::session::ShopperSession;
use crate::web::{PageContext, PageError, render};

#[derive(Template)]
#[template(path = "payments/return.html")]
struct ReturnPage {
    page: PageContext,
    heading: &'static str,
    message: &'static str,
    notice_class: &'static str,
    processing: bool,
    failed: bool,
    details: Option<Details>,
}

/// What only the payment's shopper may see.
struct Details {
    order: String,
    amount: String,
}

/// The payment id Voucherly appends, under its current and older names. Used only to find a
/// payment whose id we never stored, and only if Voucherly confirms it carries our reference.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Hint {
    #[serde(rename = "paymentId")]
    payment_id: Option<String>,
    #[serde(rename = "payment_Id")]
    payment_id_old: Option<String>,
    p: Option<String>,
}

#[tracing::instrument(name = "payments: return", skip_all, fields(payment))]
pub async fn show(
    req: HttpRequest,
    reference: web::Path<String>,
    saved_methods: web::Data<SavedMethods>,
    payments: web::Data<Payments>,
) -> Result<HttpResponse, PageError> {
    let hint: Hint = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let hint = hint.payment_id.or(hint.payment_id_old).or(hint.p);
    let Some((summary, status)) = payments.returned(&reference, hint).await? else {
        return Err(PageError::NotFound);
    };
    // A checkout may have saved a method, and topped up or spent the wallet.
    saved_methods.forget(summary.shopper_id).await;

    let session = ShopperSession::of(&req);
    let owner = session.shopper_id() == Some(summary.shopper_id);
    let page = match session.shopper_id() {
        Some(_) => PageContext::new(&req)?,
        // No session to write a CSRF token into: the page must not start one.
        None => PageContext::minimal(&req, Lang::of(&req)),
    };
    let t = page.t;
    let lang = Lang::from_code(page.lang).unwrap_or_default();
    let (heading, message, notice_class) = match status {
        LocalStatus::Authorised | LocalStatus::Paid => {
            (t.payment_paid, t.payment_paid_text, "notice-success")
        }
        LocalStatus::Refunded => (t.payment_refunded, t.payment_refunded_text, ""),
        LocalStatus::Failed | LocalStatus::CreateFailed | LocalStatus::Abandoned => {
            (t.payment_failed, t.payment_failed_text, "notice-warning")
        }
        LocalStatus::Creating | LocalStatus::Requested => {
            (t.payment_processing, t.payment_processing_text, "")
        }
    };
    render(&ReturnPage {
        heading,
        message,
        notice_class,
        processing: !status.is_settled(),
        failed: matches!(
            status,
            LocalStatus::Failed | LocalStatus::CreateFailed | LocalStatus::Abandoned
        ),
        details: owner.then(|| Details {
            order: summary.store_order_id.clone(),
            amount: format_eur(summary.amount, lang),
        }),
        page,
    })
}
