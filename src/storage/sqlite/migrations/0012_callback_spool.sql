-- Callbacks kept in the spool file beside the database while the database refused them: each
-- spool entry carries a unique id, recorded here in the same transaction that puts it into the
-- inbox, so a spool replayed twice (the app stopped between the commit and deleting the file)
-- applies nothing twice.
CREATE TABLE callback_spool_replayed (
    entry       TEXT PRIMARY KEY,
    replayed_at INTEGER NOT NULL
) STRICT;
