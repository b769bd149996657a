//! Versioned schema changes for PostgreSQL: the SQL files of `migrations/`, named
//! `NNNN_what_it_does.sql` and applied in the order of their names, each once, recorded in
//! `schema_migrations` as on SQLite. Instances starting together take an advisory lock first,
//! so one migrates and the others find the work done. To add a migration: drop the file with
//! the next number into `migrations/` and add its line at the end of [`MIGRATIONS`].

use anyhow::Context;

use crate::storage::migration_record::{self, Migration};
use deadpool_postgres::Object;

/// `(name, SQL)` of the file `migrations/{name}.sql`.
macro_rules! migration {
    ($name:literal) => {
        ($name, include_str!(concat!("migrations/", $name, ".sql")))
    };
}

/// Every migration, in the order of their names.
const MIGRATIONS: &[Migration] = &[
    migration!("0001_schema"),
    migration!("0002_store_refunds"),
    migration!("0003_order_cancellation"),
    migration!("0004_payment_amounts"),
    migration!("0005_page_change_triggers"),
];

/// The advisory lock migrations are applied under: any number, the same in every instance.
const LOCK: i64 = 0x766f_7563_6865_726c; // "voucherl"

const CREATE_RECORD: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    name       TEXT PRIMARY KEY,
    applied_at BIGINT NOT NULL
)";

/// Applies every migration not yet recorded, in one transaction under the lock, and refuses a
/// database that holds migrations this program does not know (a newer program's).
pub async fn apply(client: &mut Object) -> anyhow::Result<()> {
    let tx = client
        .transaction()
        .await
        .context("could not migrate the database")?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
        .await
        .context("could not take the migration lock")?;
    tx.batch_execute(CREATE_RECORD).await?;
    let applied = applied(&tx).await?;
    migration_record::refuse_newer(MIGRATIONS, &applied)?;
    for (name, sql) in migration_record::pending(MIGRATIONS, &applied) {
        tx.batch_execute(sql)
            .await
            .with_context(|| format!("migration {name} failed"))?;
        tx.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)",
            &[name, &super::now()],
        )
        .await?;
    }
    tx.commit()
        .await
        .context("could not migrate the database")?;
    Ok(())
}

/// Fails unless the database has exactly the migrations this program knows.
pub async fn check_current(client: &Object) -> anyhow::Result<()> {
    let applied = applied(client)
        .await
        .context("the database has no record of its migrations")?;
    migration_record::check_current(MIGRATIONS, &applied)
}

async fn applied(client: &impl deadpool_postgres::GenericClient) -> anyhow::Result<Vec<String>> {
    let rows = client
        .query("SELECT name FROM schema_migrations ORDER BY name", &[])
        .await?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}
