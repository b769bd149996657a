//! `GET /metrics`: off unless configured. With a bearer token it is served on the app's own
//! address and answers 401 without the token; with a separate address (`--metrics-bind`, for a
//! port only the monitoring network reaches) it is served there alone, and there too the token
//! is required when one is set.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::Context;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

use super::METRICS;
use crate::app::payments::Spool;
use crate::settings::Settings;
use crate::state::AppState;
use crate::storage::backlogs;

pub const PATH: &str = "/metrics";

/// Who may read `/metrics`.
#[derive(Clone)]
pub struct MetricsAccess {
    token: Option<SecretString>,
}

impl MetricsAccess {
    /// The access the settings give on the app's own address: `None` when metrics are off there
    /// (no token, or served on a separate address instead).
    pub fn on_main_address(settings: &Settings) -> Option<Self> {
        match (&settings.metrics_token, &settings.metrics_bind) {
            (Some(token), None) => Some(Self {
                token: Some(token.clone()),
            }),
            _ => None,
        }
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

/// The separate metrics server of `--metrics-bind`, with its port; `None` when unset.
/// Whether metrics are served at all (a token or a separate address is set): only then is each
/// request counted.
pub fn enabled(settings: &Settings) -> bool {
    settings.metrics_token.is_some() || settings.metrics_bind.is_some()
}

pub fn metrics_server(
    settings: &Settings,
    state: web::Data<AppState>,
) -> anyhow::Result<Option<(Server, u16)>> {
    let Some(bind) = &settings.metrics_bind else {
        return Ok(None);
    };
    let listener = TcpListener::bind(bind)
        .with_context(|| format!("could not listen on {bind} for metrics"))?;
    let port = listener.local_addr()?.port();
    let access = MetricsAccess {
        token: settings.metrics_token.clone(),
    };
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .configure(|cfg| configure(cfg, access.clone()))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok(Some((server, port)))
}

pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
    access: web::Data<MetricsAccess>,
) -> HttpResponse {
    if !access.allows(&req) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")))
            .body("a bearer token is needed to read the metrics\n");
    }
    match exposition(&state).await {
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
async fn exposition(state: &AppState) -> anyhow::Result<String> {
    let backlogs = backlogs::read(&state.db).await?;
    let spool = Spool::beside(state.db.path());
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
        state.payments.callback_inbox_cap,
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
    let mut text = String::new();
    encode_registry(&mut text, &METRICS.registry)?;
    encode_registry(&mut text, &now)?;
    encode_eof(&mut text)?;
    Ok(text)
}
