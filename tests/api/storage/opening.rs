//! Opening a PostgreSQL database: instances starting together migrate it once, and the URL's
//! `sslmode` is obeyed (the test server speaks no TLS, so asking for it must fail, not fall back
//! to plain text).

use voucherly_account::storage::HealthStore;
use voucherly_account::storage::postgres::Postgres;

use crate::helpers::fresh_postgres_database;
use crate::helpers::test_db::TestDb;

#[tokio::test]
async fn instances_starting_together_on_an_empty_database_migrate_it_once() {
    let url = fresh_postgres_database().await;
    let opened = futures_all(&url).await;
    for database in &opened {
        database.check_ready().await.expect("ready");
    }
    let records: i64 = TestDb::Postgres(url).value(
        "SELECT count(*) FROM schema_migrations WHERE name = '0001_schema'",
        &[],
    );
    assert_eq!(records, 1);
}

/// Eight instances opening `url` at once.
async fn futures_all(url: &str) -> Vec<Postgres> {
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let url = url.to_owned();
            tokio::spawn(async move { Postgres::open(&url, 2).await })
        })
        .collect();
    let mut opened = Vec::new();
    for task in tasks {
        opened.push(
            task.await
                .unwrap()
                .expect("each instance opens the database"),
        );
    }
    opened
}

#[tokio::test]
async fn a_url_asking_for_tls_is_refused_by_a_server_without_it() {
    let url = fresh_postgres_database().await;
    let error = Postgres::open(&format!("{url}?sslmode=require"), 2)
        .await
        .err()
        .expect("no plain-text fallback when TLS is required");
    let text = format!("{error:#}");
    assert!(text.contains("TLS") || text.contains("tls"), "{text}");
    // The same server in the clear (and by default, `prefer`) is fine.
    Postgres::open(&format!("{url}?sslmode=disable"), 2)
        .await
        .expect("sslmode=disable");
    Postgres::open(&url, 2).await.expect("sslmode=prefer");
}

#[tokio::test]
async fn a_url_that_is_not_postgresqls_says_so() {
    let error = Postgres::open("postgres://host:notaport/db", 2)
        .await
        .err()
        .expect("refused");
    assert!(
        format!("{error:#}").contains("not a valid PostgreSQL URL"),
        "{error:#}"
    );
}
