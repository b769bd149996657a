//! Posting due events to the store's webhook: for each order its oldest undelivered event,
//! leased, signed, with the exact stored bytes. A 2xx answer delivers it; anything else schedules a retry with
//! backoff, forever, and holds back that order's later events (but no other order's).

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::Instrument;

use super::signature::sign;
use super::{Notifications, retry};
use crate::storage::{DueEvent, OutboxStore};

/// The whole of one attempt, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// At most this many events are posted per run; the rest wait for the next run.
const BATCH: i64 = 100;
/// At most this many posts are in flight at once, so a slow store does not hold back the rest.
const CONCURRENCY: usize = 8;
/// How long a run holds the events it posts, in seconds: no other run (of this instance or
/// another) posts them meanwhile; if this one dies, they are due again after it.
const LEASE: i64 = 60;

/// The headers a store reads.
pub const EVENT_ID_HEADER: &str = "Voucherly-Account-Event-Id";
pub const EVENT_TYPE_HEADER: &str = "Voucherly-Account-Event-Type";
pub const SIGNATURE_HEADER: &str = "Voucherly-Account-Signature";

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Run {
    /// Events posted, whatever the answer.
    pub attempted: usize,
    /// Of those, the ones the store took (2xx).
    pub delivered: usize,
}

/// The delivery's HTTP client: 10 s per attempt, no redirects followed.
pub fn client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(concat!("voucherly-account/", env!("CARGO_PKG_VERSION")))
        .timeout(TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

impl Notifications {
    /// One run as of `now` (Unix seconds). Without a webhook, undelivered events are deleted.
    #[tracing::instrument(name = "notifications.deliver", skip_all)]
    pub async fn run_at(&self, now: i64) -> anyhow::Result<Run> {
        let pruned = retry::prune_delivered(self.outbox.as_ref(), now).await?;
        if pruned > 0 {
            tracing::info!(pruned, "old delivered events deleted");
        }
        let Some(webhook) = &self.webhook else {
            let dropped = self.outbox.drop_undelivered_events().await?;
            if dropped > 0 {
                tracing::info!(
                    dropped,
                    "no store webhook configured: events deleted unsent"
                );
            }
            return Ok(Run::default());
        };
        let due = self.outbox.lease_due_events(now, BATCH, LEASE).await?;
        let limit = Arc::new(Semaphore::new(CONCURRENCY));
        let mut posts = JoinSet::new();
        for event in due {
            let span = tracing::info_span!(
                "notifications.post",
                event_id = %event.event_id,
                kind = %event.kind,
                order = event.order_id,
            );
            let (outbox, client) = (Arc::clone(&self.outbox), self.client.clone());
            let (url, secret, limit) = (webhook.url.clone(), webhook.secret.clone(), limit.clone());
            posts.spawn(
                async move {
                    let _permit = limit.acquire_owned().await?;
                    deliver(outbox.as_ref(), &client, &url, &secret, &event, now).await
                }
                .instrument(span),
            );
        }
        let mut run = Run::default();
        while let Some(joined) = posts.join_next().await {
            run.attempted += 1;
            match joined {
                Ok(Ok(true)) => run.delivered += 1,
                Ok(Ok(false)) => {}
                Ok(Err(error)) => tracing::error!(error = ?error, "could not record a delivery"),
                Err(error) => tracing::error!(%error, "a delivery task failed"),
            }
        }
        Ok(run)
    }
}

/// Posts one event and records the outcome; `true` when the store took it.
async fn deliver(
    outbox: &dyn OutboxStore,
    client: &reqwest::Client,
    url: &str,
    secret: &SecretString,
    event: &DueEvent,
    now: i64,
) -> anyhow::Result<bool> {
    match post(client, url, secret, event, now).await {
        Ok(()) => {
            outbox
                .mark_event_delivered(event.event_id.clone(), now)
                .await?;
            tracing::info!(
                attempts = event.attempts + 1,
                "event delivered to the store"
            );
            Ok(true)
        }
        Err(error) => {
            let retry_in = retry::mark_failed(outbox, event, now, &error).await?;
            tracing::warn!(
                %error,
                attempts = event.attempts + 1,
                retry_in,
                "could not deliver an event to the store"
            );
            Ok(false)
        }
    }
}

/// The POST itself; the error is short and safe to store and log (no URL, no secret).
async fn post(
    client: &reqwest::Client,
    url: &str,
    secret: &SecretString,
    event: &DueEvent,
    now: i64,
) -> Result<(), String> {
    let body = event.payload.clone().into_bytes();
    let signature = sign(secret.expose_secret().as_bytes(), now, &body);
    let response = client
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .header(EVENT_ID_HEADER, &event.event_id)
        .header(EVENT_TYPE_HEADER, &event.kind)
        .header(SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(describe)?;
    let status = response.status();
    match status.as_u16() {
        200..=299 => Ok(()),
        300..=399 => Err(format!(
            "HTTP {} (redirects are not followed)",
            status.as_u16()
        )),
        code => Err(format!("HTTP {code}")),
    }
}

/// What went wrong, without the URL (it may carry a token) and in one short line.
fn describe(error: reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_builder() {
        return "the webhook URL is not usable".to_owned();
    } else {
        "request failed"
    };
    let error = error.without_url();
    let mut cause: &dyn std::error::Error = &error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    let detail: String = cause.to_string().chars().take(120).collect();
    format!("{kind}: {detail}")
}
