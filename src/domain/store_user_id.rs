//! The store's own id for one of its users.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreUserId(String);

impl StoreUserId {
    /// Accepts 1 to 128 printable ASCII characters without spaces.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() || text.len() > 128 || !text.chars().all(|c| c.is_ascii_graphic()) {
            return Err(
                "a store user id must have 1 to 128 printable ASCII characters and no spaces"
                    .into(),
            );
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoreUserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::StoreUserId;
    use proptest::prelude::*;

    #[test]
    fn ids_with_spaces_or_nothing_are_refused() {
        assert!(StoreUserId::parse("").is_err());
        assert!(StoreUserId::parse("user 1").is_err());
        assert!(StoreUserId::parse("utente-è").is_err());
        assert!(StoreUserId::parse("user-42").is_ok());
    }

    proptest! {
        #[test]
        fn accepted_ids_are_unchanged(text in "[!-~]{1,128}") {
            let parsed = StoreUserId::parse(&text).unwrap();
            prop_assert_eq!(parsed.as_str(), text.as_str());
        }
    }
}
