//! A fresh database of each engine for one test. PostgreSQL is the server `TEST_DATABASE_URL`
//! names (`scripts/test` starts a throwaway one); each test gets its own database on it.

use crate::helpers::fresh_postgres_database;
use voucherly_account::storage::Database;
use voucherly_account::storage::postgres::Postgres;

/// Runs `$body` twice, with `$store` bound to a fresh SQLite database, then to a fresh
/// PostgreSQL one. The body must hold on both.
macro_rules! on_both {
    (|$store:ident| $body:block) => {{
        let engines = $crate::storage::engines::Engines::new().await;
        {
            let $store = &engines.sqlite;
            $body
        }
        {
            let $store = &engines.postgres;
            $body
        }
    }};
}

pub struct Engines {
    pub sqlite: Database,
    pub postgres: Postgres,
    /// The URL of `postgres`'s database, for setting up rows the interface cannot write yet.
    pub postgres_url: String,
    _dir: tempfile::TempDir,
}

impl Engines {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sqlite = Database::open(&dir.path().join("test.db")).expect("a SQLite database");
        let postgres_url = fresh_postgres_database().await;
        let postgres = Postgres::open(&postgres_url, 4)
            .await
            .expect("a PostgreSQL database");
        Self {
            sqlite,
            postgres,
            postgres_url,
            _dir: dir,
        }
    }
}
