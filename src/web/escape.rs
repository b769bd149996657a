//! The HTML escaper of every template (named in `askama.toml`): askama's own five characters and
//! entities, looked for eight bytes at a time instead of one by one. A page escapes a few
//! kilobytes of short texts, nearly none of which has anything to escape.

use std::fmt::{self, Write};

use askama::filters::Escaper;

/// What askama writes for each character that HTML gives a meaning to (the same entities as
/// `askama::filters::Html`); `None` for any other byte.
fn entity(byte: u8) -> Option<&'static str> {
    match byte {
        b'"' => Some("&#34;"),
        b'&' => Some("&#38;"),
        b'\'' => Some("&#39;"),
        b'<' => Some("&#60;"),
        b'>' => Some("&#62;"),
        _ => None,
    }
}

const ONES: u64 = u64::from_ne_bytes([1; 8]);

/// 0x80 in every byte of `word` that is zero, and maybe in bytes above one that is; never
/// missing one.
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & (ONES * 0x80)
}

/// Whether any of eight bytes may be one of the five: `"`, `&`, `'` (and `#`) are 0x22 once
/// bits 0 and 2 are cleared, `<` and `>` are 0x3C once bit 1 is; non-ASCII bytes keep bit 7.
fn may_hold_one(word: u64) -> bool {
    let quotes = (word & (ONES * 0xFA)) ^ (ONES * 0x22);
    let angles = (word & (ONES * 0xFD)) ^ (ONES * 0x3C);
    zero_bytes(quotes) | zero_bytes(angles) != 0
}

/// Where the next character to escape is, from `at` on.
fn next_special(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(at..at + 8) {
        if let Ok(word) = <[u8; 8]>::try_from(chunk)
            && may_hold_one(u64::from_ne_bytes(word))
            && let Some(found) = chunk.iter().position(|&b| entity(b).is_some())
        {
            return Some(at + found);
        }
        at += 8;
    }
    let rest = bytes.get(at..)?;
    rest.iter()
        .position(|&b| entity(b).is_some())
        .map(|found| at + found)
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl Escaper for Html {
    fn write_escaped_str<W: Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        let bytes = text.as_bytes();
        let mut written = 0;
        while let Some(at) = next_special(bytes, written) {
            if written < at {
                dest.write_str(&text[written..at])?;
            }
            dest.write_str(entity(bytes[at]).unwrap_or_default())?;
            written = at + 1;
        }
        if written < text.len() {
            dest.write_str(&text[written..])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use askama::filters::Escaper;
    use proptest::prelude::*;

    use super::Html;

    fn escaped(escaper: impl Escaper, text: &str) -> String {
        let mut out = String::new();
        escaper.write_escaped_str(&mut out, text).unwrap();
        out
    }

    #[test]
    fn escapes_the_five_characters_as_askama_does() {
        let text = r#"<a href="x">Tom & Jerry's</a>"#;
        assert_eq!(
            escaped(Html, text),
            "&#60;a href=&#34;x&#34;&#62;Tom &#38; Jerry&#39;s&#60;/a&#62;"
        );
        assert_eq!(escaped(Html, ""), "");
        assert_eq!(escaped(Html, "Più già"), "Più già");
    }

    /// Every template under `templates/`, with its path.
    fn templates() -> Vec<(std::path::PathBuf, String)> {
        let mut found = Vec::new();
        let mut folders = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/templates"
        ))];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    let text = std::fs::read_to_string(&path).unwrap();
                    found.push((path, text));
                }
            }
        }
        assert!(found.len() > 10, "the templates were not found");
        found
    }

    /// `|safe` writes a value unescaped: only our texts (`page.t`, a `&'static Texts`, each text
    /// checked by `i18n::text` when the program is compiled) may be written so.
    #[test]
    fn only_our_texts_are_written_unescaped() {
        let mut seen = 0;
        for (path, text) in templates() {
            for (at, _) in text.match_indices("|safe") {
                let opened = text[..at].rfind("{{").unwrap();
                let expression = text[opened + 2..at].trim();
                let field = expression.strip_prefix("page.t.").unwrap_or_default();
                assert!(
                    !field.is_empty()
                        && field
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{}: `{expression}|safe` is not one of our texts",
                    path.display()
                );
                seen += 1;
            }
        }
        assert!(seen > 100, "the texts are written escaped again ({seen})");
    }

    /// Texts keep their apostrophes, harmless in double-quoted attributes only.
    #[test]
    fn no_attribute_is_single_quoted() {
        for (path, text) in templates() {
            assert!(
                !text.contains("='") && !text.contains("= '"),
                "{} quotes an attribute with apostrophes",
                path.display()
            );
        }
    }

    proptest! {
        /// Strings made mostly of the five characters, and any strings at all.
        #[test]
        fn agrees_with_askama(
            text in prop_oneof![r#"[<>&"'#a é=;?]{0,80}"#, any::<String>()],
        ) {
            prop_assert_eq!(escaped(Html, &text), escaped(askama::filters::Html, &text));
        }
    }
}
