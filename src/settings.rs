//! Every setting, from built-in defaults, then environment variables, then command-line flags.
//! `voucherly-account --help` lists them all.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use secrecy::SecretString;

use crate::app::payments::Capture;

/// The real Voucherly API.
pub const VOUCHERLY_LIVE_URL: &str = "https://api.voucherly.it/";

/// The environment name customer ids of the embedded sandbox are stored under.
pub const EMBEDDED_ENVIRONMENT: &str = "embedded";

#[derive(Debug, Clone, Parser)]
#[command(
    name = "voucherly-account",
    version,
    about = "A shopper's \"My account → payment methods\" page for stores that take payments \
             through Voucherly. With no Voucherly API key it runs on an embedded sandbox."
)]
pub struct Settings {
    /// Something to do instead of serving (see `voucherly-account help`).
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address and port to listen on.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Where shoppers, orders, payments and sessions are kept: the path of an SQLite file (one
    /// instance; without an API key it also holds the sandbox's data), or a `postgres://` URL
    /// (any number of instances on one PostgreSQL database; add `?sslmode=require` for TLS).
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_DATABASE",
        default_value = "voucherly-account.db",
        value_parser = DatabaseLocation::parse,
        hide_env_values = true
    )]
    pub database: DatabaseLocation,

    /// With PostgreSQL: how many connections this instance opens at most.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_DATABASE_POOL_SIZE",
        default_value_t = 16,
        value_parser = clap::value_parser!(u64).range(1..=1000)
    )]
    pub database_pool_size: u64,

    /// How many threads at most run blocking work (SQLite queries, the callback spool, name
    /// lookups) per HTTP worker (one per core) and in the main runtime; more waits its turn.
    /// SQLite uses 8 connections at most (two per core), so 16 leaves a margin while keeping
    /// idle threads' stacks and malloc arenas from swelling memory under load.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_BLOCKING_THREADS",
        default_value_t = 16,
        value_parser = clap::value_parser!(u64).range(1..=512)
    )]
    pub blocking_threads: u64,

    /// Where a callback is written when the database refuses it, to be replayed once it takes
    /// writes again. Default: beside the SQLite file; with PostgreSQL,
    /// `voucherly-account-callbacks.spool` in the working folder (one per instance).
    #[arg(long, env = "VOUCHERLY_ACCOUNT_CALLBACK_SPOOL")]
    pub callback_spool: Option<PathBuf>,

    /// The embedded sandbox's own SQLite file, when the database is PostgreSQL (with SQLite it
    /// shares the app's file). Instances that share one sandbox share this file.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_SANDBOX_DATABASE",
        default_value = "voucherly-sandbox.db"
    )]
    pub sandbox_database: PathBuf,

    /// The address shoppers' browsers and Voucherly reach this app at, used in links and in
    /// the callback URL given to Voucherly. Defaults to http://<bind>.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Voucherly secret API key. Unset: the embedded sandbox is served under /sandbox/ and used.
    #[arg(long, env = "VOUCHERLY_API_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub voucherly_api_key: Option<SecretString>,

    /// Which Voucherly environment the key belongs to. Customer ids are stored per environment.
    #[arg(
        long,
        env = "VOUCHERLY_ENVIRONMENT",
        value_enum,
        default_value_t = VoucherlyEnvironment::Sandbox
    )]
    pub voucherly_environment: VoucherlyEnvironment,

    /// Base URL of the Voucherly API, for any Voucherly-compatible server. Defaults to
    /// https://api.voucherly.it/ with a key, and to the embedded sandbox without one.
    #[arg(long, env = "VOUCHERLY_BASE_URL")]
    pub voucherly_base_url: Option<String>,

    /// Seconds allowed to connect to Voucherly.
    #[arg(long, env = "VOUCHERLY_CONNECT_TIMEOUT", default_value_t = 3)]
    pub voucherly_connect_timeout: u64,

    /// Seconds allowed for a whole call to Voucherly.
    #[arg(long, env = "VOUCHERLY_TIMEOUT", default_value_t = 10)]
    pub voucherly_timeout: u64,

    /// Key signing and encrypting session cookies: at least 64 bytes, written as 128 or more hex
    /// digits. Unset: one is generated once and kept in the database.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_SESSION_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub session_key: Option<SecretString>,

    /// Offer a demo sign-in page listing demo shoppers. Default: on with the embedded sandbox,
    /// off otherwise. Refused with the live environment, and by a build without the `demo`
    /// feature.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_DEMO", action = clap::ArgAction::Set)]
    pub demo: Option<bool>,

    /// Mark cookies `Secure` (sent over HTTPS only; browsers also accept them on localhost). Turn
    /// off only to serve plain HTTP on a host other than localhost, never in production.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_SECURE_COOKIES",
        default_value_t = true,
        action = clap::ArgAction::Set
    )]
    pub secure_cookies: bool,

    /// Bearer token the store's server uses on the store API (`/api/v1/`). Unset: in demo mode
    /// one is generated and kept in the database (the demo store shows it); otherwise the store
    /// API refuses every call.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_STORE_API_KEY", hide_env_values = true, value_parser = parse_secret)]
    pub store_api_key: Option<SecretString>,

    /// The store's origins (`https://shop.example`), comma-separated: a hand-over's return URL
    /// must be on one of them.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_STORE_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub store_origins: Vec<String>,

    /// Origins allowed to show these pages in an iframe, comma-separated. Default: none, no
    /// framing at all.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_FRAME_ANCESTORS", value_delimiter = ',', value_parser = parse_origin)]
    pub frame_ancestors: Vec<String>,

    /// URL the app posts order events to (paid, payment failed, refunded). Unset: no
    /// notifications (in demo mode: the demo store's own receiver).
    #[arg(long, env = "VOUCHERLY_ACCOUNT_STORE_WEBHOOK_URL")]
    pub store_webhook_url: Option<String>,

    /// Secret the events are signed with (HMAC-SHA256). Required with a webhook URL; in demo
    /// mode generated when unset.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_STORE_WEBHOOK_SECRET", hide_env_values = true, value_parser = parse_secret)]
    pub store_webhook_secret: Option<SecretString>,

    /// Seconds a hand-over link stays valid.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_HANDOVER_TTL",
        default_value_t = 300,
        value_parser = clap::value_parser!(u64).range(10..=3600)
    )]
    pub handover_ttl: u64,

    /// Minutes a session may go unused before it ends.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_SESSION_IDLE_MINUTES",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=24 * 60)
    )]
    pub session_idle_minutes: u64,

    /// Hours after signing in when a session ends, however busy.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_SESSION_MAX_HOURS",
        default_value_t = 12,
        value_parser = clap::value_parser!(u64).range(1..=24 * 30)
    )]
    pub session_max_hours: u64,

    /// Seconds between two runs of the reconciler, which re-reads from Voucherly the payments
    /// still unsettled (a lost callback, a tab closed at checkout).
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_RECONCILE_EVERY",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub reconcile_every: u64,

    /// Hours after which a payment still unsettled at Voucherly is given up as abandoned.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_PAYMENT_GIVE_UP_HOURS",
        default_value_t = 24,
        value_parser = clap::value_parser!(u64).range(1..=24 * 365)
    )]
    pub payment_give_up_hours: u64,

    /// Seconds between two runs of the notification worker, which posts order events to the
    /// store's webhook (a new event is sent at once; failed ones are retried with backoff).
    /// 0: no background delivery, events wait in the outbox.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_NOTIFY_EVERY",
        default_value_t = 2,
        value_parser = clap::value_parser!(u64).range(0..=3600)
    )]
    pub notify_every: u64,

    // money: capture and unfinished payments.
    /// When card payments are captured: `at-payment` (default: `isAutoConfirm`, and a confirm
    /// retried until done) or `later` (the store captures or releases each order through
    /// the store API).
    #[arg(long, env = "VOUCHERLY_ACCOUNT_CAPTURE", value_enum, default_value_t = Capture::AtPayment)]
    pub capture: Capture,

    /// Seconds after which a payment record still waiting for Voucherly's answer to its
    /// creation is marked failed (unknown outcome), so its order can be paid again; at least
    /// the Voucherly timeout.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_CREATING_TIMEOUT",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..=24 * 3600)
    )]
    pub creating_timeout: u64,

    /// How many Voucherly callbacks wait in the inbox at most. Past that a callback is answered
    /// `ok` without being kept (counted in the metrics): the reconciler still re-reads every
    /// unsettled payment.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_CALLBACK_INBOX_CAP",
        default_value_t = 10_000,
        value_parser = clap::value_parser!(u64).range(1..=1_000_000)
    )]
    pub callback_inbox_cap: u64,
    // harden: database faults and client addresses
    /// Milliseconds a request waits for another writer holding the database before it gets a
    /// "busy, retry shortly" page (503 with Retry-After).
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_DATABASE_BUSY_TIMEOUT_MS",
        default_value_t = 5000,
        value_parser = clap::value_parser!(u64).range(1..=60_000)
    )]
    pub database_busy_timeout_ms: u64,

    /// Addresses of the reverse proxies in front of the app, comma-separated: only from these
    /// is `X-Forwarded-For` believed (for rate limits). None: the peer's address is the client's.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    // speed: caching Voucherly's lists.
    /// Seconds Voucherly's lists (each shopper's saved methods, the gateways) are kept before
    /// asking again; removing a method, paying and coming back from a checkout drop a shopper's
    /// list at once. 0: ask on every page (pages loading at the same time still share one call).
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_CACHE_SECONDS",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(0..=3600)
    )]
    pub cache_seconds: u64,

    /// Milliseconds a page waits for those lists before showing the last known ones, with their
    /// time (or a notice when there are none); the call goes on for the next page.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_VOUCHERLY_PATIENCE_MS",
        default_value_t = 2500,
        value_parser = clap::value_parser!(u64).range(100..=60_000)
    )]
    pub voucherly_patience_ms: u64,
    // newcomer: logs and metrics.
    /// How log lines are written: `text`, one readable line per event (coloured only on a
    /// terminal), or `json`, one JSON object per line for log collectors.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_LOG_FORMAT",
        value_enum,
        default_value_t = crate::telemetry::LogFormat::Text
    )]
    pub log_format: crate::telemetry::LogFormat,

    /// Bearer token that protects `/metrics` (Prometheus/OpenMetrics text). Unset, and without
    /// a metrics address, there are no metrics at all.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_METRICS_TOKEN", hide_env_values = true, value_parser = parse_secret)]
    pub metrics_token: Option<SecretString>,

    /// A separate address and port serving only `/metrics` (e.g. `127.0.0.1:9464`, reached by the
    /// monitoring network only); the token is still required there when one is set.
    #[arg(long, env = "VOUCHERLY_ACCOUNT_METRICS_BIND")]
    pub metrics_bind: Option<String>,

    /// The clock sessions end by: the machine's, which a test may move on (never set from
    /// outside the program).
    #[arg(skip)]
    pub session_clock: crate::domain::ShiftedClock,
    // twin: the embedded sandbox's clock (only used without a Voucherly API key).
    /// Milliseconds the embedded sandbox waits before trying a callback again when the app did
    /// not answer `{"ok": true}` (3 tries in all, then the payment is cancelled and refunded).
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_SANDBOX_CALLBACK_RETRY_MS",
        default_value_t = 2000,
        value_parser = clap::value_parser!(u64).range(0..=600_000)
    )]
    pub sandbox_callback_retry_ms: u64,

    /// Seconds an authorised (`Paid`) payment holds at the embedded sandbox before it expires
    /// unconfirmed and is cancelled (Voucherly: "usually 5 days").
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_SANDBOX_AUTHORISATION_SECONDS",
        default_value_t = 5 * 24 * 3600,
        value_parser = clap::value_parser!(u64).range(1..=30 * 24 * 3600)
    )]
    pub sandbox_authorisation_seconds: u64,

    /// Which of Voucherly's two API descriptions the embedded sandbox answers by where they
    /// disagree: `docs` (the documentation repository's, which wins) or `sdk` (the .NET SDK's
    /// copy): gateway `type` as integers or names, `length` on saved methods, refund `asCredit`
    /// or `refundMode`, `mode` required.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_SANDBOX_DIALECT",
        value_enum,
        default_value_t = SandboxDialect::Docs
    )]
    pub sandbox_dialect: SandboxDialect,

    /// The embedded sandbox refuses (400 `VALIDATION_ERROR`) any request field the current
    /// schema does not list, the legacy line shape that Voucherly's official SDKs still send
    /// included. Turn off to try an official SDK or plugin against it.
    #[arg(
        long,
        env = "VOUCHERLY_ACCOUNT_SANDBOX_STRICT",
        default_value_t = true,
        action = clap::ArgAction::Set
    )]
    pub sandbox_strict: bool,
}

/// See [`Settings::sandbox_dialect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxDialect {
    Docs,
    Sdk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VoucherlyEnvironment {
    Sandbox,
    Live,
}

impl Settings {
    /// Whether the app serves and uses its own embedded Voucherly sandbox.
    pub fn uses_embedded_sandbox(&self) -> bool {
        self.voucherly_api_key.is_none()
    }

    /// Whether the demo sign-in and demo shoppers are on (never in a build without the `demo`
    /// feature).
    pub fn demo_enabled(&self) -> bool {
        cfg!(feature = "demo") && self.demo.unwrap_or(self.uses_embedded_sandbox())
    }

    /// The name customer ids are stored under: each environment gives its own ids.
    pub fn environment_name(&self) -> &'static str {
        match (self.uses_embedded_sandbox(), self.voucherly_environment) {
            (true, _) => EMBEDDED_ENVIRONMENT,
            (false, VoucherlyEnvironment::Sandbox) => "sandbox",
            (false, VoucherlyEnvironment::Live) => "live",
        }
    }

    pub fn voucherly_timeouts(&self) -> (Duration, Duration) {
        (
            Duration::from_secs(self.voucherly_connect_timeout),
            Duration::from_secs(self.voucherly_timeout),
        )
    }

    /// How long Voucherly's lists are kept, and how long a page waits for them.
    pub fn voucherly_cache(&self) -> (Duration, Duration) {
        (
            Duration::from_secs(self.cache_seconds),
            Duration::from_millis(self.voucherly_patience_ms),
        )
    }

    /// How often the reconciler runs and when it gives up on a payment.
    pub fn reconciler_policy(&self) -> crate::app::payments::Policy {
        crate::app::payments::Policy {
            every: Duration::from_secs(self.reconcile_every),
            give_up_after: i64::try_from(self.payment_give_up_hours.saturating_mul(3600))
                .unwrap_or(i64::MAX),
            creating_timeout: self.payments_config().creating_timeout,
        }
    }

    /// Settings for a test or a tool: the defaults, with the given database and an ephemeral port.
    /// With a live key, Voucherly calls back only to an `https://` URL without a port: any other
    /// public URL would lose every callback, so the app refuses to start and says why.
    pub fn check_live_public_url(&self) -> anyhow::Result<()> {
        if self.environment_name() != "live" {
            return Ok(());
        }
        let Some(public_url) = &self.public_url else {
            anyhow::bail!(
                "VOUCHERLY_ACCOUNT_PUBLIC_URL must be set with a live Voucherly key: the https:// \
                 address (without a port) where shoppers and Voucherly reach this app"
            );
        };
        let url = reqwest::Url::parse(public_url.trim())
            .map_err(|e| anyhow::anyhow!("the public URL is not a URL: {e}"))?;
        anyhow::ensure!(
            url.scheme() == "https",
            "the public URL must start with https:// with a live Voucherly key: Voucherly calls \
             back only to HTTPS"
        );
        anyhow::ensure!(
            url.port().is_none(),
            "the public URL must not name a port with a live Voucherly key: Voucherly calls \
             back only to HTTPS on its default port"
        );
        Ok(())
    }

    pub fn payments_config(&self) -> crate::app::payments::PaymentsConfig {
        // Half the call timeout: the pay button still has time to create the payment.
        let earlier = Duration::from_millis(self.voucherly_timeout.saturating_mul(500).max(500));
        crate::app::payments::PaymentsConfig {
            capture: self.capture,
            earlier_checks_within: earlier,
            creating_timeout: i64::try_from(self.creating_timeout.max(self.voucherly_timeout))
                .unwrap_or(i64::MAX),
            first_check_after: i64::try_from(self.reconcile_every).unwrap_or(i64::MAX),
            callback_inbox_cap: i64::try_from(self.callback_inbox_cap).unwrap_or(i64::MAX),
        }
    }

    pub fn for_tests(database: PathBuf) -> Self {
        let mut settings = Self::parse_from(["voucherly-account"]);
        settings.bind = "127.0.0.1:0".into();
        settings.database = DatabaseLocation::Sqlite(database);
        settings
    }

    /// Where a callback is spooled when the database refuses it.
    pub fn callback_spool_path(&self) -> PathBuf {
        match (&self.callback_spool, &self.database) {
            (Some(path), _) => path.clone(),
            (None, DatabaseLocation::Sqlite(file)) => {
                let mut name = file.as_os_str().to_owned();
                name.push("-callbacks.spool");
                PathBuf::from(name)
            }
            (None, DatabaseLocation::Postgres(_)) => {
                PathBuf::from("voucherly-account-callbacks.spool")
            }
        }
    }
}

/// A one-off task instead of serving.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Copies a store's SQLite database (it may be in use by the running app) into an empty
    /// PostgreSQL database, checks that every table holds as many rows on both sides, prints
    /// the counts and stops. A database that holds anything is refused.
    CopyToPostgres {
        /// The SQLite file to copy.
        #[arg(long)]
        from: PathBuf,
        /// The empty PostgreSQL database, as a `postgres://` URL.
        #[arg(long, env = "VOUCHERLY_ACCOUNT_COPY_TO", hide_env_values = true, value_parser = parse_secret)]
        to: SecretString,
    },
}

/// Which database engine, and where: `--database`.
#[derive(Debug, Clone)]
pub enum DatabaseLocation {
    /// An SQLite file, created if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL database by URL (a secret: it may carry a password).
    Postgres(SecretString),
}

impl DatabaseLocation {
    /// A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else is a file path.
    fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("must not be empty".into());
        }
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Ok(Self::Postgres(SecretString::from(trimmed.to_owned())))
        } else {
            Ok(Self::Sqlite(PathBuf::from(text)))
        }
    }
}

/// An origin: scheme, host and optional port, nothing else (`https://shop.example:8443`).
fn parse_origin(text: &str) -> Result<String, String> {
    let url =
        reqwest::Url::parse(text.trim()).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    let is_bare = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty();
    if !is_bare {
        return Err(format!(
            "{text:?} is not an origin: write scheme and host only, e.g. https://shop.example"
        ));
    }
    Ok(url.origin().ascii_serialization())
}

fn parse_secret(text: &str) -> Result<SecretString, String> {
    if text.trim().is_empty() {
        return Err("must not be empty".into());
    }
    Ok(SecretString::from(text.to_owned()))
}
