//! Heartbeats of this instance's background workers, so readiness can tell a stuck or dead
//! worker: a worker registers with its period and beats once per run; it counts as running
//! while its last beat is younger than three periods (plus a minute's grace). Per instance on
//! purpose: each instance runs its own workers.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Default)]
pub struct Heartbeats {
    workers: Arc<Mutex<Vec<Worker>>>,
}

struct Worker {
    name: &'static str,
    period: Duration,
    last: Instant,
}

/// One worker's handle, to beat with.
pub struct Heartbeat {
    heartbeats: Heartbeats,
    index: usize,
}

impl Heartbeats {
    /// Registers a worker that runs every `period`; it counts as just having beaten.
    pub fn register(&self, name: &'static str, period: Duration) -> Heartbeat {
        let mut workers = self.workers.lock().unwrap_or_else(|e| e.into_inner());
        workers.push(Worker {
            name,
            period,
            last: Instant::now(),
        });
        Heartbeat {
            heartbeats: self.clone(),
            index: workers.len() - 1,
        }
    }

    /// The workers whose last beat is overdue.
    pub fn stalled(&self) -> Vec<&'static str> {
        let workers = self.workers.lock().unwrap_or_else(|e| e.into_inner());
        workers
            .iter()
            .filter(|w| w.last.elapsed() > w.period * 3 + Duration::from_secs(60))
            .map(|w| w.name)
            .collect()
    }
}

impl Heartbeat {
    /// Says the worker finished a run.
    pub fn beat(&self) {
        let mut workers = self
            .heartbeats
            .workers
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(worker) = workers.get_mut(self.index) {
            worker.last = Instant::now();
        }
    }
}

/// The outcome of a slow readiness check, kept a while so probes stay cheap.
#[derive(Default)]
pub struct CheckCache(Mutex<Option<(Instant, Result<(), String>)>>);

impl CheckCache {
    /// The last outcome, if younger than `max_age`.
    pub fn fresh(&self, max_age: Duration) -> Option<Result<(), String>> {
        let last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        last.as_ref()
            .filter(|(at, _)| at.elapsed() < max_age)
            .map(|(_, outcome)| outcome.clone())
    }

    pub fn remember(&self, outcome: Result<(), String>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), outcome));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_that_beats_is_not_stalled_and_one_that_stops_is() {
        let heartbeats = Heartbeats::default();
        let fast = heartbeats.register("fast", Duration::ZERO);
        let _slow = heartbeats.register("slow", Duration::from_secs(3600));
        fast.beat();
        assert!(heartbeats.stalled().is_empty());
        let mut workers = heartbeats.workers.lock().unwrap();
        workers[0].last = Instant::now() - Duration::from_secs(61);
        drop(workers);
        assert_eq!(heartbeats.stalled(), vec!["fast"]);
    }
}
