//! Every SQL statement of the app lives under `src/storage/`: no other module of `src/` (but the
//! embedded sandbox, Voucherly's stand-in with its own store) names `rusqlite`, runs a closure on
//! a database connection, or holds an SQL statement in a string literal. A second database engine
//! then changes one folder.

use std::path::{Path, PathBuf};

/// Folders of `src/` allowed to speak SQL.
const ALLOWED: [&str; 2] = ["storage", "sandbox"];

#[test]
fn no_sql_and_no_rusqlite_outside_storage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 50,
        "only {} files found under {src:?}",
        files.len()
    );
    let mut offences = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        if ALLOWED.iter().any(|folder| relative.starts_with(folder)) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for offence in offences_in(&text) {
            offences.push(format!("src/{}: {offence}", relative.display()));
        }
    }
    assert!(
        offences.is_empty(),
        "SQL belongs under src/storage/, behind functions in domain terms:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_check_sees_each_kind_of_sql_and_only_sql() {
    for (code, caught) in [
        ("use rusqlite::Connection;", true),
        ("db.run(move |conn| Ok(()))", true),
        ("Database::run(&db, |c| Ok(()))", true),
        (r#"let q = "SELECT id FROM orders";"#, true),
        (r#"c.execute("INSERT INTO t (a) VALUES (1)", [])"#, true),
        (
            r#"c.execute("INSERT OR IGNORE INTO t (a) VALUES (1)", [])"#,
            true,
        ),
        ("c.execute(r#\"UPDATE t\n SET a = 1\"#, [])", true),
        (r#"c.execute("DELETE FROM t", [])"#, true),
        // Words of SQL in prose, comments and other strings are not statements.
        ("// SELECT the first; DELETE FROM the list", false),
        (r#"let s = "UPDATE your card"; let c = '"';"#, false),
        (r#"let s = "Select a method"; runner.run(job)"#, false),
    ] {
        assert_eq!(!offences_in(code).is_empty(), caught, "{code}");
    }
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// What in `code` speaks to the database directly, line by line.
fn offences_in(code: &str) -> Vec<String> {
    let mut offences = Vec::new();
    let code_only = without_comments(code);
    for (number, line) in code_only.lines().enumerate() {
        let compact: String = line.split_whitespace().collect();
        if line.contains("rusqlite")
            || compact.contains("Database::run")
            || compact.contains(".run(|conn")
            || compact.contains(".run(move|conn")
        {
            offences.push(format!("line {}: {}", number + 1, line.trim()));
        }
    }
    for literal in string_literals(code) {
        if is_sql(&literal) {
            offences.push(format!("an SQL statement: {literal:?}"));
        }
    }
    offences
}

fn is_sql(literal: &str) -> bool {
    let words: Vec<&str> = literal
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|word| !word.is_empty())
        .collect();
    let statement = |first: &str, then: &str| {
        words
            .windows(2)
            .any(|pair| pair[0] == first && pair[1] == then)
    };
    words.contains(&"SELECT")
        || statement("INSERT", "INTO")
        || statement("INSERT", "OR")
        || statement("DELETE", "FROM")
        || (words.contains(&"UPDATE") && words.contains(&"SET"))
}

/// `code` with its comments blanked out (string literals kept).
fn without_comments(code: &str) -> String {
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
fn string_literals(code: &str) -> Vec<String> {
    let mut literals = Vec::new();
    scan(code, |piece, kind| {
        if kind == Piece::Literal {
            literals.push(piece.to_owned());
        }
    });
    literals
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Piece {
    Code,
    Comment,
    Literal,
}

/// Cuts `code` into code, comments and string literals (quotes and all), in order: enough of
/// Rust's lexer to tell a statement in a string from a word in a comment.
fn scan(code: &str, mut piece: impl FnMut(&str, Piece)) {
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
