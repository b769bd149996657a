//! Telling the store how a checkout ended: the server-to-server callback and the browser's way
//! back.
//!
//! Source: `docs/api/general/best-practices/s2s.md`. The callback is posted when the shopper
//! completes a checkout successfully, **before** the browser is redirected; its body is the
//! documented subset of the Payment. An answer other than HTTP 200 with `{"ok": true}` is tried
//! again after a wait; `"stop": true` ends the tries. When no try succeeds, "the payment will be
//! cancelled, and all transactions will be refunded": the sandbox does so. A `stop: true` with
//! `ok: false` also ends there (the merchant refused the payment and wants no retry; the
//! stricter reading, since the document only says that retries stop). The redirect carries
//! `success=OK|KO`, `status`, `paymentId`, `referenceId`, `amount`, `customerId` and `tenant`
//! (the parameters the official WooCommerce plugin reads, and the contract's list).

use serde::Deserialize;

use super::store::{self, payments::StoredPayment};
use super::wire::{CallbackBody, LastCallback, Payment, Status};
use super::{Sandbox, lifecycle};

/// The sandbox merchant's id, sent as `merchantId`.
pub const MERCHANT_ID: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

pub fn body(payment: &Payment) -> CallbackBody {
    CallbackBody {
        id: payment.id.clone(),
        tenant: payment.tenant.clone(),
        mode: payment.mode,
        reference_id: payment.reference_id.clone(),
        merchant_id: MERCHANT_ID.into(),
        customer_id: payment.customer_id.clone(),
        total_amount: payment.total_amount,
        discount_amount: payment.discount_amount,
        final_amount: payment.final_amount,
        paid_amount: payment.paid_amount,
        paid_voucher_amount: payment.paid_voucher_amount,
        amount: payment.amount,
        status: payment.status,
    }
}

/// What the merchant's endpoint answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Ok,
    /// Not ok, and no more tries wanted.
    Stop,
    Retry,
}

#[derive(Deserialize)]
struct MerchantAnswer {
    #[serde(default)]
    ok: bool,
    #[serde(default)]
    stop: bool,
}

async fn post_once(http: &reqwest::Client, url: &str, body: &CallbackBody) -> Answer {
    let response = match http.post(url).json(body).send().await {
        Ok(response) => response,
        Err(error) => {
            // The URL is left out of the log: a store may put a secret in it.
            let error = error.without_url();
            tracing::warn!(payment_id = %body.id, %error, "sandbox callback not delivered");
            return Answer::Retry;
        }
    };
    let status = response.status();
    let answer = response.json::<MerchantAnswer>().await.ok();
    match answer {
        Some(MerchantAnswer { ok: true, .. }) if status.as_u16() == 200 => Answer::Ok,
        Some(MerchantAnswer { stop: true, .. }) => Answer::Stop,
        _ => {
            tracing::warn!(payment_id = %body.id, %status, "sandbox callback answered without ok");
            Answer::Retry
        }
    }
}

/// Posts the callback of a payment whose checkout just succeeded. The first try is awaited (the
/// browser is redirected after it); further tries, and the cancel-and-refund when they all
/// fail, run in the background.
pub async fn deliver(sandbox: &Sandbox, url: String, stored: &StoredPayment) {
    let body = body(&stored.payment);
    let answer = post_once(&sandbox.http, &url, &body).await;
    if answer == Answer::Retry && sandbox.timings.callback_tries > 1 {
        let sandbox = sandbox.clone();
        actix_web::rt::spawn(async move {
            let mut answer = answer;
            for _ in 1..sandbox.timings.callback_tries {
                tokio::time::sleep(sandbox.timings.callback_retry_wait).await;
                // The payment may have moved on (confirmed, refunded): send it as it is now.
                let id = body.id.clone();
                let now = sandbox
                    .db
                    .run(move |conn| store::payments::current(conn, &id))
                    .await;
                let body = match now {
                    Ok(Some(now)) => self::body(&now.payment),
                    _ => body.clone(),
                };
                answer = post_once(&sandbox.http, &url, &body).await;
                if answer != Answer::Retry {
                    break;
                }
            }
            record(&sandbox, body.id.clone(), answer).await;
        });
        return;
    }
    record(sandbox, body.id, answer).await;
}

/// Writes how the callback ended in the payment's `callback`, cancelling and refunding the
/// payment when the merchant never took it.
async fn record(sandbox: &Sandbox, payment_id: String, answer: Answer) {
    let success = answer == Answer::Ok;
    let date = rfc3339(time::OffsetDateTime::now_utc().unix_timestamp());
    let id = payment_id.clone();
    let updated = sandbox
        .db
        .run(move |conn| {
            store::payments::update(conn, &id, |_, stored| {
                stored.payment.callback = Some(LastCallback { success, date });
                if !success {
                    lifecycle::cancel_and_refund(stored);
                }
                Ok(Ok::<(), std::convert::Infallible>(()))
            })
        })
        .await;
    match (updated, success) {
        (Err(error), _) => {
            tracing::error!(%payment_id, error = ?error, "could not record a sandbox callback")
        }
        (Ok(_), true) => tracing::info!(%payment_id, "sandbox callback delivered"),
        (Ok(_), false) => {
            tracing::warn!(%payment_id, "sandbox callback failed every try: payment cancelled and refunded")
        }
    }
}

/// A UTC date-time as the documents write them (`format: date-time`), from Unix seconds.
pub fn rfc3339(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|date| {
            date.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// `base` with the outcome appended to its query (after any parameters it already has),
/// percent-encoded. `None` if `base` is not a URL.
pub fn redirect_target(base: &str, payment: &Payment) -> Option<String> {
    let mut url = reqwest::Url::parse(base).ok()?;
    let success = match payment.status {
        Status::Paid | Status::Confirmed => "OK",
        _ => "KO",
    };
    url.query_pairs_mut()
        .append_pair("success", success)
        .append_pair("status", payment.status.as_str())
        .append_pair("paymentId", &payment.id)
        .append_pair(
            "referenceId",
            payment.reference_id.as_deref().unwrap_or_default(),
        )
        .append_pair("amount", &payment.amount.to_string())
        .append_pair(
            "customerId",
            payment.customer_id.as_deref().unwrap_or_default(),
        )
        .append_pair("tenant", &payment.tenant);
    Some(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_is_appended_to_the_redirect_url() {
        let payment = Payment {
            id: "pay 1".into(),
            tenant: "sand".into(),
            reference_id: Some("r-1".into()),
            customer_id: Some("cs_1".into()),
            amount: 790,
            status: Status::Paid,
            ..Default::default()
        };
        let ok = redirect_target("https://shop.test/ok?o=7#top", &payment);
        let expected = "https://shop.test/ok?o=7&success=OK&status=Paid&paymentId=pay+1\
                        &referenceId=r-1&amount=790&customerId=cs_1&tenant=sand#top";
        assert_eq!(ok.as_deref(), Some(expected));
        let voided = Payment {
            status: Status::Voided,
            ..payment.clone()
        };
        let ko = redirect_target("https://shop.test/ko", &voided).unwrap_or_default();
        assert!(ko.contains("success=KO&status=Voided"), "{ko}");
        assert_eq!(redirect_target("not a url", &payment), None);
    }
}
