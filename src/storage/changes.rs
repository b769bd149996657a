//! Changes that instances tell each other of, so that what each keeps in memory stays a cache:
//! a shopper's saved methods changed, a store event was queued. On SQLite (one instance) they
//! stay in the process; on PostgreSQL they travel as `NOTIFY` to every instance, this one
//! included.

use async_trait::async_trait;
use tokio::sync::broadcast;

/// A change some instance made that caches must hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The shopper's saved methods or wallet may have changed: forget what is cached of them.
    Methods { shopper_id: i64 },
    /// A store event was queued: the delivery worker has work.
    EventsQueued,
    /// Rows a shopper's pages read changed (sent by the database's own triggers, see
    /// `storage::PageCache`): forget their cached pages.
    Pages { shopper_id: i64 },
    /// A fence: the instance that sent `token` knows it has heard everything committed before.
    Fence { token: u64 },
    /// Changes may have been missed (the feed was cut): forget everything cached.
    Everything,
}

impl Change {
    /// The change as the text of a notification.
    pub fn encode(self) -> String {
        match self {
            Change::Methods { shopper_id } => format!("methods:{shopper_id}"),
            Change::EventsQueued => "events".into(),
            Change::Pages { shopper_id } => format!("pages:{shopper_id}"),
            Change::Fence { token } => format!("fence:{token}"),
            Change::Everything => "everything".into(),
        }
    }

    /// A notification's text as a change; one this program does not know (a newer instance's)
    /// is read as [`Change::Everything`], which is always safe.
    pub fn decode(text: &str) -> Self {
        match text.split_once(':') {
            Some(("methods", id)) => match id.parse() {
                Ok(shopper_id) => Change::Methods { shopper_id },
                Err(_) => Change::Everything,
            },
            Some(("pages", id)) => match id.parse() {
                Ok(shopper_id) => Change::Pages { shopper_id },
                Err(_) => Change::Everything,
            },
            Some(("fence", token)) => match token.parse() {
                Ok(token) => Change::Fence { token },
                Err(_) => Change::Everything,
            },
            _ if text == "events" => Change::EventsQueued,
            _ => Change::Everything,
        }
    }
}

/// How many changes a slow listener may fall behind before it is told to forget everything.
pub const BACKLOG: usize = 1024;

/// The feed of changes between instances.
#[async_trait]
pub trait ChangeFeed: Send + Sync {
    /// Tells every instance (this one included) of `change`; returns once it is sent.
    async fn announce(&self, change: Change) -> anyhow::Result<()>;
    /// Every change announced from now on, by any instance.
    fn changes(&self) -> broadcast::Receiver<Change>;
    /// Returns once this instance's caches reflect everything committed before the call (or
    /// were emptied): a request that may have written calls it before answering.
    async fn caught_up(&self);
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn a_change_reads_back_as_itself_and_an_unknown_one_as_everything() {
        for change in [
            Change::Methods { shopper_id: 42 },
            Change::EventsQueued,
            Change::Pages { shopper_id: 7 },
            Change::Fence { token: u64::MAX },
            Change::Everything,
        ] {
            assert_eq!(Change::decode(&change.encode()), change);
        }
        assert_eq!(Change::decode("methods:x"), Change::Everything);
        assert_eq!(Change::decode("orders:7"), Change::Everything);
        assert_eq!(Change::decode("pages:"), Change::Everything);
    }
}
