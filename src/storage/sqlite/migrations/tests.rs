//! Migrating an empty database and one from before `schema_migrations` (the program of
//! December 2026: 11 files applied in its list's order, counted in `user_version`) to the same
//! schema; the list held to the folder.

use rusqlite::Connection;

use super::{MIGRATIONS, apply, check_current, legacy};

/// The program before `schema_migrations`: its names and its order (0013 before 0009), each
/// migration counted in `user_version`. The files are the same, renamed into name order.
const BEFORE: &[(&str, &str)] = &[
    ("0001_shoppers", include_str!("0001_shoppers.sql")),
    ("0002_sandbox", include_str!("0002_sandbox.sql")),
    (
        "0003_orders_payments",
        include_str!("0003_orders_payments.sql"),
    ),
    ("0004_handovers", include_str!("0004_handovers.sql")),
    ("0005_outbox", include_str!("0005_outbox.sql")),
    ("0006_demo_store", include_str!("0006_demo_store.sql")),
    (
        "0007_twin_sandbox_state",
        include_str!("0007_twin_sandbox_state.sql"),
    ),
    (
        "0008_money_callback_inbox",
        include_str!("0008_money_callback_inbox.sql"),
    ),
    (
        "0013_money_one_open_payment",
        include_str!("0009_money_one_open_payment.sql"),
    ),
    (
        "0009_harden_rate_limits",
        include_str!("0010_harden_rate_limits.sql"),
    ),
    (
        "0011_newcomer_preferred_methods",
        include_str!("0011_newcomer_preferred_methods.sql"),
    ),
];

/// A database as the program before `schema_migrations` left it after its first `count`
/// migrations, with a shopper in it.
fn old_database(count: usize) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    let tx = conn.transaction().unwrap();
    for (number, (_, sql)) in BEFORE.iter().take(count).enumerate() {
        tx.execute_batch(sql).unwrap();
        tx.pragma_update(None, "user_version", number + 1).unwrap();
    }
    tx.execute(
        "INSERT INTO shoppers (store_user_id, email, first_name, last_name, created_at, updated_at)
         VALUES ('old-anna', 'anna@shop.example', 'Anna', 'Neri', 0, 0)",
        [],
    )
    .unwrap();
    tx.commit().unwrap();
    conn
}

fn migrated_empty() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    apply(&mut conn).unwrap();
    conn
}

/// Every table, index, view and trigger with its SQL, by name.
fn schema(conn: &Connection) -> Vec<(String, String, String, Option<String>)> {
    let mut statement = conn
        .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        .unwrap();
    statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn applied(conn: &Connection) -> Vec<String> {
    super::applied(conn).unwrap()
}

fn user_version(conn: &Connection) -> usize {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap()
}

fn every_name() -> Vec<String> {
    MIGRATIONS
        .iter()
        .map(|(name, _)| name.to_string())
        .collect()
}

#[test]
fn an_empty_database_and_one_from_before_the_record_reach_the_same_schema() {
    let fresh = migrated_empty();
    let mut old = old_database(BEFORE.len());
    let before = schema(&old);
    apply(&mut old).unwrap();

    assert_eq!(schema(&old), schema(&fresh));
    assert_eq!(applied(&old), every_name());
    assert_eq!(applied(&fresh), every_name());
    assert_eq!(user_version(&old), MIGRATIONS.len());
    assert_eq!(user_version(&fresh), MIGRATIONS.len());
    // Adopting the old database added the record and what the later migrations create, nothing
    // else: none of the old program's migrations ran again.
    let mut added = schema(&old);
    added.retain(|entry| !before.contains(entry));
    let later = old_database(BEFORE.len());
    for (_, sql) in &MIGRATIONS[legacy::VERSIONED..] {
        later.execute_batch(sql).unwrap();
    }
    let mut expected = schema(&later);
    expected.retain(|entry| !before.contains(entry));
    expected.extend(
        schema(&fresh)
            .into_iter()
            .filter(|(_, _, table, _)| table == "schema_migrations"),
    );
    expected.sort();
    added.sort();
    assert_eq!(added, expected);
    let kept: String = old
        .query_row(
            "SELECT email FROM shoppers WHERE store_user_id = 'old-anna'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(kept, "anna@shop.example");
    check_current(&old).unwrap();
    check_current(&fresh).unwrap();
}

#[test]
fn an_old_database_part_way_gets_the_rest_and_the_same_schema() {
    let mut old = old_database(8);
    apply(&mut old).unwrap();
    assert_eq!(schema(&old), schema(&migrated_empty()));
    assert_eq!(applied(&old), every_name());
}

#[test]
fn applying_again_changes_nothing() {
    let mut conn = migrated_empty();
    let schema_before = schema(&conn);
    conn.execute("UPDATE schema_migrations SET applied_at = 7", [])
        .unwrap();
    apply(&mut conn).unwrap();
    let count: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM schema_migrations WHERE applied_at = 7",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(count as usize, MIGRATIONS.len(), "none applied again");
    assert_eq!(schema(&conn), schema_before);
}

#[test]
fn a_database_with_a_migration_this_program_does_not_know_is_refused_as_newer() {
    let mut conn = migrated_empty();
    conn.execute(
        "INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_from_the_future', 0)",
        [],
    )
    .unwrap();
    let error = apply(&mut conn).unwrap_err().to_string();
    assert!(
        error.contains("newer") && error.contains("9999_from_the_future"),
        "{error}"
    );
    let error = check_current(&conn).unwrap_err().to_string();
    assert!(error.contains("9999_from_the_future"), "{error}");
}

#[test]
fn an_old_database_numbered_past_what_this_program_knew_is_refused_as_newer() {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "user_version", 12).unwrap();
    let error = apply(&mut conn).unwrap_err().to_string();
    assert!(error.contains("newer"), "{error}");
}

#[test]
fn the_readiness_check_names_a_migration_not_applied() {
    let conn = migrated_empty();
    conn.execute(
        "DELETE FROM schema_migrations WHERE name = '0011_newcomer_preferred_methods'",
        [],
    )
    .unwrap();
    let error = check_current(&conn).unwrap_err().to_string();
    assert!(error.contains("0011_newcomer_preferred_methods"), "{error}");
    let error = check_current(&Connection::open_in_memory().unwrap()).unwrap_err();
    assert!(format!("{error:#}").contains("no record"), "{error:#}");
}

#[test]
fn the_list_is_the_folder_in_name_order_with_one_file_per_number() {
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/storage/sqlite/migrations");
    let mut files: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter_map(|name| name.strip_suffix(".sql").map(str::to_owned))
        .collect();
    files.sort();
    assert_eq!(
        every_name(),
        files,
        "add the file's line to MIGRATIONS, in order"
    );
    let numbers: Vec<&str> = files.iter().map(|name| &name[..5]).collect();
    for pair in numbers.windows(2) {
        assert!(pair[0] < pair[1], "two migrations numbered {}", pair[0]);
    }
    for number in &numbers {
        assert!(
            number[..4].bytes().all(|b| b.is_ascii_digit()) && number.ends_with('_'),
            "{number}"
        );
    }
    // user_version counted these; their names and order must never change.
    let versioned: Vec<&str> = MIGRATIONS[..legacy::VERSIONED]
        .iter()
        .map(|(name, _)| *name)
        .collect();
    let renamed: Vec<&str> = BEFORE.iter().map(|(_, sql)| *sql).collect();
    let now: Vec<&str> = MIGRATIONS[..legacy::VERSIONED]
        .iter()
        .map(|(_, sql)| *sql)
        .collect();
    assert_eq!(renamed, now, "the old order is the name order");
    assert_eq!(versioned.last(), Some(&"0011_newcomer_preferred_methods"));
}
