//! SQLite storage: a small pool of connections, used off the async workers, and the versioned
//! migrations applied at start-up.

pub mod account_page;
pub mod handovers;
pub mod maintenance;
mod migrations;
pub mod orders;
pub mod payments;
pub mod shoppers;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use rusqlite::Connection;

/// How many connections are open at most, all kept for reuse. More queries than that wait
/// their turn without holding a thread: SQLite's work here is short and CPU-bound, so more
/// connections than cores' worth of it would only add opening costs and lock contention.
const POOL_SIZE: usize = 8;

/// Statements each connection keeps compiled (`prepare_cached`).
const STATEMENT_CACHE: usize = 64;

/// A handle on the application's SQLite file. Cheap to clone.
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<tokio::sync::Semaphore>,
}

impl Database {
    /// Opens (creating if needed) the file at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let mut conn = connect(path)?;
        migrations::apply(&mut conn)
            .with_context(|| format!("could not migrate the database {}", path.display()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                idle: Mutex::new(vec![conn]),
                permits: Arc::new(tokio::sync::Semaphore::new(POOL_SIZE)),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `work` with a connection on a blocking thread, so queries never stall the async
    /// workers.
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
                None => connect(&inner.path)?,
            };
            let outcome = work(&mut conn);
            inner.give_back(conn);
            outcome
        })
        .await
        .context("a database task did not finish")?
    }
}

impl Inner {
    fn take_idle(&self) -> Option<Connection> {
        self.idle.lock().ok()?.pop()
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            // A connection left inside a transaction (a bug elsewhere) is not reused.
            if idle.len() < POOL_SIZE && conn.is_autocommit() {
                idle.push(conn);
            }
        }
    }
}

fn connect(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open(path)
        .with_context(|| format!("could not open the database {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA journal_size_limit = 16777216;",
    )
    .context("could not configure the database connection")?;
    Ok(conn)
}

/// Seconds since the Unix epoch, the form every timestamp is stored in.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
