//! Hand-overs: one-time links that sign a shopper in, made by the store's server through the
//! store API. The token itself is only ever in the link; the table keeps its SHA-256.

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Database, now};

/// Rows this long past their expiry are swept away; until then a late click still gets the
/// "already used or expired" page, with its way back to the store.
const KEEP_EXPIRED_FOR: i64 = 24 * 3600;

/// A hand-over token: 32 random bytes, hex-encoded, so it fits a URL as it is.
pub struct Token(String);

impl Token {
    pub fn generate() -> anyhow::Result<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        Ok(Self(hex::encode(bytes)))
    }

    /// A token as it arrives in a link; `None` when it cannot be one of ours.
    pub fn parse(text: &str) -> Option<Self> {
        let well_formed = text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit());
        well_formed.then(|| Self(text.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the table keeps: the hex SHA-256 of the token.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

/// A hand-over to store: who it signs in, where "back to the store" leads, what to show first.
pub struct NewHandover {
    pub shopper_id: i64,
    pub return_url: String,
    pub order_id: Option<i64>,
    pub expires_at: i64,
}

/// What opening a link found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    /// The link was valid and is now used up.
    SignedIn {
        shopper_id: i64,
        return_url: String,
        order_id: Option<i64>,
        language: String,
    },
    /// The link exists but was used before or has expired.
    Gone {
        return_url: String,
        language: String,
    },
    /// No such link (or swept away long ago).
    Unknown,
}

/// Stores a hand-over under the token's hash, and sweeps long-expired ones.
pub async fn create(db: &Database, token: &Token, handover: NewHandover) -> anyhow::Result<()> {
    let token_hash = token.hash();
    db.run(move |conn| {
        let at = now();
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
pub async fn redeem(db: &Database, token: &Token) -> anyhow::Result<Redeemed> {
    let token_hash = token.hash();
    db.run(move |conn| {
        let used = conn
            .query_row(
                "UPDATE handovers SET used_at = ?1
                 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at >= ?1
                 RETURNING shopper_id, return_url, order_id,
                     (SELECT language FROM shoppers WHERE shoppers.id = handovers.shopper_id)",
                params![now(), token_hash],
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

/// The id of the order the store knows as `store_order_id`, if it belongs to the shopper the
/// store knows as `store_user_id`.
pub async fn order_of(
    db: &Database,
    store_user_id: &str,
    store_order_id: &str,
) -> anyhow::Result<Option<i64>> {
    let (store_user_id, store_order_id) = (store_user_id.to_owned(), store_order_id.to_owned());
    db.run(move |conn| {
        Ok(conn
            .query_row(
                "SELECT orders.id FROM orders JOIN shoppers ON shoppers.id = orders.shopper_id
                 WHERE orders.store_order_id = ?1 AND shoppers.store_user_id = ?2",
                params![store_order_id, store_user_id],
                |row| row.get(0),
            )
            .optional()?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_64_hex_digits_and_its_hash_is_not_the_token() {
        let token = Token::generate().unwrap();
        assert!(Token::parse(token.as_str()).is_some());
        assert_eq!(token.hash().len(), 64);
        assert_ne!(token.hash(), token.as_str());
    }

    #[test]
    fn anything_else_is_not_a_token() {
        for text in [
            "",
            "abc",
            &"g".repeat(64),
            &"a".repeat(65),
            "../../etc/passwd",
        ] {
            assert!(Token::parse(text).is_none(), "{text}");
        }
    }
}
