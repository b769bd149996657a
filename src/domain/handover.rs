//! Hand-overs: one-time links that sign a shopper in, made by the store's server. The token is
//! only ever in the link; what is kept is its SHA-256.

use sha2::{Digest, Sha256};

/// A hand-over token: 32 random bytes, hex-encoded, so it fits a URL as it is.
pub struct HandoverToken(String);

impl HandoverToken {
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

    /// What is kept: the hex SHA-256 of the token.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

/// A hand-over to keep: who it signs in, where "back to the store" leads, what to show first.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_64_hex_digits_and_its_hash_is_not_the_token() {
        let token = HandoverToken::generate().unwrap();
        assert!(HandoverToken::parse(token.as_str()).is_some());
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
            assert!(HandoverToken::parse(text).is_none(), "{text}");
        }
    }
}
