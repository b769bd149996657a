//! Moving a store from its SQLite file to PostgreSQL: every table the app keeps (shoppers,
//! customer ids, orders, payments, the callback inbox, the notification outbox, sessions,
//! hand-overs…) read in one consistent snapshot of the file, which may be in use by the running
//! app, and written into an empty PostgreSQL database in one transaction, then counted on both
//! sides. A target that holds anything is refused: nothing is ever overwritten or merged.

use std::path::Path;

/// The tables copied, parents before children. Rate-limit counters are not copied (they are
/// minutes old at most), nor the embedded sandbox's tables (it keeps its own file).
pub const TABLES: &[&str] = &[
    "app_settings",
    "shoppers",
    "voucherly_customers",
    "customer_claims",
    "preferred_methods",
    "method_setups",
    "orders",
    "order_lines",
    "order_discounts",
    "payments",
    "callback_inbox",
    "callback_spool_replayed",
    "handovers",
    "store_refunds",
    "outbox_events",
    "sessions",
    "demo_store_calls",
    "demo_store_events",
];

/// A value of a row, as SQLite holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// Every row of one table.
#[derive(Debug, Clone)]
pub struct TableRows {
    pub table: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// How many rows of each table were copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub counts: Vec<(&'static str, u64)>,
}

impl std::fmt::Display for Copied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (table, count) in &self.counts {
            writeln!(f, "{table:<24} {count:>8}")?;
        }
        Ok(())
    }
}

/// Copies the SQLite database at `from` into the empty PostgreSQL database at `to`, checks
/// that every table holds as many rows on both sides, and says how many.
pub async fn sqlite_to_postgres(from: &Path, to: &str) -> anyhow::Result<Copied> {
    anyhow::ensure!(
        from.is_file(),
        "there is no SQLite database at {}",
        from.display()
    );
    let source = super::Database::open(from)?;
    let target = super::postgres::Postgres::open(to, 2).await?;
    let non_empty = target.non_empty_tables(TABLES).await?;
    if !non_empty.is_empty() {
        anyhow::bail!(
            "the PostgreSQL database is not empty (it has rows in {}): copy into a new, empty \
             database, never over a store's data. If an instance was started on it already, \
             drop and create the database again before copying",
            non_empty.join(", ")
        );
    }
    let snapshot = source.snapshot(TABLES).await?;
    target.import(&snapshot).await?;
    let counts = target.counts(TABLES).await?;
    for (tables, (table, count)) in snapshot.iter().zip(&counts) {
        anyhow::ensure!(
            tables.rows.len() as u64 == *count,
            "{table}: {} rows in SQLite but {count} in PostgreSQL after the copy",
            tables.rows.len()
        );
    }
    Ok(Copied { counts })
}
