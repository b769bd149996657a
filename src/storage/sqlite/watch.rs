//! How the SQLite engine hears which shoppers' pages a unit of work changed: every connection it
//! opens gets temporary triggers on every table the pages read (see `account_page.rs` and
//! `payments/history.rs`), which call the function `pages_changed(shopper_id)` of this program.
//! The function notes the shopper on the thread running the unit of work; `Database::run` takes
//! the notes when the work has returned (committed or rolled back: forgetting too much is only
//! a cache miss) and forgets those shoppers' pages before its caller gets the result.
//!
//! The triggers are temporary (kept by the connection, not in the file) so that a connection
//! opened by another program (the `sqlite3` shell, a test) does not need the function; such
//! writers are not heard, which is why the cache is shared by every `Database` of one file in
//! this process and the file belongs to one instance (several instances need PostgreSQL).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

use crate::storage::PageCache;

/// Each table the pages read, and how its row names the shopper.
const WATCHED: &[(&str, Shopper)] = &[
    ("shoppers", Shopper::Column("id")),
    ("voucherly_customers", Shopper::Column("shopper_id")),
    ("preferred_methods", Shopper::Column("shopper_id")),
    ("orders", Shopper::Column("shopper_id")),
    ("payments", Shopper::Column("shopper_id")),
    ("order_lines", Shopper::Through("orders", "order_id")),
    ("order_discounts", Shopper::Through("orders", "order_id")),
    ("store_refunds", Shopper::Through("payments", "payment_id")),
];

enum Shopper {
    /// The row's own column.
    Column(&'static str),
    /// The `shopper_id` of the row of that table whose `id` is in this column.
    Through(&'static str, &'static str),
}

thread_local! {
    /// Shoppers whose rows the unit of work on this thread changed.
    static CHANGED: RefCell<Vec<i64>> = const { RefCell::new(Vec::new()) };
}

/// Gives a connection the function and the triggers. After the migrations: the tables must
/// exist.
pub(super) fn install(conn: &Connection) -> rusqlite::Result<()> {
    // Not deterministic: it has an effect, and must run for every row.
    conn.create_scalar_function("pages_changed", 1, FunctionFlags::SQLITE_UTF8, |ctx| {
        if let Some(shopper_id) = ctx.get::<Option<i64>>(0)? {
            CHANGED.with(|changed| changed.borrow_mut().push(shopper_id));
        }
        Ok(None::<i64>)
    })?;
    conn.execute_batch(&triggers())
}

/// Starts a unit of work on this thread with no notes.
pub(super) fn start() {
    CHANGED.with(|changed| changed.borrow_mut().clear());
}

/// The shoppers the unit of work on this thread changed, at most once each.
pub(super) fn take() -> Vec<i64> {
    let mut changed = CHANGED.with(|changed| std::mem::take(&mut *changed.borrow_mut()));
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// The one page cache of the file at `path` in this process, so that every `Database` opened
/// on it (the app's, a tool's, a test's) forgets what any of them changes.
pub(super) fn cache_of(path: &Path) -> Arc<PageCache> {
    static CACHES: LazyLock<Mutex<HashMap<std::path::PathBuf, Weak<PageCache>>>> =
        LazyLock::new(Default::default);
    let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    let mut caches = CACHES.lock().unwrap_or_else(PoisonError::into_inner);
    caches.retain(|_, cache| cache.strong_count() > 0);
    if let Some(cache) = caches.get(&path).and_then(Weak::upgrade) {
        return cache;
    }
    let cache = Arc::new(PageCache::new(true));
    caches.insert(path, Arc::downgrade(&cache));
    cache
}

fn triggers() -> String {
    let mut sql = String::new();
    for (table, shopper) in WATCHED {
        for (event, rows) in [
            ("INSERT", &["NEW"][..]),
            ("UPDATE", &["OLD", "NEW"][..]),
            ("DELETE", &["OLD"][..]),
        ] {
            let calls: String = rows
                .iter()
                .map(|row| match shopper {
                    Shopper::Column(column) => format!("SELECT pages_changed({row}.{column});"),
                    Shopper::Through(parent, column) => format!(
                        "SELECT pages_changed(shopper_id) FROM main.{parent} \
                         WHERE id = {row}.{column};"
                    ),
                })
                .collect();
            let name = format!("pages_{table}_{}", event.to_lowercase());
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER {event} ON main.{table} \
                 BEGIN {calls} END;\n"
            ));
        }
    }
    sql
}
