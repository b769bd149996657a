//! What a shopper's profile page reads (`PageStore::profile_page`), what the store API reads of
//! an order (`OrderStore::order_with_refunds`) and the list of shoppers the demo's start page
//! shows (`ShopperStore::listed_shoppers`), kept in memory by the engine that read them, so a
//! warm read makes no trip to the database. It is only a cache, kept exact by construction:
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
//! - An order belongs to a shopper: it is forgotten with them. A list of shoppers may gain any
//!   shopper: it is forgotten whenever any shopper's rows change.
//! - At most [`CAPACITY`] shoppers' pages are kept (the last one read of each), and as many
//!   orders; past that an arbitrary one makes room. One list is kept (the last one read).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::{AccountPage, ListedShopper, OrderWithRefunds};
use crate::metrics::CacheLookups;

/// How many shoppers' pages are kept: a few KiB each, so a few MiB at most.
pub const CAPACITY: usize = 2048;

/// The names of these caches in the metrics (`cache="shopper_pages"`, …).
const METRIC: &str = "shopper_pages";
const ORDERS_METRIC: &str = "store_orders";
const LISTS_METRIC: &str = "shopper_lists";

/// Which profile page: environment, history page asked for, entries per page.
type ProfileKey = (&'static str, u32, u32);

/// The last profile page read of one shopper, and which.
type Pages = (ProfileKey, Arc<AccountPage>);

/// Which list of shoppers: environment, store user ids asked for.
type ListKey = (&'static str, Vec<String>);

/// The moment a read began; see [`PageCache::epoch`].
#[derive(Clone, Copy)]
struct Epoch(u64);

/// Everything kept, under one lock.
#[derive(Default)]
struct Kept {
    shoppers: HashMap<i64, Pages>,
    /// Store order id → the shopper whose order it is, and what was read of it.
    orders: HashMap<String, (i64, Arc<OrderWithRefunds>)>,
    list: Option<(ListKey, Arc<Vec<ListedShopper>>)>,
}

pub struct PageCache {
    kept: Mutex<Kept>,
    /// Lookups of profile pages, orders and lists, counted in the metrics.
    page_lookups: CacheLookups,
    order_lookups: CacheLookups,
    list_lookups: CacheLookups,
    /// Bumped (under the lock) by every forget.
    generation: AtomicU64,
    /// Whether changes are heard now; nothing is stored otherwise.
    live: AtomicBool,
}

impl PageCache {
    /// An empty cache; `live` when its engine hears every change from the start (SQLite).
    pub fn new(live: bool) -> Self {
        Self {
            kept: Mutex::new(Kept::default()),
            page_lookups: CacheLookups::of(METRIC),
            order_lookups: CacheLookups::of(ORDERS_METRIC),
            list_lookups: CacheLookups::of(LISTS_METRIC),
            generation: AtomicU64::new(0),
            live: AtomicBool::new(live),
        }
    }

    /// Taken before a read whose result may be kept; `None` when nothing may be kept now.
    fn epoch(&self) -> Option<Epoch> {
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
        let mut kept = self.lock();
        self.live.store(live, Ordering::SeqCst);
        self.forget_locked(&mut kept, None);
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

    /// The profile page of `shopper_id` read last with the same arguments, if still exact.
    fn profile(&self, shopper_id: i64, key: ProfileKey) -> Option<Arc<AccountPage>> {
        let found = self
            .lock()
            .shoppers
            .get(&shopper_id)
            .filter(|(kept, _)| *kept == key)
            .map(|(_, page)| Arc::clone(page));
        self.page_lookups.record(found.is_some());
        found
    }

    /// Keeps a profile page read since `epoch`, unless something was forgotten meanwhile.
    fn keep_profile(&self, epoch: Epoch, shopper_id: i64, key: ProfileKey, page: Arc<AccountPage>) {
        if let Some(mut kept) = self.unchanged_since(epoch) {
            make_room(&mut kept.shoppers, &shopper_id);
            kept.shoppers.insert(shopper_id, (key, page));
        }
    }

    /// The order the store knows as `store_order_id` with its refunds, from memory, else from
    /// `read` (then kept if exact). An order not found is not kept: it has no shopper yet.
    pub async fn order_or_read(
        &self,
        store_order_id: &str,
        read: impl Future<Output = anyhow::Result<Option<OrderWithRefunds>>>,
    ) -> anyhow::Result<Option<OrderWithRefunds>> {
        let found = self
            .lock()
            .orders
            .get(store_order_id)
            .map(|(_, order)| Arc::clone(order));
        self.order_lookups.record(found.is_some());
        if let Some(order) = found {
            return Ok(Some(OrderWithRefunds::clone(&order)));
        }
        let epoch = self.epoch();
        let found = read.await?;
        if let (Some(order), Some(epoch)) = (&found, epoch)
            && let Some(mut kept) = self.unchanged_since(epoch)
        {
            let key = store_order_id.to_owned();
            make_room(&mut kept.orders, &key);
            let shopper_id = order.order.order.shopper_id;
            kept.orders
                .insert(key, (shopper_id, Arc::new(order.clone())));
        }
        Ok(found)
    }

    /// The list of shoppers `key` names, from memory, else from `read` (then kept if exact).
    pub async fn list_or_read(
        &self,
        key: ListKey,
        read: impl Future<Output = anyhow::Result<Vec<ListedShopper>>>,
    ) -> anyhow::Result<Vec<ListedShopper>> {
        let found = match &self.lock().list {
            Some((kept, list)) if *kept == key => Some(Arc::clone(list)),
            _ => None,
        };
        self.list_lookups.record(found.is_some());
        if let Some(list) = found {
            return Ok(Vec::clone(&list));
        }
        let epoch = self.epoch();
        let found = read.await?;
        if let Some(epoch) = epoch
            && let Some(mut kept) = self.unchanged_since(epoch)
        {
            kept.list = Some((key, Arc::new(found.clone())));
        }
        Ok(found)
    }

    /// The lock on what is kept, if nothing was forgotten since `epoch` and changes are heard.
    fn unchanged_since(&self, epoch: Epoch) -> Option<MutexGuard<'_, Kept>> {
        let kept = self.lock();
        let unchanged =
            self.live.load(Ordering::SeqCst) && self.generation.load(Ordering::SeqCst) == epoch.0;
        unchanged.then_some(kept)
    }

    /// Forgets what is kept of these shoppers (their rows changed).
    pub fn forget(&self, shopper_ids: impl IntoIterator<Item = i64>) {
        let mut kept = self.lock();
        for shopper_id in shopper_ids {
            self.forget_locked(&mut kept, Some(shopper_id));
        }
    }

    /// Forgets everything (changes may have been missed).
    pub fn forget_all(&self) {
        let mut kept = self.lock();
        self.forget_locked(&mut kept, None);
    }

    /// How many shoppers' pages are kept, for tests and measurements.
    pub fn len(&self) -> usize {
        self.lock().shoppers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn forget_locked(&self, kept: &mut Kept, shopper_id: Option<i64>) {
        match shopper_id {
            Some(shopper_id) => {
                kept.shoppers.remove(&shopper_id);
                kept.orders.retain(|_, (owner, _)| *owner != shopper_id);
                kept.list = None;
            }
            None => *kept = Kept::default(),
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        // Nothing in the maps can be left half-changed by a panic: keep going.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Makes room for `key` in `map` when it is full, by dropping an arbitrary other entry.
fn make_room<K: Clone + Eq + std::hash::Hash, V>(map: &mut HashMap<K, V>, key: &K) {
    if map.len() >= CAPACITY
        && !map.contains_key(key)
        && let Some(evicted) = map.keys().next().cloned()
    {
        map.remove(&evicted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(first_name: &str) -> Arc<AccountPage> {
        Arc::new(AccountPage {
            shopper: crate::domain::Shopper {
                id: 1,
                store_user_id: "ada".into(),
                email: "ada@example.com".into(),
                first_name: first_name.into(),
                last_name: "Lovelace".into(),
                language: "it".into(),
            },
            customer_id: None,
            orders: Vec::new(),
            open_checkouts: Default::default(),
            history: crate::domain::payment::HistoryPage {
                entries: Vec::new(),
                total: 0,
            },
            history_page: 1,
            preferred: None,
            last_used: Default::default(),
        })
    }

    fn name(cache: &PageCache, shopper_id: i64, key: ProfileKey) -> Option<String> {
        cache
            .profile(shopper_id, key)
            .map(|page| page.shopper.first_name.clone())
    }

    #[test]
    fn a_page_read_before_a_change_is_not_kept() {
        let cache = PageCache::new(true);
        let key = ("sandbox", 1, 10);
        let epoch = cache.epoch().unwrap();
        cache.forget([7]);
        cache.keep_profile(epoch, 1, key, page("Old"));
        assert_eq!(name(&cache, 1, key), None);
        let epoch = cache.epoch().unwrap();
        cache.keep_profile(epoch, 1, key, page("New"));
        assert_eq!(name(&cache, 1, key).as_deref(), Some("New"));
        assert_eq!(name(&cache, 1, ("sandbox", 2, 10)), None);
        cache.forget([1]);
        assert_eq!(name(&cache, 1, key), None);
    }

    #[test]
    fn nothing_is_kept_while_changes_are_not_heard_and_the_cache_stays_bounded() {
        let cache = PageCache::new(false);
        assert!(cache.epoch().is_none());
        cache.set_live(true);
        for shopper_id in 0..(CAPACITY as i64 + 10) {
            let epoch = cache.epoch().unwrap();
            cache.keep_profile(epoch, shopper_id, ("sandbox", 1, 10), page("Ada"));
        }
        assert_eq!(cache.len(), CAPACITY);
        cache.set_live(false);
        assert!(cache.is_empty());
    }

    fn order(shopper_id: i64) -> OrderWithRefunds {
        let order = crate::domain::order::Order {
            id: 1,
            shopper_id,
            store_order_id: "A-1".into(),
            currency: "EUR".into(),
            status: crate::domain::order::OrderStatus::AwaitingPayment,
            total_amount: 100,
            discount_amount: 0,
            final_amount: 100,
            created_at: 0,
            lines: Vec::new(),
            discounts: Vec::new(),
        };
        OrderWithRefunds {
            order: crate::domain::order::StoreOrder {
                order,
                store_user_id: "ada".into(),
                updated_at: 0,
                payments: Vec::new(),
            },
            refunds: Vec::new(),
        }
    }

    #[tokio::test]
    async fn an_order_is_forgotten_with_its_shopper_and_a_list_with_anyone() {
        let cache = PageCache::new(true);
        let read = || async { Ok(Some(order(1))) };
        cache.order_or_read("A-1", read()).await.unwrap();
        let list = || async { Ok(Vec::new()) };
        cache
            .list_or_read(("sandbox", Vec::new()), list())
            .await
            .unwrap();
        let kept = |cache: &PageCache| {
            let kept = cache.lock();
            (kept.orders.contains_key("A-1"), kept.list.is_some())
        };
        assert_eq!(kept(&cache), (true, true));
        cache.forget([2]);
        assert_eq!(kept(&cache), (true, false));
        cache.forget([1]);
        assert_eq!(kept(&cache), (false, false));
    }

    #[tokio::test]
    async fn an_order_read_while_its_shopper_changed_is_not_kept() {
        let cache = PageCache::new(true);
        let racing = async {
            cache.forget([1]);
            Ok(Some(order(1)))
        };
        assert!(cache.order_or_read("A-1", racing).await.unwrap().is_some());
        assert!(cache.lock().orders.is_empty());
    }
}
