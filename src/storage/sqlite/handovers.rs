//! Hand-overs ([`HandoverStore`] on SQLite): one-time links that sign a shopper in, made by the
//! store's server through the store API. The token itself is only ever in the link; the table
//! keeps its SHA-256.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::Database;
use crate::domain::{HandoverToken, NewHandover, Redeemed};
use crate::storage::HandoverStore;

/// Rows this long past their expiry are swept away; until then a late click still gets the
/// "already used or expired" page, with its way back to the store.
const KEEP_EXPIRED_FOR: i64 = 24 * 3600;

#[async_trait]
impl HandoverStore for Database {
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
    db: &Database,
    token_hash: String,
    handover: NewHandover,
    at: i64,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "INSERT INTO handovers (token_hash, shopper_id, return_url, order_id, expires_at,
                                    created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                token_hash,
                handover.shopper_id,
                handover.return_url,
                handover.order_id,
                handover.expires_at,
                at
            ],
        )?;
        conn.execute(
            "DELETE FROM handovers WHERE expires_at < ?1",
            [at - KEEP_EXPIRED_FOR],
        )?;
        Ok(())
    })
    .await
}

/// Uses the hand-over up, in one statement: of two requests racing with the same link, exactly
/// one signs in.
async fn redeem(db: &Database, token_hash: String, now: i64) -> anyhow::Result<Redeemed> {
    db.run(move |conn| {
        let used = conn
            .query_row(
                "UPDATE handovers SET used_at = ?1
                 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at >= ?1
                 RETURNING shopper_id, return_url, order_id,
                     (SELECT language FROM shoppers WHERE shoppers.id = handovers.shopper_id)",
                params![now, token_hash],
                |row| {
                    Ok(Redeemed::SignedIn {
                        shopper_id: row.get(0)?,
                        return_url: row.get(1)?,
                        order_id: row.get(2)?,
                        language: row.get(3)?,
                    })
                },
            )
            .optional()?;
        if let Some(used) = used {
            return Ok(used);
        }
        let gone = conn
            .query_row(
                "SELECT return_url, shoppers.language FROM handovers
                 JOIN shoppers ON shoppers.id = handovers.shopper_id
                 WHERE token_hash = ?1",
                [token_hash],
                |row| {
                    Ok(Redeemed::Gone {
                        return_url: row.get(0)?,
                        language: row.get(1)?,
                    })
                },
            )
            .optional()?;
        Ok(gone.unwrap_or(Redeemed::Unknown))
    })
    .await
}
