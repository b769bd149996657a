//! Versioned schema changes: the SQL files of `migrations/`, named `NNNN_what_it_does.sql` and
//! applied in the order of their names, each once, all pending ones inside one transaction. The
//! table `schema_migrations` lists the names applied, so a database says which changes it has,
//! whatever the engine, and a program refuses one holding changes it does not know (a newer
//! program's). To add a migration: drop the file with the next number into `migrations/` and
//! add its line at the end of [`MIGRATIONS`]. Never edit a migration that has shipped.

mod legacy;
#[cfg(test)]
mod tests;

use anyhow::Context;

use crate::storage::migration_record::{self, Migration};
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// `(name, SQL)` of the file `migrations/{name}.sql`.
macro_rules! migration {
    ($name:literal) => {
        ($name, include_str!(concat!("migrations/", $name, ".sql")))
    };
}

/// Every migration, in the order of their names (a test holds the list to the folder).
const MIGRATIONS: &[Migration] = &[
    migration!("0001_shoppers"),
    migration!("0002_sandbox"),
    migration!("0003_orders_payments"),
    migration!("0004_handovers"),
    migration!("0005_outbox"),
    migration!("0006_demo_store"),
    migration!("0007_twin_sandbox_state"),
    migration!("0008_money_callback_inbox"),
    migration!("0009_money_one_open_payment"),
    migration!("0010_harden_rate_limits"),
    migration!("0011_newcomer_preferred_methods"),
    migration!("0012_callback_spool"),
    migration!("0013_shopper_alone_customers"),
    migration!("0014_shopper_alone_method_setups"),
    migration!("0015_store_refunds"),
    migration!("0016_order_cancellation"),
    migration!("0017_payment_amounts"),
];

/// The record of what has been applied. Plain SQL, the same on any engine.
const CREATE_RECORD: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    name       TEXT PRIMARY KEY,
    applied_at INTEGER NOT NULL
)";

/// Fails unless the database has exactly the migrations this program knows: a missing one was
/// not applied, an unknown one belongs to a newer program.
pub fn check_current(conn: &Connection) -> anyhow::Result<()> {
    let applied = applied(conn).context("the database has no record of its migrations")?;
    migration_record::check_current(MIGRATIONS, &applied)
}

/// Applies every migration not yet recorded, in order, and records each. A database from before
/// `schema_migrations` existed is first given the record its version number stands for.
pub fn apply(conn: &mut Connection) -> anyhow::Result<()> {
    // Immediate: instances starting together on one file take turns, none sees half a schema.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(CREATE_RECORD)?;
    legacy::adopt(&tx, &MIGRATIONS[..legacy::VERSIONED])?;
    let applied = applied(&tx)?;
    migration_record::refuse_newer(MIGRATIONS, &applied)?;
    for (name, sql) in migration_record::pending(MIGRATIONS, &applied) {
        tx.execute_batch(sql)
            .with_context(|| format!("migration {name} failed"))?;
        record(&tx, name)?;
    }
    legacy::mark(&tx, MIGRATIONS.len())?;
    tx.commit()?;
    Ok(())
}

fn record(tx: &Transaction, name: &str) -> anyhow::Result<()> {
    tx.execute(
        "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)",
        rusqlite::params![name, super::now()],
    )?;
    Ok(())
}

/// The names recorded as applied, in order.
fn applied(conn: &Connection) -> anyhow::Result<Vec<String>> {
    let mut statement = conn.prepare("SELECT name FROM schema_migrations ORDER BY name")?;
    let names = statement
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names)
}
