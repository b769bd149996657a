//! Hand-overs ([`HandoverStore`] on PostgreSQL): one-time links that sign a shopper in, made by
//! the store's server through the store API. The token itself is only ever in the link; the
//! table keeps its SHA-256.

use async_trait::async_trait;

use super::Postgres;
use crate::domain::{HandoverToken, NewHandover, Redeemed};
use crate::storage::HandoverStore;

/// Rows this long past their expiry are swept away; until then a late click still gets the
/// "already used or expired" page, with its way back to the store.
const KEEP_EXPIRED_FOR: i64 = 24 * 3600;

#[async_trait]
impl HandoverStore for Postgres {
    async fn create_handover(
        &self,
        token: &HandoverToken,
        handover: NewHandover,
        now: i64,
    ) -> anyhow::Result<()> {
        create(self, token.hash(), handover, now).await
    }

    async fn redeem_handover(&self, token: &HandoverToken, now: i64) -> anyhow::Result<Redeemed> {
        redeem(self, token.hash(), now).await
    }
}

/// Stores a hand-over under the token's hash, and sweeps long-expired ones.
async fn create(
    db: &Postgres,
    token_hash: String,
    handover: NewHandover,
    at: i64,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let insert = client
        .prepare_cached(
            "INSERT INTO handovers (token_hash, shopper_id, return_url, order_id, expires_at,
                                    created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .await?;
    client
        .execute(
            &insert,
            &[
                &token_hash,
                &handover.shopper_id,
                &handover.return_url,
                &handover.order_id,
                &handover.expires_at,
                &at,
            ],
        )
        .await?;
    let sweep = client
        .prepare_cached("DELETE FROM handovers WHERE expires_at < $1")
        .await?;
    client.execute(&sweep, &[&(at - KEEP_EXPIRED_FOR)]).await?;
    Ok(())
}

/// Uses the hand-over up, in one conditional update: of two requests racing with the same link,
/// in this instance or another, the second waits for the first's row lock, finds `used_at` set
/// and gets `Gone`. Exactly one signs in.
async fn redeem(db: &Postgres, token_hash: String, now: i64) -> anyhow::Result<Redeemed> {
    let client = db.client().await?;
    let use_up = client
        .prepare_cached(
            "UPDATE handovers SET used_at = $1
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at >= $1
             RETURNING shopper_id, return_url, order_id,
                 (SELECT language FROM shoppers WHERE shoppers.id = handovers.shopper_id)",
        )
        .await?;
    if let Some(row) = client.query_opt(&use_up, &[&now, &token_hash]).await? {
        return Ok(Redeemed::SignedIn {
            shopper_id: row.try_get(0)?,
            return_url: row.try_get(1)?,
            order_id: row.try_get(2)?,
            language: row.try_get(3)?,
        });
    }
    let gone = client
        .prepare_cached(
            "SELECT return_url, shoppers.language FROM handovers
             JOIN shoppers ON shoppers.id = handovers.shopper_id
             WHERE token_hash = $1",
        )
        .await?;
    Ok(match client.query_opt(&gone, &[&token_hash]).await? {
        Some(row) => Redeemed::Gone {
            return_url: row.try_get(0)?,
            language: row.try_get(1)?,
        },
        None => Redeemed::Unknown,
    })
}
