//! Where the database is and how to reach it: the pool of connections, and the one connection
//! that listens for other instances' changes, with TLS when the URL asks for it.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How long a query waits for a free connection, or for the server to accept one, before it
/// is a fault ("try again shortly") rather than a hung request.
const WAIT: Duration = Duration::from_secs(5);

/// The server, from the database URL. `sslmode=disable` talks in the clear; `prefer` (the
/// default) uses TLS when the server offers it; `require` insists on it. With TLS the server's
/// certificate is checked against the public web's roots (Mozilla's list).
#[derive(Clone)]
pub struct Target {
    pub config: tokio_postgres::Config,
    pub tls: Option<MakeRustlsConnect>,
}

impl Target {
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        let mut config = tokio_postgres::Config::from_str(url).map_err(|error| {
            anyhow::anyhow!("the database URL is not a valid PostgreSQL URL: {error}")
        })?;
        config
            .application_name("voucherly-account")
            .connect_timeout(WAIT)
            .keepalives_idle(Duration::from_secs(30));
        let tls = match config.get_ssl_mode() {
            SslMode::Disable => None,
            _ => Some(tls()?),
        };
        Ok(Self { config, tls })
    }

    /// A pool of at most `size` connections.
    pub fn pool(&self, size: usize) -> anyhow::Result<Pool> {
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let config = self.config.clone();
        let manager = match &self.tls {
            None => Manager::from_config(config, tokio_postgres::NoTls, manager_config),
            Some(tls) => Manager::from_config(config, tls.clone(), manager_config),
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
}

fn tls() -> anyhow::Result<MakeRustlsConnect> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("could not set up TLS for PostgreSQL")?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}
