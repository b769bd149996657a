//! SQLite only: databases from before `schema_migrations` counted their migrations in
//! `PRAGMA user_version` (11 of them, the first 11 files in name order). Such a database is
//! given the record its number stands for, once. Afterwards `user_version` still says how many
//! migrations are applied, only so that an older program refuses a database newer than itself
//! (it compares that number with its own count); nothing here reads it again.

use rusqlite::Transaction;

/// How many migrations existed when `user_version` was the record.
pub const VERSIONED: usize = 11;

/// Records the first `user_version` of `versioned` as applied, when the record is empty.
pub fn adopt(tx: &Transaction, versioned: &[(&str, &str)]) -> anyhow::Result<()> {
    let recorded: i64 = tx.query_row("SELECT COUNT(*) FROM schema_migrations", [], |row| {
        row.get(0)
    })?;
    let version: usize = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if recorded > 0 || version == 0 {
        return Ok(());
    }
    if version > versioned.len() {
        anyhow::bail!(
            "the database has schema version {version}, newer than this program knows ({}); \
             run a newer version of voucherly-account",
            versioned.len()
        );
    }
    for (name, _) in &versioned[..version] {
        super::record(tx, name)?;
    }
    Ok(())
}

/// Sets `user_version` to the number of migrations applied, for older programs.
pub fn mark(tx: &Transaction, applied: usize) -> anyhow::Result<()> {
    tx.pragma_update(None, "user_version", applied)?;
    Ok(())
}
