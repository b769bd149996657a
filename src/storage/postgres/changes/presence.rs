//! Which instances listen: each names its listening connection after itself
//! (`application_name`), once its `LISTEN` is in place, so an instance that waits for the others
//! to apply a change finds them in `pg_stat_activity` and knows each will hear it.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio_postgres::Client;

/// What every listening connection's name starts with.
const PREFIX: &str = "voucherly_account_listener ";

/// This instance on the feed: its number, and the number of its live listening connection.
pub struct Presence {
    instance: u64,
    live: AtomicU64,
    started: AtomicU64,
}

impl Presence {
    pub fn new() -> anyhow::Result<Self> {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        Ok(Self {
            // Never 0: that is the number of a feed with one instance.
            instance: u64::from_le_bytes(bytes).max(1),
            live: AtomicU64::new(0),
            started: AtomicU64::new(0),
        })
    }

    pub fn instance(&self) -> u64 {
        self.instance
    }

    pub fn live(&self) -> u64 {
        self.live.load(Ordering::SeqCst)
    }

    /// Called once `client` listens: names it, then counts it as live.
    pub async fn listening(&self, client: &Client) -> anyhow::Result<()> {
        let name = format!("{PREFIX}{}", self.instance);
        client
            .batch_execute(&format!("SET application_name = '{name}'"))
            .await?;
        let number = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        self.live.store(number, Ordering::SeqCst);
        Ok(())
    }

    /// Called when the listening connection is cut, before anyone is told.
    pub fn cut(&self) {
        self.live.store(0, Ordering::SeqCst);
    }

    /// The other instances listening on this database now.
    pub async fn others(&self, client: &Client) -> anyhow::Result<Vec<u64>> {
        let rows = client
            .query(
                "SELECT application_name FROM pg_stat_activity
                  WHERE datname = current_database() AND starts_with(application_name, $1)",
                &[&PREFIX],
            )
            .await?;
        Ok(rows
            .iter()
            .filter_map(|row| row.get::<_, &str>(0).strip_prefix(PREFIX)?.parse().ok())
            .filter(|instance| *instance != self.instance)
            .collect())
    }
}
