//! What a shopper's pages read (`PageStore`), kept in memory by the engine that read it, so a
//! warm page makes no trip to the database. It is only a cache, kept exact by construction:
//!
//! - The database itself says what changed: a trigger on every table the pages read reports the
//!   shopper whose rows changed (SQLite: to the connection that wrote, drained by `Database::run`
//!   after the unit of work, before its caller gets the result; PostgreSQL: by `NOTIFY` to every
//!   instance after commit). No writer in the code can forget to invalidate.
//! - A fill that raced a change is not stored: [`PageCache::epoch`] is taken before reading and
//!   the page is kept only if nothing was forgotten since (one counter for the whole cache:
//!   simple, and a missed store only costs one more read).
//! - While the engine cannot hear changes (PostgreSQL's listener not connected yet, or cut),
//!   nothing is stored, and what was stored is forgotten.
//! - At most [`CAPACITY`] shoppers are kept; past that an arbitrary one makes room.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::AccountPage;
use crate::domain::payment::HistoryPage;

/// How many shoppers' pages are kept: a few KiB each, so a few MiB at most.
pub const CAPACITY: usize = 2048;

/// The longest history page kept: a longer read (an export of everything) is not a page.
const LONGEST_HISTORY_KEPT: u32 = 100;

/// The name of this cache in the metrics (`cache="shopper_pages"`).
const METRIC: &str = "shopper_pages";

/// Which profile page: environment, history page asked for, entries per page.
type ProfileKey = (&'static str, u32, u32);

/// Which history page: page, entries per page.
type HistoryKey = (u32, u32);

/// The last profile and history page read of one shopper.
#[derive(Default)]
struct Pages {
    profile: Option<(ProfileKey, Arc<AccountPage>)>,
    history: Option<(HistoryKey, Arc<HistoryPage>)>,
}

/// The moment a read began; see [`PageCache::epoch`].
#[derive(Clone, Copy)]
pub struct Epoch(u64);

pub struct PageCache {
    shoppers: Mutex<HashMap<i64, Pages>>,
    /// Bumped (under the lock) by every forget.
    generation: AtomicU64,
    /// Whether changes are heard now; nothing is stored otherwise.
    live: AtomicBool,
}

impl PageCache {
    /// An empty cache; `live` when its engine hears every change from the start (SQLite).
    pub fn new(live: bool) -> Self {
        Self {
            shoppers: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
            live: AtomicBool::new(live),
        }
    }

    /// Taken before a read whose result may be kept; `None` when nothing may be kept now.
    pub fn epoch(&self) -> Option<Epoch> {
        let generation = self.generation.load(Ordering::SeqCst);
        self.live
            .load(Ordering::SeqCst)
            .then_some(Epoch(generation))
    }

    /// Whether changes are heard now (and so whether anything is cached).
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::SeqCst)
    }

    /// Changes are heard from now on (`true`), or may be missed: everything is forgotten.
    pub fn set_live(&self, live: bool) {
        let mut shoppers = self.lock();
        self.live.store(live, Ordering::SeqCst);
        self.forget_locked(&mut shoppers, None);
    }

    /// The profile page of `shopper_id` from memory, else from `read` (then kept if exact).
    pub async fn profile_or_read(
        &self,
        shopper_id: i64,
        key: ProfileKey,
        read: impl Future<Output = anyhow::Result<Option<AccountPage>>>,
    ) -> anyhow::Result<Option<AccountPage>> {
        if let Some(page) = self.profile(shopper_id, key) {
            return Ok(Some(AccountPage::clone(&page)));
        }
        let epoch = self.epoch();
        let found = read.await?;
        if let (Some(page), Some(epoch)) = (&found, epoch) {
            self.keep_profile(epoch, shopper_id, key, Arc::new(page.clone()));
        }
        Ok(found)
    }

    /// A history page of `shopper_id` from memory, else from `read` (then kept if exact).
    pub async fn history_or_read(
        &self,
        shopper_id: i64,
        key: HistoryKey,
        read: impl Future<Output = anyhow::Result<HistoryPage>>,
    ) -> anyhow::Result<HistoryPage> {
        if let Some(page) = self.history(shopper_id, key) {
            return Ok(HistoryPage::clone(&page));
        }
        let epoch = self.epoch();
        let found = read.await?;
        if let Some(epoch) = epoch
            && key.1 <= LONGEST_HISTORY_KEPT
        {
            self.keep_history(epoch, shopper_id, key, Arc::new(found.clone()));
        }
        Ok(found)
    }

    /// The profile page of `shopper_id` read last with the same arguments, if still exact.
    fn profile(&self, shopper_id: i64, key: ProfileKey) -> Option<Arc<AccountPage>> {
        let found = self
            .lock()
            .get(&shopper_id)
            .and_then(|pages| pages.profile.as_ref())
            .filter(|(kept, _)| *kept == key)
            .map(|(_, page)| Arc::clone(page));
        crate::metrics::record_cache_lookup(METRIC, found.is_some());
        found
    }

    /// The history page of `shopper_id` read last with the same arguments, if still exact.
    fn history(&self, shopper_id: i64, key: HistoryKey) -> Option<Arc<HistoryPage>> {
        let found = self
            .lock()
            .get(&shopper_id)
            .and_then(|pages| pages.history.as_ref())
            .filter(|(kept, _)| *kept == key)
            .map(|(_, page)| Arc::clone(page));
        crate::metrics::record_cache_lookup(METRIC, found.is_some());
        found
    }

    /// Keeps a profile page read since `epoch`, unless something was forgotten meanwhile.
    fn keep_profile(&self, epoch: Epoch, shopper_id: i64, key: ProfileKey, page: Arc<AccountPage>) {
        self.keep(epoch, shopper_id, |pages| pages.profile = Some((key, page)));
    }

    /// Keeps a history page read since `epoch`, unless something was forgotten meanwhile.
    fn keep_history(&self, epoch: Epoch, shopper_id: i64, key: HistoryKey, page: Arc<HistoryPage>) {
        self.keep(epoch, shopper_id, |pages| pages.history = Some((key, page)));
    }

    /// Forgets what is kept of these shoppers (their rows changed).
    pub fn forget(&self, shopper_ids: impl IntoIterator<Item = i64>) {
        let mut shoppers = self.lock();
        for shopper_id in shopper_ids {
            self.forget_locked(&mut shoppers, Some(shopper_id));
        }
    }

    /// Forgets everything (changes may have been missed).
    pub fn forget_all(&self) {
        let mut shoppers = self.lock();
        self.forget_locked(&mut shoppers, None);
    }

    /// How many shoppers' pages are kept, for tests and measurements.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn keep(&self, epoch: Epoch, shopper_id: i64, store: impl FnOnce(&mut Pages)) {
        let mut shoppers = self.lock();
        if !self.live.load(Ordering::SeqCst) || self.generation.load(Ordering::SeqCst) != epoch.0 {
            return;
        }
        if shoppers.len() >= CAPACITY
            && !shoppers.contains_key(&shopper_id)
            && let Some(&evicted) = shoppers.keys().next()
        {
            shoppers.remove(&evicted);
        }
        store(shoppers.entry(shopper_id).or_default());
    }

    fn forget_locked(&self, shoppers: &mut HashMap<i64, Pages>, shopper_id: Option<i64>) {
        match shopper_id {
            Some(shopper_id) => {
                shoppers.remove(&shopper_id);
            }
            None => *shoppers = HashMap::new(),
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<i64, Pages>> {
        // Nothing in the map can be left half-changed by a panic: keep going.
        self.shoppers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(total: i64) -> Arc<HistoryPage> {
        Arc::new(HistoryPage {
            entries: Vec::new(),
            total,
        })
    }

    #[test]
    fn a_page_read_before_a_change_is_not_kept() {
        let cache = PageCache::new(true);
        let epoch = cache.epoch().unwrap();
        cache.forget([7]);
        cache.keep_history(epoch, 1, (1, 10), history(1));
        assert!(cache.history(1, (1, 10)).is_none());
        let epoch = cache.epoch().unwrap();
        cache.keep_history(epoch, 1, (1, 10), history(2));
        assert_eq!(cache.history(1, (1, 10)).map(|page| page.total), Some(2));
        assert!(cache.history(1, (2, 10)).is_none());
    }

    #[test]
    fn nothing_is_kept_while_changes_are_not_heard_and_the_cache_stays_bounded() {
        let cache = PageCache::new(false);
        assert!(cache.epoch().is_none());
        cache.set_live(true);
        for shopper_id in 0..(CAPACITY as i64 + 10) {
            let epoch = cache.epoch().unwrap();
            cache.keep_history(epoch, shopper_id, (1, 10), history(0));
        }
        assert_eq!(cache.len(), CAPACITY);
        cache.set_live(false);
        assert!(cache.is_empty());
    }
}
