//! What templates may do with our texts: `|safe` writes a value unescaped, so only our texts
//! (`page.t`, a `&'static Texts`, each text checked by `i18n::text` when the program is
//! compiled) may be written so; and they keep their apostrophes, harmless in double-quoted
//! attributes only.

use super::source::files_under;

#[test]
fn only_our_texts_are_written_unescaped() {
    let mut seen = 0;
    for (path, text) in files_under("templates", "html", 10) {
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

#[test]
fn no_attribute_is_single_quoted() {
    for (path, text) in files_under("templates", "html", 10) {
        assert!(
            !text.contains("='") && !text.contains("= '"),
            "{} quotes an attribute with apostrophes",
            path.display()
        );
    }
}
