//! A typed client for the few Voucherly endpoints this app calls. It turns every answer into
//! either a contract type or a [`VoucherlyError`] the caller can act on.

use std::fmt;
use std::time::Duration;

use anyhow::Context;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Client, Request, RequestBuilder, Url, redirect};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use super::error::{VoucherlyError, snippet};
use super::types::{
    CreatePaymentRequest, Items, Page, Pagination, Payment, PaymentGateway, PaymentMethod,
};
use crate::metrics;

/// Saved methods asked for per page (Voucherly's maximum), and the most pages read.
const PAGE_LENGTH: &str = "100";
const MAX_PAGES: usize = 20;

/// What Voucherly is told about the caller, on every call. The official SDKs send the same set.
const IDENTIFICATION_HEADERS: [(&str, &str); 7] = [
    ("x-voucherly-os", std::env::consts::OS),
    ("x-voucherly-osversion", "unknown"),
    ("x-voucherly-osframework", "actix-web"),
    ("x-voucherly-app", "voucherly-account"),
    ("x-voucherly-appversion", env!("CARGO_PKG_VERSION")),
    ("x-voucherly-apphouse", "voucherly-account"),
    ("x-voucherly-devicetype", "server"),
];

const USER_AGENT: &str = concat!("voucherly-account/", env!("CARGO_PKG_VERSION"));

/// Connections to Voucherly kept open between calls.
const IDLE_CONNECTIONS: usize = 16;

/// Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct VoucherlyClient {
    pub(super) http: reqwest::Client,
    /// An http(s) URL without query or credentials; endpoint paths go under its path.
    base_url: Url,
}

// Written by hand so that nothing the reqwest client holds (the key header) is ever printed.
impl fmt::Debug for VoucherlyClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VoucherlyClient")
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

impl VoucherlyClient {
    /// `base_url` is like `https://api.voucherly.it/` or `http://127.0.0.1:1234/sandbox/`, with or
    /// without the trailing slash; `v1/...` paths are joined under its path.
    pub fn new(
        base_url: &str,
        api_key: SecretString,
        connect_timeout: Duration,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        // The input is not echoed in errors: it could carry credentials.
        let base_url = Url::parse(base_url).context("the Voucherly base URL is not a URL")?;
        // http(s) URLs always have a path, so `path_segments_mut` cannot fail on them later.
        anyhow::ensure!(
            matches!(base_url.scheme(), "http" | "https"),
            "the Voucherly base URL must start with http:// or https://"
        );
        anyhow::ensure!(
            base_url.query().is_none() && base_url.fragment().is_none(),
            "the Voucherly base URL must not have a query or a fragment"
        );
        anyhow::ensure!(
            base_url.username().is_empty() && base_url.password().is_none(),
            "the Voucherly base URL must not carry credentials; the API key goes in a header"
        );
        let http = reqwest::Client::builder()
            .default_headers(default_headers(&api_key)?)
            .user_agent(USER_AGENT)
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            // A redirect would resend the key header to wherever it points; the API never
            // redirects, so a 3xx is an unexpected answer instead.
            .redirect(redirect::Policy::none())
            // A burst of cold pages opens a connection each; afterwards a few kept open are
            // plenty, and each idle one holds its buffers.
            .pool_max_idle_per_host(IDLE_CONNECTIONS)
            .build()
            .context("could not build the HTTP client for Voucherly")?;
        Ok(Self { http, base_url })
    }

    /// The merchant's gateways. A cheap authenticated call, so start-up uses it to test the key.
    #[tracing::instrument(name = "voucherly.list_payment_gateways", skip(self), fields(status))]
    pub async fn list_payment_gateways(&self) -> Result<Vec<PaymentGateway>, VoucherlyError> {
        let mut url = self.endpoint(&["v1", "payment_gateways"])?;
        url.query_pairs_mut().append_pair("all", "true");
        let body = self.send(self.http.get(url)).await?;
        Ok(parse::<Items<PaymentGateway>>(&body)?.items)
    }

    /// The payment methods the customer saved at Voucherly, newest first, every page of them.
    /// A cursor that never ends (more than [`MAX_PAGES`] pages, or the same `nextStart` twice)
    /// is logged as an error and the methods read so far are answered, rather than looping or
    /// failing the whole page.
    #[tracing::instrument(name = "voucherly.list_payment_methods", skip(self), fields(status))]
    pub async fn list_payment_methods(
        &self,
        customer_id: &str,
    ) -> Result<Vec<PaymentMethod>, VoucherlyError> {
        let mut methods = Vec::new();
        let mut start: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut url = self.endpoint(&["v1", "customers", customer_id, "payment_methods"])?;
            url.query_pairs_mut().append_pair("length", PAGE_LENGTH);
            if let Some(start) = &start {
                url.query_pairs_mut().append_pair("start", start);
            }
            let body = self.send(self.http.get(url)).await?;
            let page: Page<PaymentMethod> = parse(&body)?;
            methods.extend(page.items);
            match page.pagination.as_ref().and_then(Pagination::next) {
                Some(next) if start.as_ref() == Some(&next) => {
                    tracing::error!(
                        methods = methods.len(),
                        "Voucherly gave the same nextStart twice: the list stops there"
                    );
                    return Ok(methods);
                }
                Some(next) => start = Some(next),
                None => return Ok(methods),
            }
        }
        tracing::error!(
            methods = methods.len(),
            "more than {MAX_PAGES} pages of saved methods: the list stops there"
        );
        Ok(methods)
    }

    /// Removes a saved method. `NotFound` means it is already gone.
    #[tracing::instrument(name = "voucherly.delete_payment_method", skip(self), fields(status))]
    pub async fn delete_payment_method(
        &self,
        customer_id: &str,
        method_id: &str,
    ) -> Result<(), VoucherlyError> {
        let url = self.endpoint(&["v1", "customers", customer_id, "payment_methods", method_id])?;
        // Whatever body a 2xx carries says nothing more than the status.
        self.send(self.http.delete(url)).await?;
        Ok(())
    }

    /// Creates a payment; the shopper then goes to its `checkout_url`.
    #[tracing::instrument(
        name = "voucherly.create_payment",
        skip(self, request),
        fields(reference_id = request.reference_id.as_deref(), status, payment_id)
    )]
    pub async fn create_payment(
        &self,
        request: &CreatePaymentRequest,
    ) -> Result<Payment, VoucherlyError> {
        let url = self.endpoint(&["v1", "payments"])?;
        let body = self.send(self.http.post(url).json(request)).await?;
        let payment: Payment = parse(&body)?;
        tracing::Span::current().record("payment_id", payment.id.as_str());
        Ok(payment)
    }

    /// Reads a payment back with its lines, discounts and transactions: the only trustworthy
    /// source of its status.
    #[tracing::instrument(name = "voucherly.get_payment", skip(self), fields(status))]
    pub async fn get_payment(&self, payment_id: &str) -> Result<Payment, VoucherlyError> {
        let mut url = self.endpoint(&["v1", "payments", payment_id])?;
        url.query_pairs_mut()
            .append_pair("include", "Lines")
            .append_pair("include", "Discounts")
            .append_pair("include", "Transactions");
        let body = self.send(self.http.get(url)).await?;
        parse(&body)
    }

    /// Captures an authorised (`Paid`) payment. A 409 means it is not capturable (already
    /// confirmed, or not authorised); a 400 or 422 that resending cannot change is `Refused`;
    /// a 424, or a 422 listing `operations` already done, is `Interrupted`: the same request,
    /// sent again, settles what is left (confirm is safe to repeat).
    #[tracing::instrument(name = "voucherly.confirm_payment", skip(self), fields(status))]
    pub async fn confirm_payment(&self, payment_id: &str) -> Result<Payment, VoucherlyError> {
        // `{}` captures every authorised transaction in full (confirm-payment.RequestSchema).
        self.act_on_payment(payment_id, "confirm", serde_json::json!({}))
            .await
    }

    /// Cancels a payment still at the checkout (`Requested`). A 409 means it went further.
    #[tracing::instrument(name = "voucherly.void_payment", skip(self), fields(status))]
    pub async fn void_payment(&self, payment_id: &str) -> Result<Payment, VoucherlyError> {
        self.act_on_payment(payment_id, "void", serde_json::json!({}))
            .await
    }

    /// Refunds all of a payment: cancels what is only authorised, gives back what was captured.
    #[tracing::instrument(name = "voucherly.refund_payment", skip(self), fields(status))]
    pub async fn refund_payment(&self, payment_id: &str) -> Result<Payment, VoucherlyError> {
        // `{}` refunds every transaction in full (RefundPaymentRequest, example "Full").
        self.act_on_payment(payment_id, "refund", serde_json::json!({}))
            .await
    }

    /// Gives back `parts` of a captured payment, each `(transaction id, amount)`, to the
    /// methods that paid or, with `as_credit`, to the customer's wallet
    /// (`{"transactions": [{"id", "amount", "asCredit"}]}`). Errors as [`Self::refund_payment`].
    #[tracing::instrument(
        name = "voucherly.refund_payment_in_part",
        skip(self, parts),
        fields(status)
    )]
    pub async fn refund_transactions(
        &self,
        payment_id: &str,
        parts: &[(String, i64)],
        as_credit: bool,
    ) -> Result<Payment, VoucherlyError> {
        let transactions: Vec<serde_json::Value> = parts
            .iter()
            .map(|(id, amount)| match as_credit {
                true => serde_json::json!({"id": id, "amount": amount, "asCredit": true}),
                false => serde_json::json!({"id": id, "amount": amount}),
            })
            .collect();
        self.act_on_payment(
            payment_id,
            "refund",
            serde_json::json!({ "transactions": transactions }),
        )
        .await
    }

    /// `POST v1/payments/{id}/{action}` with a JSON body (Voucherly answers 415 without one).
    async fn act_on_payment(
        &self,
        payment_id: &str,
        action: &str,
        body: serde_json::Value,
    ) -> Result<Payment, VoucherlyError> {
        let url = self.endpoint(&["v1", "payments", payment_id, action])?;
        let body = self.send(self.http.post(url).json(&body)).await?;
        parse(&body)
    }

    /// The base URL with `segments` appended, each percent-encoded so that an id containing `/`
    /// or `?` stays one segment. An empty, `.` or `..` segment is refused before any call: a URL
    /// would drop it or read it as the folder above (`v1/payments/..` is `v1/`).
    pub(super) fn endpoint(&self, segments: &[&str]) -> Result<Url, VoucherlyError> {
        if let Some(bad) = segments
            .iter()
            .find(|segment| matches!(**segment, "" | "." | ".."))
        {
            return Err(VoucherlyError::UnexpectedAnswer(format!(
                "{bad:?} is not an id that can be sent to Voucherly"
            )));
        }
        let mut url = self.base_url.clone();
        // Never `Err`: `new` accepts only http(s) URLs, which can always take path segments.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        Ok(url)
    }

    /// Sends the request and returns the body of a 2xx answer, counting and timing the call.
    pub(super) async fn send(&self, request: RequestBuilder) -> Result<Vec<u8>, VoucherlyError> {
        let (http, request) = request.build_split();
        let request = request.map_err(|error| VoucherlyError::from_transport(&error))?;
        let endpoint = metrics::voucherly_endpoint(request.method().as_str(), request.url().path());
        let started = std::time::Instant::now();
        let outcome = Self::execute(http, request).await;
        let kind = outcome.as_ref().map_or_else(VoucherlyError::kind, |_| "ok");
        metrics::record_voucherly_call(&endpoint, kind, started.elapsed());
        outcome
    }

    async fn execute(http: Client, request: Request) -> Result<Vec<u8>, VoucherlyError> {
        let response = http
            .execute(request)
            .await
            .map_err(|error| VoucherlyError::from_transport(&error))?;
        let status = response.status();
        tracing::Span::current().record("status", status.as_u16());
        if !status.is_success() {
            // The error body only helps the log; the status alone decides the error, so a body
            // that cannot be read is not worth another error.
            let body = response.bytes().await.unwrap_or_default();
            tracing::info!(
                status = status.as_u16(),
                body = %snippet(&body),
                "Voucherly answered with an error"
            );
            return Err(VoucherlyError::from_status(status, &body));
        }
        // The total timeout covers reading the body too: a body cut off is `Unavailable`.
        let body = response
            .bytes()
            .await
            .map_err(|error| VoucherlyError::from_transport(&error))?;
        tracing::debug!(
            status = status.as_u16(),
            body_len = body.len(),
            "Voucherly answered"
        );
        Ok(body.to_vec())
    }
}

/// Parses a body ourselves, so that a malformed one is an unexpected answer, not a transport error.
pub(super) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, VoucherlyError> {
    serde_json::from_slice(body).map_err(|error| VoucherlyError::from_parse(&error))
}

fn default_headers(api_key: &SecretString) -> anyhow::Result<HeaderMap> {
    // The error for an invalid value does not include the value, so the key is not leaked.
    let mut key = HeaderValue::from_str(api_key.expose_secret())
        .context("the Voucherly API key has characters an HTTP header cannot carry")?;
    // Keeps the key out of reqwest's and hyper's Debug output.
    key.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(HeaderName::from_static("voucherly-api-key"), key);
    for (name, value) in IDENTIFICATION_HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    Ok(headers)
}
