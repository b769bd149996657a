//! The sessions this instance has read or written, in memory, so that a signed-in request needs
//! no trip to storage. Exact, not merely fresh: every change to a session is applied here before
//! the request that made it answers (see `store`), other instances' changes arrive through the
//! change feed (see `feed`), and an entry is trusted only while the feed that would have told of
//! a change is the one that was listening when the entry was read (`epoch`). An entry's idle
//! deadline may lag behind one another instance wrote: one that looks passed is read again from
//! storage, never declared ended here.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::storage::SessionTag;

/// How many sessions are kept at most (about 300 bytes each).
pub const CAPACITY: usize = 16_384;

struct Entry {
    /// actix-session's map, packed (see `packed`: smaller than the map itself).
    state: Arc<str>,
    /// The idle deadline as last read or written by this instance.
    expires_at: i64,
    /// When the session reaches its maximum age (`i64::MAX` for one not signed in).
    ends_at: i64,
    /// The feed's listening connection when it was read.
    epoch: u64,
    /// When it was last used, in lookups: the least recently used go first.
    used: u64,
    /// A write moving the idle deadline is on its way.
    extending: bool,
}

#[derive(Default)]
struct Entries {
    map: HashMap<SessionTag, Entry>,
    /// Moves at every forgetting: a fill that started before it may hold what was forgotten.
    generation: u64,
    lookups: u64,
}

/// What a fill started with (see [`SessionCache::ticket`]).
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    generation: u64,
    epoch: u64,
}

/// A session found alive in memory.
pub struct Hit {
    pub state: Arc<str>,
    /// The caller is to move the idle deadline forward (no one else is doing it).
    pub extend: bool,
}

/// A session read or written, to keep.
pub struct Fill<'a> {
    pub state: &'a str,
    pub expires_at: i64,
    pub ends_at: i64,
    pub now: i64,
}

pub struct SessionCache {
    entries: Mutex<Entries>,
    capacity: usize,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl SessionCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::default(),
            capacity,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The session under `tag` if it is alive at `now` as far as this instance can tell, with
    /// the feed listening on connection `epoch`. `extend` is set for the first caller to see its
    /// idle deadline `step` or more behind `extend_to`.
    pub fn get(
        &self,
        tag: &SessionTag,
        now: i64,
        epoch: u64,
        (extend_to, step): (i64, i64),
    ) -> Option<Hit> {
        let hit = self.look_up(tag, now, epoch, extend_to, step);
        let counter = if hit.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        hit
    }

    fn look_up(
        &self,
        tag: &SessionTag,
        now: i64,
        epoch: u64,
        extend_to: i64,
        step: i64,
    ) -> Option<Hit> {
        let mut entries = self.lock();
        entries.lookups += 1;
        let used = entries.lookups;
        let entry = entries.map.get_mut(tag)?;
        if epoch == 0 || entry.epoch != epoch || entry.expires_at < now || entry.ends_at < now {
            return None;
        }
        entry.used = used;
        let extend = !entry.extending && extend_to - entry.expires_at >= step;
        entry.extending |= extend;
        Some(Hit {
            state: Arc::clone(&entry.state),
            extend,
        })
    }

    /// To take before reading or writing storage for a fill, with the feed's `epoch` then.
    pub fn ticket(&self, epoch: u64) -> Ticket {
        Ticket {
            generation: self.lock().generation,
            epoch,
        }
    }

    /// Keeps `fill` under `tag`, unless something was forgotten since `ticket` was taken (the
    /// fill may be stale) or the feed was not listening then; says whether it was kept.
    pub fn fill(&self, ticket: Ticket, tag: SessionTag, fill: Fill<'_>) -> bool {
        let mut entries = self.lock();
        if ticket.epoch == 0 || ticket.generation != entries.generation {
            return false;
        }
        if entries.map.len() >= self.capacity && !entries.map.contains_key(&tag) {
            evict(&mut entries.map, self.capacity, fill.now);
        }
        entries.lookups += 1;
        let used = entries.lookups;
        entries.map.insert(
            tag,
            Entry {
                state: Arc::from(fill.state),
                expires_at: fill.expires_at,
                ends_at: fill.ends_at,
                epoch: ticket.epoch,
                used,
                extending: false,
            },
        );
        true
    }

    /// The idle deadline write asked for by a hit is done: moved to `to`, or not (`None`).
    pub fn extended(&self, tag: &SessionTag, to: Option<i64>) {
        if let Some(entry) = self.lock().map.get_mut(tag) {
            entry.extending = false;
            entry.expires_at = entry.expires_at.max(to.unwrap_or(i64::MIN));
        }
    }

    pub fn forget(&self, tag: &SessionTag) {
        let mut entries = self.lock();
        entries.map.remove(tag);
        entries.generation += 1;
    }

    pub fn forget_all(&self) {
        let mut entries = self.lock();
        entries.map.clear();
        entries.generation += 1;
    }

    /// Lookups answered from memory, and those that were not.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        // A panic while holding the lock leaves nothing half-written worth refusing.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Drops the sessions ended at `now` as far as this instance knows, then, down to seven
/// eighths of `capacity`, the least recently used.
fn evict(map: &mut HashMap<SessionTag, Entry>, capacity: usize, now: i64) {
    map.retain(|_, entry| entry.expires_at >= now && entry.ends_at >= now);
    let keep = capacity / 8 * 7;
    if map.len() <= keep {
        return;
    }
    let mut used: Vec<u64> = map.values().map(|entry| entry.used).collect();
    let (_, oldest_kept, _) = used.select_nth_unstable(map.len() - keep);
    let oldest_kept = *oldest_kept;
    map.retain(|_, entry| entry.used >= oldest_kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000;
    const NO_EXTENSION: (i64, i64) = (NOW, i64::MAX);

    fn tag(name: &str) -> SessionTag {
        SessionTag::of(name)
    }

    fn fill(cache: &SessionCache, ticket: Ticket, name: &str) {
        let state = Fill {
            state: "",
            expires_at: NOW + 60,
            ends_at: i64::MAX,
            now: NOW,
        };
        cache.fill(ticket, tag(name), state);
    }

    #[test]
    fn a_fill_that_raced_a_forgetting_is_not_kept() {
        let cache = SessionCache::new(10);
        let ticket = cache.ticket(1);
        cache.forget(&tag("other"));
        fill(&cache, ticket, "a");
        assert!(cache.get(&tag("a"), NOW, 1, NO_EXTENSION).is_none());
        fill(&cache, cache.ticket(1), "a");
        assert!(cache.get(&tag("a"), NOW, 1, NO_EXTENSION).is_some());
        assert_eq!(cache.counts(), (1, 1));
    }

    #[test]
    fn nothing_is_trusted_from_another_listening_connection_or_none() {
        let cache = SessionCache::new(10);
        fill(&cache, cache.ticket(1), "a");
        assert!(cache.get(&tag("a"), NOW, 2, NO_EXTENSION).is_none());
        assert!(cache.get(&tag("a"), NOW, 0, NO_EXTENSION).is_none());
        fill(&cache, cache.ticket(0), "b");
        assert!(cache.get(&tag("b"), NOW, 0, NO_EXTENSION).is_none());
    }

    #[test]
    fn a_session_past_its_deadlines_is_not_answered_from_memory() {
        let cache = SessionCache::new(10);
        let ticket = cache.ticket(1);
        let state = Fill {
            state: "",
            expires_at: NOW + 60,
            ends_at: NOW + 30,
            now: NOW,
        };
        cache.fill(ticket, tag("a"), state);
        assert!(cache.get(&tag("a"), NOW + 30, 1, NO_EXTENSION).is_some());
        assert!(cache.get(&tag("a"), NOW + 31, 1, NO_EXTENSION).is_none());
    }

    #[test]
    fn one_caller_at_a_time_is_asked_to_extend() {
        let cache = SessionCache::new(10);
        fill(&cache, cache.ticket(1), "a");
        let extending = (NOW + 120, 30);
        assert!(cache.get(&tag("a"), NOW, 1, extending).unwrap().extend);
        assert!(!cache.get(&tag("a"), NOW, 1, extending).unwrap().extend);
        cache.extended(&tag("a"), Some(NOW + 120));
        assert!(!cache.get(&tag("a"), NOW, 1, extending).unwrap().extend);
        assert!(cache.get(&tag("a"), NOW + 100, 1, NO_EXTENSION).is_some());
    }

    #[test]
    fn past_the_capacity_the_least_recently_used_go() {
        let cache = SessionCache::new(8);
        for name in ["0", "1", "2", "3", "4", "5", "6", "7"] {
            fill(&cache, cache.ticket(1), name);
        }
        assert!(cache.get(&tag("0"), NOW, 1, NO_EXTENSION).is_some());
        fill(&cache, cache.ticket(1), "8");
        assert!(cache.get(&tag("0"), NOW, 1, NO_EXTENSION).is_some());
        assert!(cache.get(&tag("8"), NOW, 1, NO_EXTENSION).is_some());
        assert!(cache.get(&tag("1"), NOW, 1, NO_EXTENSION).is_none());
        assert!(cache.lock().map.len() <= 8);
    }
}
