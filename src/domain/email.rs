//! An email address, checked for the shape every address has.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Accepts `local@domain.tld` with no spaces or control characters, at most 254 characters.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let well_formed = text.len() <= 254
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            && match text.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if well_formed {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!("{text:?} is not a valid email address"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;
    use proptest::prelude::*;

    #[test]
    fn ordinary_addresses_are_accepted() {
        assert_eq!(
            Email::parse(" mario.rossi@example.it ").unwrap().as_str(),
            "mario.rossi@example.it"
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "mario",
            "@example.it",
            "mario@",
            "mario@example",
            "a b@c.it",
            "a@b@c.it",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn a_text_without_at_sign_is_never_an_email(text in "[^@]*") {
            prop_assert!(Email::parse(&text).is_err());
        }

        #[test]
        fn simple_addresses_round_trip(local in "[a-z0-9._-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let address = format!("{local}@{domain}");
            let parsed = Email::parse(&address).unwrap();
            prop_assert_eq!(parsed.as_str(), address.as_str());
        }
    }
}
