//! Answers from Voucherly kept in memory for a while, per key, and shared by concurrent callers.
//!
//! - An answer younger than `fresh_for` is served from memory.
//! - A miss starts **one** call per key (single flight) on a task of its own, so a caller that
//!   gives up (or a browser that goes away) does not cancel it for the others; every caller for
//!   that key waits on the same call, for at most `patience`.
//! - When the call fails, or is still running after `patience`, callers get the last known
//!   answer with the time it was fetched, or nothing; the call, if still running, lands later
//!   for the next caller. After a failure, no new call is made for a few seconds.
//! - [`Cache::forget`] drops a key at once, and an answer already on its way for it is discarded.
//!
//! This is per-instance memory, and that is fine: it only ever saves a trip to Voucherly for what
//! a page shows. It never decides anything about money or sessions (paying and removing ask
//! Voucherly or the database, which every instance shares). With several instances, one that did
//! not see a `forget` shows an older list for at most `fresh_for`.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use tokio::sync::watch;

use crate::metrics::CacheLookups;

/// How long a failed call keeps callers from starting another (at most `fresh_for`).
const FAILURE_PAUSE: Duration = Duration::from_secs(5);

/// How long a last known answer is kept to be shown when Voucherly fails.
const KEEP_LAST_KNOWN: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// How long an answer is served without asking again.
    pub fresh_for: Duration,
    /// How long a caller waits for a call before making do with the last known answer.
    pub patience: Duration,
    /// How many keys are kept; past that, the oldest answers are dropped.
    pub capacity: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            fresh_for: Duration::from_secs(60),
            patience: Duration::from_millis(2500),
            capacity: 20_000,
        }
    }
}

/// An answer, and when it was fetched.
pub struct Known<V> {
    pub value: Arc<V>,
    /// For the shopper: "as of".
    pub as_of: OffsetDateTime,
    fetched: Instant,
}

impl<V> Clone for Known<V> {
    fn clone(&self) -> Self {
        Self {
            value: Arc::clone(&self.value),
            as_of: self.as_of,
            fetched: self.fetched,
        }
    }
}

/// What a lookup found.
pub enum Lookup<V, E> {
    /// An answer younger than `fresh_for`, or the one just fetched.
    Fresh(Known<V>),
    /// No fresh answer: the call failed or is slow. The last known answer, if any.
    Missed {
        last_known: Option<Known<V>>,
        why: Miss<E>,
    },
}

/// Why a lookup has no fresh answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss<E> {
    /// The call failed (or failed a moment ago, and is not repeated yet).
    Failed(E),
    /// The call is still running after `patience`.
    Slow,
}

impl<V, E> Lookup<V, E> {
    /// The fresh answer, else the last known one.
    pub fn known(&self) -> Option<&Known<V>> {
        match self {
            Lookup::Fresh(known) => Some(known),
            Lookup::Missed { last_known, .. } => last_known.as_ref(),
        }
    }
}

type Outcome<V, E> = Result<Known<V>, E>;

/// Where the outcome of a call under way is announced.
type Announced<V, E> = watch::Receiver<Option<Outcome<V, E>>>;

struct Entry<V, E> {
    known: Option<Known<V>>,
    /// Boxed: rarely there, and every entry would otherwise hold room for an error.
    failed: Option<Box<(Instant, E)>>,
    /// The call under way: its number, and where its outcome will be announced.
    flight: Option<(u64, Announced<V, E>)>,
}

impl<V, E> Default for Entry<V, E> {
    fn default() -> Self {
        Self {
            known: None,
            failed: None,
            flight: None,
        }
    }
}

/// Cheap to clone: clones share the memory.
pub struct Cache<K, V, E> {
    inner: Arc<Inner<K, V, E>>,
}

impl<K, V, E> Clone for Cache<K, V, E> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

struct Inner<K, V, E> {
    /// Its lookups, counted in the metrics under its name.
    lookups: CacheLookups,
    policy: Policy,
    entries: Mutex<HashMap<K, Entry<V, E>>>,
    flights: AtomicU64,
}

impl<K, V, E> Cache<K, V, E>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
{
    /// A cache counted in the metrics under `name`.
    pub fn new(name: &'static str, policy: Policy) -> Self {
        Self {
            inner: Arc::new(Inner {
                lookups: CacheLookups::of(name),
                policy,
                entries: Mutex::new(HashMap::new()),
                flights: AtomicU64::new(0),
            }),
        }
    }

    /// The answer for `key`: from memory when fresh, else from `call` (made once however many
    /// callers miss at the same time), else the last known one.
    pub async fn get<Q, F, Fut>(&self, key: &Q, call: F) -> Lookup<V, E>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
    {
        let (mut flight, last_known) = {
            let mut entries = self.inner.lock();
            if let Some(entry) = entries.get(key)
                && let Some(ready) = self.inner.ready(entry)
            {
                self.inner.lookups.record(true);
                return ready;
            }
            self.inner.lookups.record(false);
            let entry = entries.entry(key.to_owned()).or_default();
            let last_known = entry.known.clone();
            let flight = match &entry.flight {
                Some((_, flight)) => flight.clone(),
                None => {
                    let number = self.inner.flights.fetch_add(1, Ordering::Relaxed);
                    let (announce, flight) = watch::channel(None);
                    entry.flight = Some((number, flight.clone()));
                    let inner = Arc::clone(&self.inner);
                    let key = key.to_owned();
                    let call = call();
                    tokio::spawn(async move {
                        let outcome = call.await.map(|value| Known {
                            value: Arc::new(value),
                            as_of: OffsetDateTime::now_utc(),
                            fetched: Instant::now(),
                        });
                        inner.land(&key, number, &outcome);
                        // Nobody may be waiting any more: that is fine.
                        let _ = announce.send(Some(outcome));
                    });
                    flight
                }
            };
            self.inner.evict_if_full(&mut entries);
            (flight, last_known)
        };
        let waited =
            tokio::time::timeout(self.inner.policy.patience, flight.wait_for(Option::is_some))
                .await;
        let why = match waited {
            Ok(Ok(outcome)) => match outcome.as_ref() {
                Some(Ok(known)) => return Lookup::Fresh(known.clone()),
                Some(Err(error)) => Miss::Failed(error.clone()),
                None => Miss::Slow,
            },
            // The call's task ended without announcing (it panicked): as good as slow.
            Ok(Err(_)) | Err(_) => Miss::Slow,
        };
        Lookup::Missed { last_known, why }
    }

    /// Drops what is known of `key`; a call already under way for it is not stored.
    pub fn forget<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.inner.lock().remove(key);
    }

    /// Drops everything known; calls under way are not stored.
    pub fn forget_all(&self) {
        self.inner.lock().clear();
    }

    /// How many keys are held, for tests and measurements.
    pub fn len(&self) -> usize {
        self.inner.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K, V, E> Inner<K, V, E>
where
    K: Hash + Eq,
    E: Clone,
{
    fn lock(&self) -> MutexGuard<'_, HashMap<K, Entry<V, E>>> {
        // Nothing in the map can be left half-changed by a panic: keep going.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An answer that needs no call: fresh, or a failure too recent to try again.
    fn ready(&self, entry: &Entry<V, E>) -> Option<Lookup<V, E>> {
        if let Some(known) = &entry.known
            && known.fetched.elapsed() < self.policy.fresh_for
        {
            return Some(Lookup::Fresh(known.clone()));
        }
        let (at, error) = entry.failed.as_deref()?;
        (at.elapsed() < FAILURE_PAUSE.min(self.policy.fresh_for)).then(|| Lookup::Missed {
            last_known: entry.known.clone(),
            why: Miss::Failed(error.clone()),
        })
    }

    /// Stores the outcome of call `number`, unless the key was forgotten since it started.
    fn land(&self, key: &K, number: u64, outcome: &Outcome<V, E>) {
        let mut entries = self.lock();
        let Some(entry) = entries.get_mut(key) else {
            return;
        };
        if entry.flight.as_ref().map(|(n, _)| *n) != Some(number) {
            return;
        }
        entry.flight = None;
        match outcome {
            Ok(known) => {
                entry.known = Some(known.clone());
                entry.failed = None;
            }
            Err(error) => entry.failed = Some(Box::new((Instant::now(), error.clone()))),
        }
    }

    /// Past the capacity, drops answers too old to show, then the oldest, down to three
    /// quarters of it (so the sweep runs rarely). Calls under way are kept.
    fn evict_if_full(&self, entries: &mut HashMap<K, Entry<V, E>>) {
        if entries.len() <= self.policy.capacity {
            return;
        }
        entries.retain(|_, entry| {
            entry.flight.is_some()
                || entry
                    .known
                    .as_ref()
                    .is_some_and(|known| known.fetched.elapsed() < KEEP_LAST_KNOWN)
        });
        let target = self.policy.capacity * 3 / 4;
        if entries.len() > target {
            let mut ages: Vec<Instant> = entries
                .values()
                .filter(|entry| entry.flight.is_none())
                .filter_map(|entry| entry.known.as_ref().map(|known| known.fetched))
                .collect();
            let excess = entries.len() - target;
            if excess <= ages.len() {
                let (_, cutoff, _) = ages.select_nth_unstable(excess - 1);
                let cutoff = *cutoff;
                entries.retain(|_, entry| {
                    entry.flight.is_some()
                        || entry.known.as_ref().is_some_and(|k| k.fetched > cutoff)
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn cache(fresh_for: Duration, patience: Duration) -> Cache<String, u32, String> {
        Cache::new(
            "test",
            Policy {
                fresh_for,
                patience,
                capacity: 100,
            },
        )
    }

    #[tokio::test]
    async fn concurrent_misses_make_one_call_and_a_fresh_answer_none() {
        let cache = cache(Duration::from_secs(60), Duration::from_secs(5));
        let calls = Arc::new(AtomicUsize::new(0));
        let lookups = (0..20).map(|_| {
            let (cache, calls) = (cache.clone(), Arc::clone(&calls));
            tokio::spawn(async move {
                let lookup = cache
                    .get("a", || async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(7)
                    })
                    .await;
                lookup.known().map(|known| *known.value)
            })
        });
        for lookup in lookups {
            assert_eq!(lookup.await.unwrap(), Some(7));
        }
        let again = cache.get("a", || async { Ok(8) }).await;
        assert!(matches!(again, Lookup::Fresh(known) if *known.value == 7));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_slow_call_gives_the_last_known_answer_then_lands_for_the_next_caller() {
        let cache = cache(Duration::ZERO, Duration::from_millis(50));
        let first = cache.get("a", || async { Ok(1) }).await;
        assert!(matches!(first, Lookup::Fresh(_)));
        let slow = cache
            .get("a", || async {
                tokio::time::sleep(Duration::from_millis(200)).await;
                Ok(2)
            })
            .await;
        match slow {
            Lookup::Missed {
                last_known: Some(known),
                why: Miss::Slow,
            } => assert_eq!(*known.value, 1),
            _ => panic!("expected the last known answer"),
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let landed = cache.get("a", || async { Err("down".to_owned()) }).await;
        assert_eq!(landed.known().map(|known| *known.value), Some(2));
    }

    #[tokio::test]
    async fn a_failure_is_not_retried_at_once_and_keeps_the_last_known_answer() {
        let cache = cache(Duration::from_millis(300), Duration::from_secs(5));
        cache.get("a", || async { Ok(1) }).await;
        tokio::time::sleep(Duration::from_millis(350)).await;
        let failed = cache.get("a", || async { Err("down".to_owned()) }).await;
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&calls);
        let paused = cache
            .get("a", || async move {
                counted.fetch_add(1, Ordering::SeqCst);
                Ok(3)
            })
            .await;
        for lookup in [failed, paused] {
            match lookup {
                Lookup::Missed {
                    last_known: Some(known),
                    why: Miss::Failed(error),
                } => assert_eq!((*known.value, error.as_str()), (1, "down")),
                _ => panic!("expected the failure with the last known answer"),
            }
        }
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_forgotten_key_is_asked_again_and_an_answer_already_on_its_way_is_dropped() {
        let cache = cache(Duration::from_secs(60), Duration::from_millis(20));
        let slow = cache
            .get("a", || async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok(1)
            })
            .await;
        assert!(matches!(
            slow,
            Lookup::Missed {
                why: Miss::Slow,
                ..
            }
        ));
        cache.forget("a");
        tokio::time::sleep(Duration::from_millis(200)).await;
        let asked = cache.get("a", || async { Ok(2) }).await;
        assert_eq!(asked.known().map(|known| *known.value), Some(2));
    }

    #[tokio::test]
    async fn past_the_capacity_the_oldest_answers_go() {
        let cache = cache(Duration::from_secs(60), Duration::from_secs(5));
        for n in 0..=100u32 {
            cache.get(&n.to_string(), || async move { Ok(n) }).await;
        }
        assert!(cache.len() <= 76, "{} keys kept", cache.len());
        let newest = cache.get("100", || async { Ok(0) }).await;
        assert!(matches!(newest, Lookup::Fresh(known) if *known.value == 100));
    }
}
