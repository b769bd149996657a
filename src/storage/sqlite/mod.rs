//! The SQLite engine (embedded, the default): a small pool of connections, used off the async workers, and the versioned
//! migrations applied at start-up.

mod account_page;
mod changes;
#[cfg(feature = "demo")]
mod demo_store;
pub(super) mod fault;
mod handovers;
mod health;
mod ledger;
mod maintenance;
mod method_setups;
mod migrations;
mod orders;
mod outbox;
mod payments;
mod preferences;
mod rate_limits;
mod refunds;
mod sessions;
mod settings;
mod shoppers;
mod snapshot;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use rusqlite::Connection;

/// How many connections are open at most, all kept for reuse: two per core, between 2 and 8.
/// More queries than that wait their turn without holding a thread: SQLite's work here is short
/// and CPU-bound, so more connections than cores' worth of it would only add opening costs, lock
/// contention and memory (each holds its page cache, its compiled statements and the schema).
fn pool_size() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |cores| cores.get() * 2)
        .clamp(2, 8)
}

/// The pages each connection keeps in memory, in KiB (SQLite's default is 2,000 per
/// connection). The file's pages stay in the kernel's page cache anyway, and the pages read most
/// are kept by the app's own caches: 256 KiB per connection keeps the resident memory low.
const PAGE_CACHE_KIB: usize = 256;

/// Statements each connection keeps compiled (`prepare_cached`).
const STATEMENT_CACHE: usize = 64;

/// How long a query waits for another writer by default before giving up with a fault.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A handle on the application's SQLite file. Cheap to clone.
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    busy_timeout: Duration,
    idle: Mutex<Vec<Connection>>,
    /// At most this many connections ([`pool_size`]).
    size: usize,
    permits: Arc<tokio::sync::Semaphore>,
    changes: tokio::sync::broadcast::Sender<crate::storage::Change>,
    /// What the pages read, kept until a unit of work changes it (see `watch`).
    pages: Arc<crate::storage::PageCache>,
}

impl Database {
    /// Opens (creating if needed) the file at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        Self::open_with(path, DEFAULT_BUSY_TIMEOUT)
    }

    /// Like `open`, with queries waiting at most `busy_timeout` for another writer. An error
    /// names the file and the reason.
    pub fn open_with(path: &Path, busy_timeout: Duration) -> anyhow::Result<Self> {
        let mut conn = connect(path, busy_timeout)?;
        migrations::apply(&mut conn).map_err(|error| match error.downcast_ref() {
            Some(sqlite) => anyhow::anyhow!(fault::explain_open_error(path, sqlite)),
            None => error.context(format!("could not migrate the database {}", path.display())),
        })?;
        watch::install(&conn).context("could not watch the database for changes")?;
        let size = pool_size();
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                busy_timeout,
                idle: Mutex::new(vec![conn]),
                size,
                permits: Arc::new(tokio::sync::Semaphore::new(size)),
                changes: tokio::sync::broadcast::channel(crate::storage::BACKLOG).0,
                pages: watch::cache_of(path),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `work` with a connection on a blocking thread, so queries never stall the async
    /// workers. The pages it changed are forgotten before it returns (see `watch`).
    pub async fn run<T, F>(&self, work: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> anyhow::Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        let permit = Arc::clone(&inner.permits)
            .acquire_owned()
            .await
            .context("the database pool is closed")?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut conn = match inner.take_idle() {
                Some(conn) => conn,
                None => {
                    let conn = connect(&inner.path, inner.busy_timeout)?;
                    watch::install(&conn)?;
                    conn
                }
            };
            watch::start();
            let outcome = work(&mut conn);
            inner.give_back(conn);
            let changed = watch::take();
            if !changed.is_empty() {
                inner.pages.forget(changed);
            }
            outcome
        })
        .await
        .context("a database task did not finish")
        .and_then(|outcome| outcome)
        .inspect_err(crate::storage::fault::record)
    }
}

impl Inner {
    fn take_idle(&self) -> Option<Connection> {
        self.idle.lock().ok()?.pop()
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            // A connection left inside a transaction (a bug elsewhere) is not reused.
            if idle.len() < self.size && conn.is_autocommit() {
                idle.push(conn);
            }
        }
    }
}

fn connect(path: &Path, busy_timeout: Duration) -> anyhow::Result<Connection> {
    let explain = |error: rusqlite::Error| {
        let text = fault::explain_open_error(path, &error);
        anyhow::Error::new(error).context(text)
    };
    let conn = Connection::open(path).map_err(explain)?;
    conn.busy_timeout(busy_timeout).map_err(explain)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA journal_size_limit = 16777216;",
    )
    .map_err(explain)?;
    conn.pragma_update(None, "cache_size", -(PAGE_CACHE_KIB as i64))
        .map_err(explain)?;
    Ok(conn)
}

/// Seconds since the Unix epoch, the form every timestamp is stored in.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
