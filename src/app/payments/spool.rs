//! The callback spool: where a callback goes when the database refuses it (locked, read-only,
//! full), so that Voucherly, which cancels and refunds a sale whose callbacks all fail, still
//! hears `{"ok": true}`. It is an append-only file beside the database, one JSON line per
//! callback, fsynced before the answer. The inbox worker replays it into the inbox once the
//! database takes writes again: the file is first renamed aside (new callbacks start a fresh
//! one), its entries go into the inbox in one transaction that records each entry's id, and
//! only then is it deleted, so a replay cut short is replayed again and applies nothing twice.
//!
//! An append holds an advisory lock (`flock`) on the spool file and a replay holds one on a
//! lock file beside it (and the spool's while renaming it), so several instances on one
//! database, and the worker and the callback route of one, never lose a line to a rename.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::domain::payment_work::{Callback, Spooled};

/// The most a spool file may hold, about five thousand callbacks: past that the callback is
/// answered 503 with `Retry-After`, and a disk cannot be filled through this endpoint.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// How many times an append follows a file renamed for replay under its feet.
const APPEND_TRIES: usize = 5;

/// The spool files beside one database.
pub struct Spool {
    /// Where callbacks are appended (`<database>-callbacks.spool` beside an SQLite file).
    path: PathBuf,
    /// A spool taken for replay and not finished yet: `<spool>.replaying`.
    replaying: PathBuf,
    /// Held by the one replay under way: `<spool>.lock`.
    lock: PathBuf,
}

impl Spool {
    /// The spool at `path`, with `<path>.replaying` and `<path>.lock` beside it.
    pub fn at(path: &Path) -> Self {
        let with = |suffix: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        };
        Self {
            path: path.to_owned(),
            replaying: with(".replaying"),
            lock: with(".lock"),
        }
    }

    /// Appends `callback` under a new entry id and makes it durable before returning.
    pub fn append(&self, callback: Callback) -> anyhow::Result<()> {
        let entry = Spooled {
            entry: uuid::Uuid::new_v4().to_string(),
            callback,
        };
        let mut line = serde_json::to_vec(&entry)?;
        line.push(b'\n');
        for _ in 0..APPEND_TRIES {
            let mut file = OpenOptions::new()
                .create(true)
                .append(true)
                .read(true)
                .open(&self.path)
                .with_context(|| {
                    format!("cannot open the callback spool {}", self.path.display())
                })?;
            lock(&file)?;
            // Renamed for replay while this waited for the lock: append to a fresh file.
            if !is_at(&file, &self.path)? {
                continue;
            }
            let len = file.metadata()?.len();
            anyhow::ensure!(
                len + line.len() as u64 <= MAX_BYTES,
                "the callback spool {} is full",
                self.path.display()
            );
            // A line cut short by a crash must not swallow this one.
            let mut bytes = Vec::with_capacity(line.len() + 1);
            if len > 0 && last_byte(&file, len)? != b'\n' {
                bytes.push(b'\n');
            }
            bytes.extend_from_slice(&line);
            if let Err(error) = file.write_all(&bytes).and_then(|()| file.sync_data()) {
                let _ = file.set_len(len);
                return Err(error).context("cannot write the callback spool");
            }
            if len == 0 {
                sync_folder(&self.path)?;
            }
            return Ok(());
        }
        anyhow::bail!("the callback spool kept being renamed while appending")
    }

    /// How many callbacks wait in the spool files.
    pub fn backlog(&self) -> io::Result<usize> {
        let mut count = 0;
        for path in [&self.path, &self.replaying] {
            match fs::read(path) {
                Ok(bytes) => count += parse(&bytes).len(),
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(error),
            }
        }
        Ok(count)
    }

    /// The entries to replay, with the replay lock held: an unfinished replay's first, else
    /// the spool's, renamed aside. `None` when there is nothing to replay.
    pub(super) fn claim(&self) -> io::Result<Option<(File, Vec<Spooled>)>> {
        let guard = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock)?;
        lock(&guard)?;
        if !self.replaying.exists() {
            let spool = match File::open(&self.path) {
                Ok(file) => file,
                Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(error) => return Err(error),
            };
            // Waits for an append under way; appends after the rename go to a fresh file.
            lock(&spool)?;
            let metadata = spool.metadata()?;
            if !metadata.is_file() {
                return Err(io::Error::other(format!(
                    "{} is not a file: the callback spool cannot be kept there",
                    self.path.display()
                )));
            }
            if metadata.len() == 0 {
                return Ok(None);
            }
            fs::rename(&self.path, &self.replaying)?;
            sync_folder(&self.path)?;
        }
        let bytes = fs::read(&self.replaying)?;
        Ok(Some((guard, parse(&bytes))))
    }

    /// Deletes the replayed file, then lets go of the replay lock (`guard`).
    pub(super) fn finish(&self, guard: File) -> io::Result<()> {
        fs::remove_file(&self.replaying)?;
        sync_folder(&self.replaying)?;
        drop(guard);
        Ok(())
    }
}

/// The entries of a spool file; a line cut short by a crash (never answered `ok`) is skipped.
fn parse(bytes: &[u8]) -> Vec<Spooled> {
    bytes
        .split(|byte| *byte == b'\n')
        .filter(|line| !line.is_empty())
        .filter_map(|line| serde_json::from_slice(line).ok())
        .collect()
}

/// Whether `file` is still the file at `path` (not renamed or replaced meanwhile).
fn is_at(file: &File, path: &Path) -> io::Result<bool> {
    let open = file.metadata()?;
    match fs::metadata(path) {
        Ok(named) => Ok(open.dev() == named.dev() && open.ino() == named.ino()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}

/// Waits for an exclusive advisory lock (`flock`) on `file`, let go when the file is closed.
fn lock(file: &File) -> io::Result<()> {
    file.lock()
}

fn last_byte(file: &File, len: u64) -> io::Result<u8> {
    let mut byte = [0];
    file.read_exact_at(&mut byte, len - 1)?;
    Ok(byte[0])
}

/// Makes a file's creation, rename or removal durable: its folder's entry is fsynced.
fn sync_folder(path: &Path) -> io::Result<()> {
    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    File::open(folder)?.sync_all()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn callback(id: &str) -> Callback {
        Callback {
            voucherly_payment_id: id.to_owned(),
            reference: Some(format!("ref-{id}")),
            received_at: 1_000,
        }
    }

    fn spool_in(dir: &tempfile::TempDir) -> Spool {
        Spool::at(&dir.path().join("app.db-callbacks.spool"))
    }

    #[test]
    fn appends_are_one_json_line_each_and_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let spool = spool_in(&dir);
        assert_eq!(spool.backlog().unwrap(), 0);
        spool.append(callback("pay_1")).unwrap();
        spool.append(callback("pay_2")).unwrap();
        let text = fs::read_to_string(dir.path().join("app.db-callbacks.spool")).unwrap();
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        assert_eq!(lines.len(), 2, "{text:?}");
        assert!(lines.iter().all(|line| line.ends_with("}\n")), "{text:?}");
        let entries = parse(text.as_bytes());
        assert_eq!(entries[1].callback, callback("pay_2"));
        assert_ne!(entries[0].entry, entries[1].entry);
        assert_eq!(spool.backlog().unwrap(), 2);
    }

    #[test]
    fn a_line_cut_short_by_a_crash_does_not_swallow_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let spool = spool_in(&dir);
        fs::write(
            dir.path().join("app.db-callbacks.spool"),
            "{\"entry\":\"x\",\"voucherly_pa",
        )
        .unwrap();
        spool.append(callback("pay_1")).unwrap();
        let bytes = fs::read(dir.path().join("app.db-callbacks.spool")).unwrap();
        let entries = parse(&bytes);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].callback, callback("pay_1"));
    }

    #[test]
    fn a_full_spool_refuses_more_and_keeps_what_it_has() {
        let dir = tempfile::tempdir().unwrap();
        let spool = spool_in(&dir);
        let path = dir.path().join("app.db-callbacks.spool");
        // Nearly full already (with a line no replay can read).
        let filler = usize::try_from(MAX_BYTES).unwrap() - 1_000;
        fs::write(&path, format!("{}\n", "x".repeat(filler - 1))).unwrap();
        let mut kept = 0;
        while spool.append(callback("pay_1")).is_ok() {
            kept += 1;
            assert!(kept < 100, "the spool never filled");
        }
        let len = fs::metadata(&path).unwrap().len();
        assert!(len <= MAX_BYTES && len > MAX_BYTES - 200, "{len}");
        assert!(kept > 0);
        assert_eq!(spool.backlog().unwrap(), kept);
    }

    #[test]
    fn a_claim_renames_the_spool_aside_and_a_finished_replay_deletes_it() {
        let dir = tempfile::tempdir().unwrap();
        let spool = spool_in(&dir);
        assert!(spool.claim().unwrap().is_none(), "nothing to replay");
        spool.append(callback("pay_1")).unwrap();
        let (guard, entries) = spool.claim().unwrap().expect("entries");
        assert_eq!(entries.len(), 1);
        assert!(!dir.path().join("app.db-callbacks.spool").exists());
        // New callbacks go to a fresh file; the claimed one is replayed first.
        spool.append(callback("pay_2")).unwrap();
        assert_eq!(spool.backlog().unwrap(), 2);
        spool.finish(guard).unwrap();
        assert!(!dir.path().join("app.db-callbacks.spool.replaying").exists());
        let (_, entries) = spool.claim().unwrap().expect("the fresh file");
        assert_eq!(entries[0].callback, callback("pay_2"));
    }

    #[test]
    fn a_file_renamed_or_replaced_is_no_longer_at_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let (path, other) = (dir.path().join("a"), dir.path().join("b"));
        let file = File::create(&path).unwrap();
        assert!(is_at(&file, &path).unwrap());
        fs::rename(&path, &other).unwrap();
        assert!(!is_at(&file, &path).unwrap(), "gone");
        File::create(&path).unwrap();
        assert!(!is_at(&file, &path).unwrap(), "another file");
        assert!(is_at(&file, &other).unwrap());
    }

    #[test]
    fn a_replay_waits_for_the_one_under_way() {
        let dir = tempfile::tempdir().unwrap();
        let spool = std::sync::Arc::new(spool_in(&dir));
        spool.append(callback("pay_1")).unwrap();
        let (guard, _) = spool.claim().unwrap().expect("entries");
        let (done, finished) = std::sync::mpsc::channel();
        let second = std::sync::Arc::clone(&spool);
        let waiter = std::thread::spawn(move || {
            let claimed = second.claim().unwrap().map(|(_, entries)| entries.len());
            done.send(claimed).unwrap();
        });
        assert!(
            finished.recv_timeout(Duration::from_millis(300)).is_err(),
            "a second replay started while the first held the lock"
        );
        spool.finish(guard).unwrap();
        assert_eq!(
            finished.recv_timeout(Duration::from_secs(10)).unwrap(),
            None
        );
        waiter.join().unwrap();
    }
}
