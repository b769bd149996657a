//! The PostgreSQL engine, for a store that runs several instances on one database: a bounded
//! pool of connections (deadpool-postgres over tokio-postgres, async all the way, so no query
//! holds a thread), statements prepared once per connection (`prepare_cached`), TLS when the
//! URL asks for it, and versioned migrations applied at start-up under an advisory lock.
//!
//! Every family of the storage interface is implemented in its own file, with the same meaning
//! as the SQLite engine's; the contract tests (`tests/api/storage/`) run each on both engines.

mod changes;
mod connect;
#[cfg(feature = "demo")]
mod demo_store;
pub(super) mod fault;
mod fence;
mod handovers;
mod health;
mod import;
mod ledger;
mod limits;
mod method_setups;
mod migrations;
mod orders;
mod outbox;
mod pages;
mod payments;
mod preferences;
mod refunds;
mod sessions;
mod settings;
mod shoppers;

use std::sync::{Arc, OnceLock};

use anyhow::Context;
use deadpool_postgres::{Object, Pool};

/// A handle on the application's PostgreSQL database. Cheap to clone.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    inner: Arc<Inner>,
}

struct Inner {
    target: connect::Target,
    /// Changes heard from every instance (see [`changes`]).
    changes: tokio::sync::broadcast::Sender<crate::storage::Change>,
    /// Set once the listening connection is started, at the first subscriber.
    listening: OnceLock<()>,
    /// The page cache, and what the listener does for it (see [`fence`]).
    hearing: Arc<fence::Hearing>,
    /// This instance on the change feed (see [`changes`]).
    presence: Arc<changes::Presence>,
}

impl Postgres {
    /// Connects to the database at `url` (a `postgres://` URL; `sslmode=require` and the like
    /// ask for TLS) with at most `pool_size` connections, and brings its schema up to date.
    /// An error says what went wrong without repeating the URL's password.
    pub async fn open(url: &str, pool_size: usize) -> anyhow::Result<Self> {
        let target = connect::Target::parse(url)?;
        let pool = target.pool(pool_size)?;
        let database = Self {
            pool,
            inner: Arc::new(Inner {
                target,
                changes: tokio::sync::broadcast::channel(crate::storage::BACKLOG).0,
                listening: OnceLock::new(),
                hearing: Arc::new(fence::Hearing::new()),
                presence: Arc::new(changes::Presence::new()?),
            }),
        };
        let mut client = database.client().await?;
        migrations::apply(&mut client).await?;
        Ok(database)
    }

    /// A connection from the pool, waiting for one when all are busy. A server that cannot be
    /// reached is a fault (see `storage::fault`), not a bug.
    pub(crate) async fn client(&self) -> anyhow::Result<Object> {
        super::touches::touched();
        self.pool
            .get()
            .await
            .context("could not get a connection to PostgreSQL")
            .inspect_err(crate::storage::fault::record)
    }
}

/// Seconds since the Unix epoch, the form every timestamp is stored in (as on SQLite).
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
