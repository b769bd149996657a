//! Ids that no other id of this process repeats, and no other process's, with no system call:
//! a counter through a bijection, under a secret drawn once per process. Request ids, and the
//! forms' idempotency keys (unique per form shown; the shopper's own, so nothing to guess).

use std::fmt;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// 128 bits: the counter mixed under the secret's first half, then its second half.
#[derive(Clone, Copy)]
pub struct UniqueId(u64, u64);

/// The process's secret and the count of ids.
static SECRET: LazyLock<(u64, u64)> = LazyLock::new(|| {
    let mut bytes = [0u8; 16];
    // Without randomness the ids are still unique within the process, only not across them.
    let _ = getrandom::fill(&mut bytes);
    let (high, low) = bytes.split_at(8);
    let word = |half: &[u8]| half.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
    (word(high), word(low))
});
static COUNT: AtomicU64 = AtomicU64::new(0);

impl UniqueId {
    pub fn next() -> Self {
        let (secret, tail) = *SECRET;
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        Self(mix(n ^ secret), tail)
    }

    /// 32 lowercase hex digits, as a form's idempotency key.
    pub fn simple(self) -> String {
        format!("{:016x}{:016x}", self.0, self.1)
    }
}

/// splitmix64's finaliser: a bijection on 64 bits whose outputs look random.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Shaped like a UUID.
impl fmt::Display for UniqueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = (self.0, self.1);
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_do_not_repeat_and_look_like_uuids() {
        let ids: HashSet<String> = (0..10_000).map(|_| UniqueId::next().to_string()).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(
            ids.iter()
                .all(|id| id.len() == 36 && id.matches('-').count() == 4)
        );
    }

    #[test]
    fn simple_ids_are_32_hex_digits_that_do_not_repeat() {
        let ids: HashSet<String> = (0..10_000).map(|_| UniqueId::next().simple()).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| {
            id.len() == 32
                && id
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        }));
    }
}
