//! Rate-limit counters in the database, so every instance sharing it counts together: a fixed
//! window per bucket (what is limited, for whom).

use rusqlite::params;

use super::{Database, now};

/// At most `hits` in each `window` seconds.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub hits: i64,
    pub window: i64,
}

/// Counts one hit in `bucket`; `Some(seconds)` to wait when it went over the limit.
pub async fn hit(db: &Database, bucket: String, limit: Limit) -> anyhow::Result<Option<u64>> {
    let now = now();
    let window_start = now - now.rem_euclid(limit.window);
    let hits: i64 = db
        .run(move |conn| {
            Ok(conn
                .prepare_cached(
                    "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?1, ?2, 1)
                     ON CONFLICT (bucket) DO UPDATE SET
                       hits = CASE WHEN window_start = excluded.window_start
                                   THEN hits + 1 ELSE 1 END,
                       window_start = excluded.window_start
                     RETURNING hits",
                )?
                .query_row(params![bucket, window_start], |row| row.get(0))?)
        })
        .await?;
    Ok((hits > limit.hits).then(|| u64::try_from(window_start + limit.window - now).unwrap_or(1)))
}

/// Deletes counters of windows long gone.
pub fn sweep(conn: &rusqlite::Connection) -> anyhow::Result<usize> {
    Ok(conn
        .prepare_cached("DELETE FROM rate_limits WHERE window_start < ?1")?
        .execute([now() - 24 * 3600])?)
}
