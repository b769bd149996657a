//! SQLite's faults told apart from bugs (see `storage::fault`), and why a file could not be
//! opened, in an operator's words.

use std::path::Path;

use rusqlite::ErrorCode;

use crate::storage::fault::Fault;

/// The fault behind `error`, if any of its causes is an SQLite error that is one.
pub fn of(error: &anyhow::Error) -> Option<Fault> {
    error
        .chain()
        .find_map(|cause| cause.downcast_ref::<rusqlite::Error>())
        .and_then(classify)
}

fn classify(error: &rusqlite::Error) -> Option<Fault> {
    match error.sqlite_error_code()? {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(Fault::Busy),
        ErrorCode::ReadOnly
        | ErrorCode::DiskFull
        | ErrorCode::SystemIoFailure
        | ErrorCode::CannotOpen => Some(Fault::NotWritable),
        _ => None,
    }
}

/// Why the file at `path` could not be opened, in an operator's words.
pub fn explain_open_error(path: &Path, error: &rusqlite::Error) -> String {
    let file = path.display();
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return format!(
            "cannot open the database {file}: its folder {} does not exist",
            folder.display()
        );
    }
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            format!("cannot open the database {file}: the file is not an SQLite database")
        }
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen) => format!(
            "cannot open the database {file} for writing: the file or its folder {} is \
             read-only (the app needs to write both: the file and its -wal and -shm files)",
            folder.display()
        ),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            format!("cannot open the database {file}: another process holds it locked")
        }
        _ => format!("cannot open the database {file}: {error}"),
    }
}
