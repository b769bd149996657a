//! The answer to a form submitted again: whatever the first submission led to. A first
//! submission still talking to Voucherly (a double-click) is waited for.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse};

use super::{ALREADY_PAID, problem};
use crate::domain::LocalStatus;
use crate::state::AppState;
use crate::storage::payments::{self, PaymentRecord};
use crate::web::{PageError, see_other};

const POLL_EVERY: Duration = Duration::from_millis(100);
const WAIT_AT_MOST: Duration = Duration::from_secs(15);

pub async fn answer(
    req: &HttpRequest,
    state: &AppState,
    mut record: PaymentRecord,
    order_id: i64,
) -> Result<HttpResponse, PageError> {
    if record.order_id != order_id {
        return Err(PageError::BadRequest(
            "this form's key belongs to another order".into(),
        ));
    }
    tracing::Span::current().record("reference", record.reference.as_str());
    let deadline = tokio::time::Instant::now() + WAIT_AT_MOST;
    while record.status == LocalStatus::Creating && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(POLL_EVERY).await;
        record = payments::find_by_reference(&state.db, &record.reference)
            .await?
            .ok_or_else(|| anyhow::anyhow!("payment record {} vanished", record.reference))?;
    }
    match (record.status, record.checkout_url.as_deref()) {
        (LocalStatus::Authorised | LocalStatus::Paid | LocalStatus::Refunded, _) => {
            Ok(see_other(ALREADY_PAID))
        }
        // This attempt is over; a fresh form lets the shopper try again.
        (LocalStatus::Failed | LocalStatus::Abandoned, _) => Ok(see_other("/account")),
        (_, Some(checkout_url)) => Ok(see_other(checkout_url)),
        _ => problem::start_failed(req, None),
    }
}
