//! A fresh database of each engine for one test. PostgreSQL is the server `TEST_DATABASE_URL`
//! names (`scripts/test` starts a throwaway one); each test gets its own database on it.

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

/// The URL of a new, empty database on the test server.
pub async fn fresh_postgres_database() -> String {
    let server = std::env::var("TEST_DATABASE_URL").expect(
        "TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts a \
         throwaway PostgreSQL, or point it at a server where databases may be created",
    );
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let (client, connection) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
        .await
        .expect("the test PostgreSQL server");
    tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("a new test database");
    let mut url = reqwest::Url::parse(&server).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}
