//! Rate-limit counters.

use async_trait::async_trait;

/// At most `hits` in each `window` seconds.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub hits: i64,
    pub window: i64,
}

/// Counters that limit how often something may be done, shared by every instance: a fixed
/// window per bucket (what is limited, for whom).
#[async_trait]
pub trait RateLimitStore: Send + Sync {
    /// Takes one from `bucket` as of `now`; `Some(seconds)` to wait when that went over `limit`.
    async fn take_one(&self, bucket: String, limit: Limit, now: i64)
    -> anyhow::Result<Option<u64>>;
    /// Forgets the counters of windows that started before `before`; returns how many.
    async fn sweep_counters(&self, before: i64) -> anyhow::Result<usize>;
}
