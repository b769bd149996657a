//! Rate-limit counters in the shared database, so every instance counts together: a fixed
//! window per bucket (what is limited, for whom). One `INSERT … ON CONFLICT DO UPDATE …
//! RETURNING` takes one and reads the count, so concurrent takes on any instances count exactly.

use async_trait::async_trait;

use super::Postgres;
use crate::storage::{Limit, RateLimitStore};

#[async_trait]
impl RateLimitStore for Postgres {
    async fn take_one(
        &self,
        bucket: String,
        limit: Limit,
        now: i64,
    ) -> anyhow::Result<Option<u64>> {
        let window_start = now - now.rem_euclid(limit.window);
        let client = self.client().await?;
        let take = client
            .prepare_cached(
                "INSERT INTO rate_limits AS r (bucket, window_start, hits) VALUES ($1, $2, 1)
                 ON CONFLICT (bucket) DO UPDATE SET
                   hits = CASE WHEN r.window_start = excluded.window_start
                               THEN r.hits + 1 ELSE 1 END,
                   window_start = excluded.window_start
                 RETURNING hits",
            )
            .await?;
        let hits: i64 = client
            .query_one(&take, &[&bucket, &window_start])
            .await?
            .get(0);
        Ok((hits > limit.hits)
            .then(|| u64::try_from(window_start + limit.window - now).unwrap_or(1)))
    }

    async fn sweep_counters(&self, before: i64) -> anyhow::Result<usize> {
        let client = self.client().await?;
        let sweep = client
            .prepare_cached("DELETE FROM rate_limits WHERE window_start < $1")
            .await?;
        Ok(usize::try_from(client.execute(&sweep, &[&before]).await?)?)
    }
}
