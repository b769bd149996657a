//! What both engines do with their record of applied migrations (`schema_migrations`): which of
//! a program's migrations are still to apply, and the refusals when the record and the program
//! disagree. Each engine keeps its own list of `(name, SQL)` and reads its own table.

/// One migration: its file name (without `.sql`) and its SQL.
pub type Migration = (&'static str, &'static str);

/// The migrations of `known` not in `applied`, in order.
pub fn pending<'a>(
    known: &'static [Migration],
    applied: &'a [String],
) -> impl Iterator<Item = &'static Migration> + 'a {
    known
        .iter()
        .filter(move |(name, _)| !applied.iter().any(|done| done == name))
}

/// Refuses to migrate a database holding migrations this program does not know: it was
/// written by a newer program.
pub fn refuse_newer(known: &[Migration], applied: &[String]) -> anyhow::Result<()> {
    let unknown = unknown(known, applied);
    if !unknown.is_empty() {
        anyhow::bail!(
            "the database has migrations this program does not know ({}), so it is newer than \
             this program; run a newer version of voucherly-account",
            unknown.join(", ")
        );
    }
    Ok(())
}

/// Fails unless `applied` is exactly `known`: a missing one was not applied, an unknown one
/// belongs to a newer program.
pub fn check_current(known: &'static [Migration], applied: &[String]) -> anyhow::Result<()> {
    let unknown = unknown(known, applied);
    if !unknown.is_empty() {
        anyhow::bail!(
            "the database has migrations this program does not know: {}",
            unknown.join(", ")
        );
    }
    let missing: Vec<&str> = pending(known, applied).map(|(name, _)| *name).collect();
    if !missing.is_empty() {
        anyhow::bail!(
            "the database lacks the migrations {}: restart the app to apply them",
            missing.join(", ")
        );
    }
    Ok(())
}

/// The applied names this program has no file for.
fn unknown<'a>(known: &[Migration], applied: &'a [String]) -> Vec<&'a str> {
    applied
        .iter()
        .filter(|done| !known.iter().any(|(name, _)| name == done))
        .map(String::as_str)
        .collect()
}
