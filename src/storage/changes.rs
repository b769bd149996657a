//! Changes that instances tell each other of, so that what each keeps in memory stays a cache:
//! a shopper's saved methods changed, a store event was queued, a session changed or ended. On
//! SQLite (one instance) they stay in the process; on PostgreSQL they travel as `NOTIFY` to
//! every instance, this one included.

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use tokio::sync::broadcast;

/// A session as changes name it: the SHA-256 of its key, so the key itself (which opens the
/// session) never travels in a notification nor reaches a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionTag(pub [u8; 32]);

impl SessionTag {
    pub fn of(key: &str) -> Self {
        Self(Sha256::digest(key.as_bytes()).into())
    }
}

/// What an instance waiting for a change to be applied everywhere names it by: a random `id`,
/// and the instance (`from`) that waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fence {
    pub id: u64,
    pub from: u64,
}

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
    /// A session changed or ended: forget it, then say so with [`Change::Applied`].
    Session { tag: SessionTag, fence: Fence },
    /// The instance `by` has applied the change of fence `fence`.
    Applied { fence: u64, by: u64 },
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
            Change::Session { tag, fence } => {
                format!("session:{}:{}:{}", hex::encode(tag.0), fence.id, fence.from)
            }
            Change::Applied { fence, by } => format!("applied:{fence}:{by}"),
            Change::Everything => "everything".into(),
        }
    }

    /// A notification's text as a change; one this program does not know (a newer instance's)
    /// is read as [`Change::Everything`], which is always safe.
    pub fn decode(text: &str) -> Self {
        let parts: Vec<&str> = text.split(':').collect();
        let decoded = match parts.as_slice() {
            ["methods", id] => id
                .parse()
                .ok()
                .map(|shopper_id| Change::Methods { shopper_id }),
            ["events"] => Some(Change::EventsQueued),
            ["session", tag, id, from] => session(tag, id, from),
            ["applied", fence, by] => match (fence.parse(), by.parse()) {
                (Ok(fence), Ok(by)) => Some(Change::Applied { fence, by }),
                _ => None,
            },
            ["pages", id] => id
                .parse()
                .ok()
                .map(|shopper_id| Change::Pages { shopper_id }),
            ["fence", token] => token.parse().ok().map(|token| Change::Fence { token }),
            _ => None,
        };
        decoded.unwrap_or(Change::Everything)
    }

    /// The fence of a change that is waited for.
    pub fn fence(self) -> Option<Fence> {
        match self {
            Change::Session { fence, .. } => Some(fence),
            _ => None,
        }
    }
}

fn session(tag: &str, id: &str, from: &str) -> Option<Change> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(tag, &mut bytes).ok()?;
    Some(Change::Session {
        tag: SessionTag(bytes),
        fence: Fence {
            id: id.parse().ok()?,
            from: from.parse().ok()?,
        },
    })
}

/// How many changes a slow listener may fall behind before it is told to forget everything.
pub const BACKLOG: usize = 1024;

/// The feed of changes between instances.
#[async_trait]
pub trait ChangeFeed: Send + Sync {
    /// Tells every instance (this one included) of `change`; returns once it is sent.
    async fn announce(&self, change: Change) -> anyhow::Result<()>;
    /// Like `announce`, but for a change with a fence: returns once every other instance
    /// listening has applied it (or, with one that does not answer, after a bounded wait).
    async fn announce_and_wait(&self, change: Change) -> anyhow::Result<()>;
    /// Every change announced from now on, by any instance.
    fn changes(&self) -> broadcast::Receiver<Change>;
    /// Returns once this instance's caches reflect everything committed before the call (or
    /// were emptied): a request that may have written calls it before answering.
    async fn caught_up(&self);
    /// This instance's number on the feed (its fences carry it).
    fn instance(&self) -> u64;
    /// The number of the connection that hears changes now; 0 while none does (changes may be
    /// missed meanwhile, so nothing kept in memory is to be trusted then). It changes whenever
    /// listening starts again.
    fn listening(&self) -> u64;
}

#[cfg(test)]
mod tests {
    use super::{Change, Fence, SessionTag};

    #[test]
    fn a_change_reads_back_as_itself_and_an_unknown_one_as_everything() {
        for change in [
            Change::Methods { shopper_id: 42 },
            Change::EventsQueued,
            Change::Pages { shopper_id: 7 },
            Change::Fence { token: u64::MAX },
            Change::Session {
                tag: SessionTag::of("a key"),
                fence: Fence { id: 7, from: 9 },
            },
            Change::Applied { fence: 7, by: 3 },
            Change::Everything,
        ] {
            assert_eq!(Change::decode(&change.encode()), change);
        }
        assert_eq!(Change::decode("methods:x"), Change::Everything);
        assert_eq!(Change::decode("orders:7"), Change::Everything);
        assert_eq!(Change::decode("pages:"), Change::Everything);
        assert_eq!(Change::decode("session:abc:1:2"), Change::Everything);
    }

    #[test]
    fn a_session_change_never_carries_the_key() {
        let change = Change::Session {
            tag: SessionTag::of("secret-session-key"),
            fence: Fence { id: 1, from: 2 },
        };
        assert!(!change.encode().contains("secret-session-key"));
    }
}
