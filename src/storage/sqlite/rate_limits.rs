//! Rate-limit counters in the database, so every instance sharing it counts together: a fixed
//! window per bucket (what is limited, for whom).

use async_trait::async_trait;
use rusqlite::params;

use super::Database;
use crate::storage::{Limit, RateLimitStore};

#[async_trait]
impl RateLimitStore for Database {
    async fn take_one(
        &self,
        bucket: String,
        limit: Limit,
        now: i64,
    ) -> anyhow::Result<Option<u64>> {
        let window_start = now - now.rem_euclid(limit.window);
        let hits: i64 = self
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
        Ok((hits > limit.hits)
            .then(|| u64::try_from(window_start + limit.window - now).unwrap_or(1)))
    }

    async fn sweep_counters(&self, before: i64) -> anyhow::Result<usize> {
        self.run(move |conn| {
            Ok(conn
                .prepare_cached("DELETE FROM rate_limits WHERE window_start < ?1")?
                .execute([before])?)
        })
        .await
    }
}
