//! The change feed between instances: `NOTIFY` on one channel, and in each instance one
//! connection that `LISTEN`s and hands what it hears to this process's subscribers. A cut
//! connection is opened again; since changes may have been missed meanwhile, subscribers are
//! then told to forget everything.

mod fence;
mod presence;

pub(super) use presence::Presence;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::broadcast;
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{AsyncMessage, Socket};

use super::Postgres;
use super::connect::Target;
use super::fence::Hearing;
use crate::storage::{Change, ChangeFeed};

/// The channel every instance listens on.
pub(super) const CHANNEL: &str = "voucherly_account_changes";

/// How long a cut listening connection waits before it is opened again.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

#[async_trait]
impl ChangeFeed for Postgres {
    async fn announce(&self, change: Change) -> anyhow::Result<()> {
        let client = self.client().await?;
        let notify = client.prepare_cached("SELECT pg_notify($1, $2)").await?;
        client
            .execute(&notify, &[&CHANNEL, &change.encode()])
            .await?;
        Ok(())
    }

    async fn announce_and_wait(&self, change: Change) -> anyhow::Result<()> {
        fence::announce_and_wait(self, change).await
    }

    fn changes(&self) -> broadcast::Receiver<Change> {
        let receiver = self.inner.changes.subscribe();
        self.listen_in_background();
        receiver
    }

    async fn caught_up(&self) {
        self.fence().await;
    }

    fn instance(&self) -> u64 {
        self.inner.presence.instance()
    }

    fn listening(&self) -> u64 {
        self.inner.presence.live()
    }
}

impl Postgres {
    /// Starts the listening connection, once.
    pub(super) fn listen_in_background(&self) {
        self.inner.listening.get_or_init(|| {
            let target = self.inner.target.clone();
            let sender = self.inner.changes.clone();
            let hearing = Arc::clone(&self.inner.hearing);
            let presence = Arc::clone(&self.inner.presence);
            tokio::spawn(listen(target, sender, hearing, presence));
        });
    }
}

/// Listens for as long as the process runs, opening the connection again when it is cut.
async fn listen(
    target: Target,
    sender: broadcast::Sender<Change>,
    hearing: Arc<Hearing>,
    presence: Arc<Presence>,
) {
    loop {
        let outcome = match target.tls.clone() {
            None => listen_once(&target, tokio_postgres::NoTls, &sender, &hearing, &presence).await,
            Some(tls) => listen_once(&target, tls, &sender, &hearing, &presence).await,
        };
        if let Err(error) = outcome {
            tracing::warn!(error = %error, "the PostgreSQL change feed was cut; listening again");
        }
        hearing.connected(false);
        presence.cut();
        let _ = sender.send(Change::Everything);
        tokio::time::sleep(RECONNECT_AFTER).await;
    }
}

/// One listening connection, until it ends.
async fn listen_once<T>(
    target: &Target,
    tls: T,
    sender: &broadcast::Sender<Change>,
    hearing: &Arc<Hearing>,
    presence: &Presence,
) -> anyhow::Result<()>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, mut connection) = target.config.connect(tls).await?;
    let heard = sender.clone();
    let listener = Arc::clone(hearing);
    let messages = tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(note))) => {
                    let change = Change::decode(note.payload());
                    listener.heard(change);
                    let _ = heard.send(change);
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(error),
                None => return Ok(()),
            }
        }
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    hearing.connected(true);
    presence.listening(&client).await?;
    let ended = messages.await?;
    drop(client);
    Ok(ended?)
}
