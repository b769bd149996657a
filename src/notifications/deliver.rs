//! Posting due events to the store's webhook: for each order its oldest undelivered event, signed,
//! with the exact stored bytes. A 2xx answer delivers it; anything else schedules a retry with
//! backoff, forever, and holds back that order's later events (but no other order's).

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::Instrument;

use super::outbox::{self, Due};
use super::signature::sign;
use crate::state::AppState;
use crate::storage::Database;

/// The whole of one attempt, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// At most this many events are posted per run; the rest wait for the next run.
const BATCH: i64 = 100;
/// At most this many posts are in flight at once, so a slow store does not hold back the rest.
const CONCURRENCY: usize = 8;

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

/// The delivery worker's HTTP client: 10 s per attempt, no redirects followed.
#[derive(Clone)]
pub struct Deliverer {
    client: reqwest::Client,
}

impl Deliverer {
    pub fn new() -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("voucherly-account/", env!("CARGO_PKG_VERSION")))
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { client })
    }

    /// One run as of `now` (Unix seconds). Without a webhook, undelivered events are deleted.
    #[tracing::instrument(name = "notifications.deliver", skip_all)]
    pub async fn run(&self, state: &AppState, now: i64) -> anyhow::Result<Run> {
        let db = &state.db;
        let pruned = outbox::prune_delivered(db, now).await?;
        if pruned > 0 {
            tracing::info!(pruned, "old delivered events deleted");
        }
        let Some(webhook) = &state.store.webhook else {
            let dropped = outbox::drop_undelivered(db).await?;
            if dropped > 0 {
                tracing::info!(
                    dropped,
                    "no store webhook configured: events deleted unsent"
                );
            }
            return Ok(Run::default());
        };
        let due = outbox::due(db, now, BATCH).await?;
        let limit = Arc::new(Semaphore::new(CONCURRENCY));
        let mut posts = JoinSet::new();
        for event in due {
            let span = tracing::info_span!(
                "notifications.post",
                event_id = %event.event_id,
                kind = %event.kind,
                order = event.order_id,
            );
            let (this, db) = (self.clone(), db.clone());
            let (url, secret, limit) = (webhook.url.clone(), webhook.secret.clone(), limit.clone());
            posts.spawn(
                async move {
                    let _permit = limit.acquire_owned().await?;
                    this.deliver(&db, &url, &secret, &event, now).await
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

    /// Posts one event and records the outcome; `true` when the store took it.
    async fn deliver(
        &self,
        db: &Database,
        url: &str,
        secret: &SecretString,
        event: &Due,
        now: i64,
    ) -> anyhow::Result<bool> {
        match self.post(url, secret, event, now).await {
            Ok(()) => {
                outbox::mark_delivered(db, event.id, now).await?;
                tracing::info!(
                    attempts = event.attempts + 1,
                    "event delivered to the store"
                );
                Ok(true)
            }
            Err(error) => {
                let retry_in = outbox::mark_failed(db, event, now, &error).await?;
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
        &self,
        url: &str,
        secret: &SecretString,
        event: &Due,
        now: i64,
    ) -> Result<(), String> {
        let body = event.payload.clone().into_bytes();
        let signature = sign(secret.expose_secret().as_bytes(), now, &body);
        let response = self
            .client
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
}

/// One run with a fresh client, as of `now` (Unix seconds); returns how many events it posted.
pub async fn deliver_once(state: &AppState, now: i64) -> anyhow::Result<usize> {
    Ok(Deliverer::new()?.run(state, now).await?.attempted)
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
