//! Where `/metrics` is served, from the settings: off unless a bearer token or a separate
//! address (`--metrics-bind`, for a port only the monitoring network reaches) is set.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use anyhow::Context;

use crate::routes::metrics::{Backlogs, MetricsAccess, configure};
use crate::settings::Settings;

/// Whether metrics are served at all (a token or a separate address is set): only then is each
/// request counted.
pub fn enabled(settings: &Settings) -> bool {
    settings.metrics_token.is_some() || settings.metrics_bind.is_some()
}

/// The access the settings give on the app's own address: `None` when metrics are off there
/// (no token, or served on a separate address instead).
pub fn on_main_address(settings: &Settings) -> Option<MetricsAccess> {
    match (&settings.metrics_token, &settings.metrics_bind) {
        (Some(token), None) => Some(MetricsAccess::new(Some(token.clone()))),
        _ => None,
    }
}

/// The separate metrics server of `--metrics-bind`, with its port; `None` when unset.
pub fn metrics_server(
    settings: &Settings,
    backlogs: web::Data<Backlogs>,
) -> anyhow::Result<Option<(Server, u16)>> {
    let Some(bind) = &settings.metrics_bind else {
        return Ok(None);
    };
    let listener = TcpListener::bind(bind)
        .with_context(|| format!("could not listen on {bind} for metrics"))?;
    let port = listener.local_addr()?.port();
    let access = MetricsAccess::new(settings.metrics_token.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(backlogs.clone())
            .configure(|cfg| configure(cfg, access.clone()))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok(Some((server, port)))
}
