//! Keeping the SQLite file bounded under load. SQLite checkpoints the write-ahead log by itself
//! every thousand pages, but a checkpoint cannot pass readers still using older pages, so under
//! steady traffic the log can grow, and it never shrinks on its own. A periodic `TRUNCATE`
//! checkpoint (the engine's housekeeping, run every minute by `app::housekeeping`) copies it
//! back into the database and empties it; `journal_size_limit` (set on every connection) caps
//! what an ordinary checkpoint leaves behind.

use super::Database;

/// Copies the log into the database and empties it; returns whether every page could be copied
/// (`false` when a reader or writer held on for longer than the busy timeout: the next run
/// finishes the job).
pub(super) async fn checkpoint(db: &Database) -> anyhow::Result<bool> {
    db.run(|conn| {
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        Ok(busy == 0)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_checkpoint_empties_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("test.db")).unwrap();
        db.run(|conn| {
            conn.execute_batch("CREATE TABLE filler (body TEXT)")?;
            for _ in 0..200 {
                conn.execute("INSERT INTO filler VALUES (?1)", ["x".repeat(4000)])?;
            }
            Ok(())
        })
        .await
        .unwrap();
        let log = dir.path().join("test.db-wal");
        assert!(std::fs::metadata(&log).unwrap().len() > 100_000);
        assert!(checkpoint(&db).await.unwrap());
        assert_eq!(std::fs::metadata(&log).unwrap().len(), 0);
    }
}
