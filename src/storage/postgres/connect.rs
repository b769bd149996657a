//! The pool of connections, with TLS when the URL asks for it.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::config::SslMode;

/// How long a query waits for a free connection, or for the server to accept one, before it
/// is a fault ("try again shortly") rather than a hung request.
const WAIT: Duration = Duration::from_secs(5);

/// A pool of at most `size` connections to `url`. `sslmode=disable` talks in the clear;
/// `prefer` (the default) uses TLS when the server offers it; `require` insists on it. With TLS
/// the server's certificate is checked against the public web's roots (Mozilla's list).
pub fn pool(url: &str, size: usize) -> anyhow::Result<Pool> {
    let config = tokio_postgres::Config::from_str(url).map_err(|error| {
        anyhow::anyhow!("the database URL is not a valid PostgreSQL URL: {error}")
    })?;
    let manager_config = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let manager = match config.get_ssl_mode() {
        SslMode::Disable => Manager::from_config(config, tokio_postgres::NoTls, manager_config),
        _ => Manager::from_config(config, tls()?, manager_config),
    };
    Pool::builder(manager)
        .max_size(size.max(1))
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(WAIT))
        .create_timeout(Some(WAIT))
        .recycle_timeout(Some(WAIT))
        .build()
        .context("could not set up the PostgreSQL connection pool")
}

fn tls() -> anyhow::Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("could not set up TLS for PostgreSQL")?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}
