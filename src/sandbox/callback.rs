//! Telling the store how a payment ended: the server-to-server callback post and the browser's
//! way back (`redirectOkUrl`/`redirectKoUrl` with `success`, `status` and `paymentId`).

use crate::voucherly::types::{CallbackBody, PaymentStatus};

/// Posts `{"id": "<paymentId>"}` to the payment's `callbackUrl` in the background, so the
/// browser is not held. Failures are logged and otherwise ignored, as a lost callback would be.
pub fn spawn(http: reqwest::Client, url: String, payment_id: String) {
    actix_web::rt::spawn(async move {
        let body = CallbackBody {
            id: payment_id.clone(),
        };
        let sent = http.post(url).json(&body).send().await;
        match sent.and_then(reqwest::Response::error_for_status) {
            Ok(response) => {
                tracing::info!(%payment_id, status = %response.status(), "sandbox callback delivered");
            }
            // The URL is left out of the log: a store may put a secret in it.
            Err(error) => {
                let error = error.without_url();
                tracing::warn!(%payment_id, %error, "sandbox callback failed; not retried");
            }
        }
    });
}

/// `base` with `success=true|false`, `status=<Status>` and `paymentId=<id>` appended to its
/// query (after any parameters it already has), percent-encoded. `None` if `base` is not a URL.
pub fn redirect_target(base: &str, status: &PaymentStatus, payment_id: &str) -> Option<String> {
    let mut url = reqwest::Url::parse(base).ok()?;
    url.query_pairs_mut()
        .append_pair("success", if status.is_paid() { "true" } else { "false" })
        .append_pair("status", status.as_str())
        .append_pair("paymentId", payment_id);
    Some(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_is_appended_to_the_redirect_url() {
        let ok = redirect_target("https://shop.test/ok", &PaymentStatus::Paid, "p 1");
        let expected = "https://shop.test/ok?success=true&status=Paid&paymentId=p+1";
        assert_eq!(ok.as_deref(), Some(expected));
        let ko = redirect_target("https://shop.test/ko?o=7#top", &PaymentStatus::Voided, "p");
        let expected = "https://shop.test/ko?o=7&success=false&status=Voided&paymentId=p#top";
        assert_eq!(ko.as_deref(), Some(expected));
        let nowhere = redirect_target("not a url", &PaymentStatus::Paid, "p");
        assert_eq!(nowhere, None);
    }
}
