//! Reading the crate's own source: its files (code and templates), and enough of Rust's lexer to tell code from
//! comments and string literals.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, with its path relative to `src/`; at least `at_least` of them,
/// so a check that finds nothing fails instead of passing.
pub fn src_files(at_least: usize) -> Vec<(PathBuf, String)> {
    files_under("src", "rs", at_least)
}

/// Every file ending in `.extension` under the crate's `folder`, with its path relative to
/// `folder`; at least `at_least` of them.
pub fn files_under(folder: &str, extension: &str, at_least: usize) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files = Vec::new();
    find_files(&root, extension, &mut files);
    assert!(
        files.len() >= at_least,
        "only {} files found under {root:?}",
        files.len()
    );
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            (file.strip_prefix(&root).unwrap().to_owned(), text)
        })
        .collect()
}

fn find_files(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            find_files(&path, extension, found);
        } else if path.extension().is_some_and(|ext| ext == extension) {
            found.push(path);
        }
    }
}

/// `code` with its comments blanked out (string literals kept).
pub fn without_comments(code: &str) -> String {
    let mut kept = String::with_capacity(code.len());
    scan(code, |piece, kind| {
        if kind == Piece::Comment {
            kept.extend(piece.chars().filter(|c| *c == '\n'));
        } else {
            kept.push_str(piece);
        }
    });
    kept
}

/// The contents of every string literal of `code`.
pub fn string_literals(code: &str) -> Vec<String> {
    let mut literals = Vec::new();
    scan(code, |piece, kind| {
        if kind == Piece::Literal {
            literals.push(piece.to_owned());
        }
    });
    literals
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Code,
    Comment,
    Literal,
}

/// Cuts `code` into code, comments and string literals (quotes and all), in order: enough of
/// Rust's lexer to tell a statement in a string from a word in a comment.
pub fn scan(code: &str, mut piece: impl FnMut(&str, Piece)) {
    let bytes = code.as_bytes();
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        let rest = &code[at..];
        let (kind, len) = if rest.starts_with("//") {
            (Piece::Comment, rest.find('\n').unwrap_or(rest.len()))
        } else if rest.starts_with("/*") {
            (
                Piece::Comment,
                rest.find("*/").map_or(rest.len(), |end| end + 2),
            )
        } else if let Some(len) = raw_string(rest) {
            (Piece::Literal, len)
        } else if rest.starts_with('"') {
            (Piece::Literal, quoted(rest))
        } else if rest.starts_with('\'') {
            (Piece::Code, char_literal(rest))
        } else {
            let step = rest.chars().next().map_or(1, char::len_utf8);
            at += step;
            continue;
        };
        if start < at {
            piece(&code[start..at], Piece::Code);
        }
        piece(&code[at..at + len], kind);
        at += len;
        start = at;
    }
    if start < bytes.len() {
        piece(&code[start..], Piece::Code);
    }
}

/// The length of a raw string `r"…"` or `r#"…"#` at the start of `rest`, if there is one.
fn raw_string(rest: &str) -> Option<usize> {
    let after_r = rest.strip_prefix('r')?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    let body = after_r[hashes..].strip_prefix('"')?;
    let end = format!("\"{}", "#".repeat(hashes));
    let close = body.find(&end)?;
    Some(1 + hashes + 1 + close + end.len())
}

/// The length of the `"…"` string at the start of `rest`, escapes included.
fn quoted(rest: &str) -> usize {
    let mut escaped = false;
    for (index, c) in rest.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return index + 1,
            _ => {}
        }
    }
    rest.len()
}

/// The length of the character literal (`'"'`, `'\''`) or lifetime (`'a`) at the start of
/// `rest`: enough not to take a quote character for the start of a string.
fn char_literal(rest: &str) -> usize {
    let mut chars = rest.char_indices().skip(1);
    match chars.next() {
        Some((_, '\\')) => rest[2..].find('\'').map_or(rest.len(), |end| end + 3),
        Some((_, c)) if rest[1 + c.len_utf8()..].starts_with('\'') => 2 + c.len_utf8(),
        _ => 1,
    }
}
