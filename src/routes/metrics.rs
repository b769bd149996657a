//! `GET /metrics`: the process's counters (`metrics`) and the backlogs read at each scrape. Off
//! unless configured (see `startup`): with a bearer token it is served on the app's own address
//! and answers 401 without the token; with a separate address it is served there alone, and
//! there too the token is required when one is set.

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use crate::app::payments::Spool;
use crate::domain::Clock;
use crate::session::StoredSessions;
use crate::storage::HealthStore;

pub const PATH: &str = "/metrics";

/// Who may read `/metrics`.
#[derive(Clone)]
pub struct MetricsAccess {
    token: Option<SecretString>,
}

/// What a scrape reads besides the counters: the storage's backlogs, the callback spool's, the
/// inbox's cap, and this instance's session cache.
pub struct Backlogs {
    pub sessions: StoredSessions,
    pub health: Arc<dyn HealthStore>,
    pub spool: Arc<Spool>,
    pub callback_inbox_cap: i64,
    pub clock: Arc<dyn Clock>,
}

impl MetricsAccess {
    /// Readers need `token` as a bearer token; without one, anyone reaching the address may read.
    pub fn new(token: Option<SecretString>) -> Self {
        Self { token }
    }

    fn allows(&self, req: &HttpRequest) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, given)| given.trim().as_bytes())
            .unwrap_or_default();
        bool::from(given.ct_eq(token.expose_secret().as_bytes()))
    }
}

/// Registers `/metrics` for `access`.
pub fn configure(cfg: &mut web::ServiceConfig, access: MetricsAccess) {
    cfg.app_data(web::Data::new(access))
        .route(PATH, web::get().to(scrape));
}

pub async fn scrape(
    req: HttpRequest,
    backlogs: web::Data<Backlogs>,
    access: web::Data<MetricsAccess>,
) -> HttpResponse {
    if !access.allows(&req) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")))
            .body("a bearer token is needed to read the metrics\n");
    }
    match exposition(&backlogs).await {
        Ok(text) => HttpResponse::Ok()
            .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
            .body(text),
        Err(error) => {
            tracing::error!(error = ?error, "could not gather the metrics");
            HttpResponse::ServiceUnavailable().body("the metrics cannot be read right now\n")
        }
    }
}

/// The process's counters, then the backlogs read now, in one OpenMetrics text.
async fn exposition(read: &Backlogs) -> anyhow::Result<String> {
    let backlogs = read.health.backlogs(read.clock.now()).await?;
    let spool = Arc::clone(&read.spool);
    let spooled = tokio::task::spawn_blocking(move || spool.backlog()).await??;
    // A registry of this scrape's own: two scrapes at once never see each other's values.
    let mut now = Registry::with_prefix("voucherly_account");
    let mut gauge = |name: &str, help: &str, value: i64| {
        let gauge = Gauge::<i64>::default();
        gauge.set(value);
        now.register(name, help, gauge);
    };
    gauge(
        "callback_inbox_backlog",
        "Voucherly callbacks received and not yet applied",
        backlogs.callback_inbox,
    );
    gauge(
        "callback_inbox_cap",
        "How many callbacks the inbox holds waiting at most",
        read.callback_inbox_cap,
    );
    gauge(
        "callback_spool_backlog",
        "Callbacks kept in the spool file while the database refused them, not yet replayed",
        i64::try_from(spooled).unwrap_or(i64::MAX),
    );
    gauge(
        "reconciler_backlog",
        "Payments not settled yet, which the reconciler keeps re-reading",
        backlogs.unsettled_payments,
    );
    gauge(
        "reconciler_due",
        "Unsettled payments due for a re-read now",
        backlogs.payments_due,
    );
    gauge(
        "outbox_backlog",
        "Store notifications not delivered yet",
        backlogs.outbox,
    );
    let (hits, misses) = read.sessions.lookups();
    for (name, help, value) in [
        (
            "session_cache_hits",
            "Session loads answered from this instance's memory",
            hits,
        ),
        (
            "session_cache_misses",
            "Session loads that read storage",
            misses,
        ),
    ] {
        let counter = Counter::<u64>::default();
        counter.inc_by(value);
        now.register(name, help, counter);
    }
    let mut text = String::new();
    crate::metrics::encode(&mut text)?;
    encode_registry(&mut text, &now)?;
    encode_eof(&mut text)?;
    Ok(text)
}
