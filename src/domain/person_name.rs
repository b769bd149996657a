//! A first or last name as the store gives it.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// Accepts 1 to 100 characters, trimmed, without control characters.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 100 || text.chars().any(char::is_control) {
            return Err("a name must have 1 to 100 characters and no control characters".into());
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::PersonName;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed_and_accented_letters_kept() {
        assert_eq!(PersonName::parse("  Niccolò ").unwrap().as_str(), "Niccolò");
    }

    #[test]
    fn empty_long_and_control_names_are_refused() {
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"a".repeat(101)).is_err());
        assert!(PersonName::parse("Mario\u{0}").is_err());
    }

    proptest! {
        #[test]
        fn any_accepted_name_is_trimmed_and_short(text in "\\PC{0,120}") {
            if let Ok(name) = PersonName::parse(&text) {
                prop_assert_eq!(name.as_str(), name.as_str().trim());
                prop_assert!(name.as_str().chars().count() <= 100);
            }
        }
    }
}
