//! Every SQL statement of the app lives under `src/storage/`: no other module of `src/` (but the
//! embedded sandbox, Voucherly's stand-in with its own store) names `rusqlite`, runs a closure on
//! a database connection, or holds an SQL statement in a string literal. A second database engine
//! then changes one folder.

use super::source::{src_files, string_literals, without_comments};

/// Folders of `src/` allowed to speak SQL.
const ALLOWED: [&str; 2] = ["storage", "sandbox"];

#[test]
fn no_sql_and_no_rusqlite_outside_storage() {
    let mut offences = Vec::new();
    for (relative, text) in src_files(50) {
        if ALLOWED.iter().any(|folder| relative.starts_with(folder)) {
            continue;
        }
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
