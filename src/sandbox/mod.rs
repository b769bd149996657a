//! The embedded Voucherly sandbox: an emulation of the Voucherly gateway (its REST API under
//! `/sandbox/v1/` and a hosted checkout page under `/sandbox/checkout/`) served by the app's own
//! process, so the app runs with no configuration and no network. It behaves as Voucherly's
//! documentation (`voucherly/voucherly-docs`) says Voucherly does; each module names the pages
//! it follows. It keeps its state in the app's SQLite file (`sandbox_*` tables) and shares no
//! types with the app's client ([`wire`] is its own reading of the documents).

mod amounts;
mod api;
mod auth;
mod callback;
mod card;
mod checkout;
mod dialect;
mod error;
mod lifecycle;
mod origins;
mod pdf;
mod receipt;
mod seed;
mod store;
mod wire;

use std::time::Duration;

use actix_web::middleware::from_fn;
use actix_web::web;
use anyhow::Context;

use crate::storage::Database;

pub use dialect::Dialect;

/// The API key the app's own client uses. The sandbox accepts any key starting with
/// [`auth::KEY_PREFIX`] (`sk_sand_`), as Voucherly's sandbox keys do.
pub const API_KEY: &str = "sk_sand_embedded";

/// Ids of the demo customers that [`Sandbox::seed`] creates.
pub mod demo {
    /// Mario Rossi: a valid Visa, an expired Mastercard, an Edenred account and a SEPA mandate.
    pub const MARIO_CUSTOMER_ID: &str = "5b0c7a52-3f4e-4d7b-9a61-0d1e2f3a4b01";
    /// Luca Verdi: no saved methods.
    pub const LUCA_CUSTOMER_ID: &str = "5b0c7a52-3f4e-4d7b-9a61-0d1e2f3a4b02";
}

/// How long a callback post may take before the sandbox gives up on it.
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);

/// The sandbox's clock: what Voucherly decides by time, shortened at will for tests.
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    /// Tries of a callback in all (s2s.md: "we resend the notification up to 3 times"; read
    /// as three tries in all, the stricter reading for a merchant).
    pub callback_tries: u32,
    /// The wait before each new try.
    pub callback_retry_wait: Duration,
    /// How long an authorisation (a `Paid` payment) holds before it expires unconfirmed
    /// (hosted-checkout: "usually 5 days").
    pub authorisation: Duration,
    /// How long a checkout stays open without a `timeout` (RequestSchema: 12 hours).
    pub checkout: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            callback_tries: 3,
            callback_retry_wait: Duration::from_secs(2),
            authorisation: Duration::from_secs(5 * 24 * 3600),
            checkout: Duration::from_secs(12 * 3600),
        }
    }
}

/// The sandbox's state: the database and the HTTP client that posts callbacks. Cheap to clone.
#[derive(Clone)]
pub struct Sandbox {
    db: Database,
    http: reqwest::Client,
    /// Where browsers reach the app, for checkout links; unset: the host the API was called on.
    /// Redirect and callback URLs must be on its origin or on a loopback address.
    public_url: Option<String>,
    timings: Timings,
    /// Which description to follow where the documentation's spec and the SDK's disagree.
    dialect: Dialect,
    /// Refuse what the current request schema does not list (the legacy shapes included).
    strict: bool,
}

impl Sandbox {
    pub fn new(db: Database) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(CALLBACK_TIMEOUT)
            .user_agent(concat!("VoucherlySandbox/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("could not build the sandbox's callback client")?;
        Ok(Self {
            db,
            http,
            public_url: None,
            timings: Timings::default(),
            dialect: Dialect::default(),
            strict: false,
        })
    }

    /// Answers as the documentation's spec or as the SDK's where they disagree.
    pub fn with_dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// Strict: a request with a field the current schema does not list (the legacy line shape
    /// the official SDKs still send, say) is a 400 `VALIDATION_ERROR` naming it. Not strict
    /// (the default), those are read as Voucherly's live API presumably still reads them.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Changes the sandbox's clock (tests shorten the waits).
    pub fn with_timings(mut self, timings: Timings) -> Self {
        self.timings = timings;
        self
    }

    /// Builds checkout links on `public_url` (no trailing slash) rather than on the address the
    /// app's own client calls the sandbox at, which browsers may not reach.
    pub fn with_public_url(mut self, public_url: &str) -> Self {
        self.public_url = Some(public_url.trim_end_matches('/').to_owned());
        self
    }

    /// Writes the demo gateways, customers and saved methods. Safe to run at every start: rows
    /// that exist (or were deleted by the user) are left alone.
    pub async fn seed(&self) -> anyhow::Result<()> {
        self.db
            .run(seed::seed)
            .await
            .context("could not seed the Voucherly sandbox")
    }

    /// Everything under `/sandbox`: the API (`/sandbox/v1/...`, key required), the hosted
    /// checkout pages (`/sandbox/checkout/{paymentId}`, for browsers) and the gateways' images.
    pub fn scope(&self) -> actix_web::Scope {
        web::scope("/sandbox")
            .app_data(web::Data::new(self.clone()))
            .service(
                web::scope("/v1")
                    .wrap(from_fn(auth::require_sandbox_key))
                    .configure(api::routes),
            )
            .service(checkout::resource())
            .service(api::gateway_image_resource())
    }

    /// Where the sandbox's pages and images are reached: the public URL, or else the scheme
    /// and host the request came in on. No trailing slash.
    fn base_url(&self, req: &actix_web::HttpRequest) -> String {
        match &self.public_url {
            Some(public_url) => public_url.clone(),
            None => {
                let info = req.connection_info();
                format!("{}://{}", info.scheme(), info.host())
            }
        }
    }
}
