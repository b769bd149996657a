//! How long sessions live: an idle timeout and a maximum age after signing in, and when a
//! session reaches them.

use std::collections::HashMap;

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Seconds a session may go unused.
    pub idle: i64,
    /// Seconds after signing in when a session ends, however busy.
    pub max_age: i64,
}

/// The session key under which the sign-in time is kept (see `ShopperSession::sign_in`).
const SIGNED_IN_AT: &str = "signed_in_at";
const SHOPPER_ID: &str = "shopper_id";

/// The idle deadline is moved forward only when it is this much behind a fresh one: at most a
/// minute, and a tenth of a short idle timeout, so that any activity well within the timeout
/// extends it (a 1-minute timeout with a 60 s step would sign out a shopper active every 35 s).
pub(super) fn touch_every(idle: i64) -> i64 {
    (idle / 10).clamp(1, 60)
}

/// Whether a session that was signed in has passed its maximum age.
pub(super) fn past_max_age(state: &HashMap<String, String>, max_age: i64, now: i64) -> bool {
    ends_at(state, max_age) < now
}

/// When a session reaches its maximum age: never for one not signed in. Values are stored as
/// JSON text (actix-session serialises each one). A signed-in session without a sign-in time
/// predates it being recorded: too old to trust.
pub(super) fn ends_at(state: &HashMap<String, String>, max_age: i64) -> i64 {
    if !state.contains_key(SHOPPER_ID) {
        return i64::MAX;
    }
    state
        .get(SIGNED_IN_AT)
        .and_then(|value| value.parse::<i64>().ok())
        .map_or(i64::MIN, |at| at.saturating_add(max_age))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_idle_deadline_moves_every_tenth_of_a_short_timeout_and_at_least_every_minute() {
        assert_eq!(touch_every(60), 6);
        assert_eq!(touch_every(599), 59);
        assert_eq!(touch_every(600), 60);
        assert_eq!(touch_every(8 * 3600), 60);
        assert_eq!(touch_every(5), 1);
    }

    #[test]
    fn an_anonymous_session_has_no_maximum_age() {
        assert!(!past_max_age(&state(&[("lang", "\"en\"")]), 10, 1_000));
    }

    #[test]
    fn a_signed_in_session_ends_after_its_maximum_age() {
        let signed_in = state(&[("shopper_id", "1"), ("signed_in_at", "100")]);
        assert!(!past_max_age(&signed_in, 10, 110));
        assert!(past_max_age(&signed_in, 10, 111));
    }

    #[test]
    fn a_signed_in_session_without_a_sign_in_time_is_too_old() {
        assert!(past_max_age(&state(&[("shopper_id", "1")]), 10, 0));
    }
}
