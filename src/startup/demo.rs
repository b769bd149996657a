//! The start-up wiring of the `demo` feature, the only place the core meets it: the embedded
//! sandbox standing in for Voucherly when there is no API key, the demo shoppers and orders, and
//! the routes of the sandbox, the demo sign-in and the demo store (with its records).

use std::sync::Arc;

use actix_web::web;
use anyhow::Context;
use secrecy::SecretString;

use super::Routes;
use super::engine::Engine;
use crate::sandbox::{self, Sandbox};
use crate::settings::{SandboxDialect, Settings};
use crate::state::AppState;
use crate::storage::Database;

/// The embedded sandbox's base URL on this process, and its API key.
pub fn sandbox_client(loopback: std::net::SocketAddr) -> (String, SecretString) {
    (
        format!("http://{loopback}/sandbox/"),
        SecretString::from(sandbox::API_KEY),
    )
}

/// Seeds the sandbox (when it is used) and the demo shoppers (when demo mode is on); returns
/// the routes they add.
pub async fn prepare(
    settings: &Settings,
    engine: &Engine,
    public_url: &str,
    environment: &'static str,
) -> anyhow::Result<Routes> {
    let sandbox = if settings.uses_embedded_sandbox() {
        let timings = sandbox::Timings {
            callback_retry_wait: std::time::Duration::from_millis(
                settings.sandbox_callback_retry_ms,
            ),
            authorisation: std::time::Duration::from_secs(settings.sandbox_authorisation_seconds),
            ..sandbox::Timings::default()
        };
        let dialect = match settings.sandbox_dialect {
            SandboxDialect::Docs => sandbox::Dialect::Docs,
            SandboxDialect::Sdk => sandbox::Dialect::Sdk,
        };
        let sandbox = Sandbox::new(sandbox_database(settings, engine)?)?
            .with_public_url(public_url)
            .with_timings(timings)
            .with_dialect(dialect)
            .strict(settings.sandbox_strict);
        sandbox.seed().await.context("could not seed the sandbox")?;
        Some(sandbox)
    } else {
        None
    };
    let demo = settings.demo_enabled();
    if demo {
        crate::demo::seed(engine.storage.as_ref(), environment)
            .await
            .context("could not create the demo shoppers")?;
    }
    let records = Arc::clone(&engine.demo_records);
    Ok(Arc::new(move |cfg: &mut web::ServiceConfig| {
        if let Some(sandbox) = &sandbox {
            cfg.service(sandbox.scope());
        }
        if demo {
            crate::demo::configure(cfg);
            cfg.app_data(web::Data::from(Arc::clone(&records)));
            cfg.configure(crate::demo_store::configure);
        }
    }))
}

/// Where the embedded sandbox keeps its state: the app's own SQLite file, or with PostgreSQL
/// its own file (`--sandbox-database`), which instances sharing one sandbox share.
fn sandbox_database(settings: &Settings, engine: &Engine) -> anyhow::Result<Database> {
    match &engine.sqlite {
        Some(db) => Ok(db.clone()),
        None => Database::open(&settings.sandbox_database),
    }
}

/// Says, once the app is up, what demo mode offers.
pub fn announce(state: &AppState) {
    if state.demo {
        crate::demo_store::log_api_key(state);
    }
}
