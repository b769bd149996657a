//! Hand-over links.

use async_trait::async_trait;

use crate::domain::{HandoverToken, NewHandover, Redeemed};

/// The store's one-time hand-over tokens, kept by their hash.
#[async_trait]
pub trait HandoverStore: Send + Sync {
    /// Keeps a hand-over under the token's hash, made at `now`, and sweeps long-expired ones.
    async fn create_handover(
        &self,
        token: &HandoverToken,
        handover: NewHandover,
        now: i64,
    ) -> anyhow::Result<()>;
    /// Uses the hand-over up at `now`, atomically: of two requests racing with the same link,
    /// exactly one signs in.
    async fn redeem_handover(&self, token: &HandoverToken, now: i64) -> anyhow::Result<Redeemed>;
}
