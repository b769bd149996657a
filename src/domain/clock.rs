//! The time a use case sees, passed in so a test can hold it still.

/// Seconds since the Unix epoch, the form every timestamp is kept in.
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp()
    }
}

/// The machine's clock moved by a shift that a test changes to let time pass, as far as what
/// reads this clock can tell (sessions' idle and maximum ages); no shift outside tests. Clones
/// share the shift.
#[derive(Debug, Clone, Default)]
pub struct ShiftedClock(std::sync::Arc<std::sync::atomic::AtomicI64>);

impl ShiftedClock {
    /// Moves this clock `seconds` on (back, when negative).
    pub fn shift(&self, seconds: i64) {
        self.0
            .fetch_add(seconds, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> i64 {
        SystemClock.now() + self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}
