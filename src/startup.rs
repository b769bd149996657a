//! Building the application from its settings: database, Voucherly client, the embedded sandbox
//! when there is no API key, and the HTTP server on a listener it binds itself.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, TtlExtensionPolicy};
use actix_web::cookie::{Key, SameSite, time::Duration};
use actix_web::dev::Server;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use tracing_actix_web::TracingLogger;

use crate::gateways::GatewayNames;
use crate::sandbox::{self, Sandbox};
use crate::saved_methods::SavedMethods;
use crate::session::{COOKIE_NAME, SqliteSessionStore};
use crate::settings::{Settings, VOUCHERLY_LIVE_URL};
use crate::state::AppState;
use crate::storage::{Database, maintenance};
use crate::store::StoreConfig;
use crate::upstream_cache::Policy;
use crate::voucherly::{VoucherlyClient, VoucherlyError};
use crate::web::{RequestSpan, error_pages, partition_session_cookie, security_headers};
use crate::{demo, notifications, payments, routes};

pub struct Application {
    port: u16,
    public_url: String,
    server: Server,
    state: web::Data<AppState>,
    reconciler: payments::Policy,
    notify_every: std::time::Duration,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        settings.check_live_public_url()?;
        let demo = settings.demo_enabled();
        if demo && settings.environment_name() == "live" {
            anyhow::bail!(
                "the demo sign-in cannot be turned on with the live Voucherly environment"
            );
        }
        if !settings.frame_ancestors.is_empty() && !settings.secure_cookies {
            anyhow::bail!(
                "frame ancestors are set but secure cookies are off: a session cookie inside a \
                 store's iframe must be `SameSite=None; Secure`, so turn secure cookies back on \
                 (and serve the app over HTTPS) or leave VOUCHERLY_ACCOUNT_FRAME_ANCESTORS unset"
            );
        }
        let db = Database::open(&settings.database)?;
        let session_key = session_key(&settings, &db).await?;
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("could not listen on {}", settings.bind))?;
        let local = listener.local_addr()?;
        let loopback = SocketAddr::new(reachable_ip(local.ip()), local.port());
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{loopback}"))
            .trim_end_matches('/')
            .to_owned();

        let embedded_sandbox = settings.uses_embedded_sandbox();
        let (base_url, api_key) = match &settings.voucherly_api_key {
            Some(key) => (
                settings
                    .voucherly_base_url
                    .clone()
                    .unwrap_or_else(|| VOUCHERLY_LIVE_URL.to_owned()),
                key.clone(),
            ),
            None => (
                format!("http://{loopback}/sandbox/"),
                SecretString::from(sandbox::API_KEY),
            ),
        };
        let (connect_timeout, timeout) = settings.voucherly_timeouts();
        let voucherly = VoucherlyClient::new(&base_url, api_key, connect_timeout, timeout)?;
        let environment = settings.environment_name();

        let sandbox = if embedded_sandbox {
            let timings = sandbox::Timings {
                callback_retry_wait: std::time::Duration::from_millis(
                    settings.sandbox_callback_retry_ms,
                ),
                authorisation: std::time::Duration::from_secs(
                    settings.sandbox_authorisation_seconds,
                ),
                ..sandbox::Timings::default()
            };
            let sandbox = Sandbox::new(db.clone())?
                .with_public_url(&public_url)
                .with_timings(timings);
            sandbox.seed().await.context("could not seed the sandbox")?;
            Some(sandbox)
        } else {
            None
        };
        if demo {
            demo::seed(&db, environment)
                .await
                .context("could not create the demo shoppers")?;
        }

        let state = web::Data::new(AppState {
            db: db.clone(),
            voucherly,
            gateway_names: GatewayNames::new(cache_policy(&settings)),
            saved_methods: SavedMethods::new(cache_policy(&settings)),
            environment,
            embedded_sandbox,
            demo,
            public_url: public_url.clone(),
            store: StoreConfig::resolve(&settings, &db, &public_url, demo).await?,
            session_max_age: i64::try_from(settings.session_max_hours)? * 3600,
            payments: settings.payments_config(),
        });
        let https = public_url.starts_with("https://");
        let secure_cookies = settings.secure_cookies;
        // Inside a store's iframe the app is a third party: browsers send its cookie there only
        // when it is `SameSite=None` (and `Secure`, checked above).
        let same_site = if settings.frame_ancestors.is_empty() {
            SameSite::Lax
        } else {
            SameSite::None
        };
        // A session unused for this long ends on the server, whatever the cookie says.
        let idle_timeout = Duration::minutes(i64::try_from(settings.session_idle_minutes)?);
        let server_state = state.clone();
        let server = HttpServer::new(move || {
            let sessions = SessionMiddleware::builder(
                SqliteSessionStore::new(server_state.db.clone()),
                session_key.clone(),
            )
            .cookie_name(COOKIE_NAME.to_owned())
            .cookie_secure(secure_cookies)
            .cookie_http_only(true)
            .cookie_same_site(same_site)
            .session_lifecycle(
                BrowserSession::default()
                    .state_ttl(idle_timeout)
                    .state_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
            )
            .build();
            let sandbox = sandbox.clone();
            App::new()
                .wrap(error_pages())
                .wrap(sessions)
                .wrap(Condition::new(
                    same_site == SameSite::None,
                    from_fn(partition_session_cookie),
                ))
                .wrap(security_headers(https, &server_state.store.frame_ancestors))
                .wrap(TracingLogger::<RequestSpan>::new())
                .app_data(server_state.clone())
                .app_data(web::FormConfig::default().limit(16 * 1024))
                .app_data(web::JsonConfig::default().limit(64 * 1024))
                .configure(|cfg| {
                    if let Some(sandbox) = sandbox {
                        cfg.service(sandbox.scope());
                    }
                    routes::configure(cfg, demo);
                })
                .default_service(web::to(|| async { HttpResponse::NotFound().finish() }))
        })
        .listen(listener)?
        .run();

        Ok(Self {
            port: local.port(),
            public_url,
            server,
            state,
            reconciler: settings.reconciler_policy(),
            notify_every: std::time::Duration::from_secs(settings.notify_every),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!(
            sandbox = self.state.embedded_sandbox,
            "voucherly-account is ready: open {}/ in a browser",
            self.public_url
        );
        let state = self.state.clone();
        tokio::spawn(async move { check_voucherly(&state).await });
        payments::reconciler::spawn(self.state.clone(), self.reconciler);
        payments::inbox::spawn(self.state.clone(), self.reconciler.give_up_after);
        maintenance::spawn(self.state.db.clone(), maintenance::CHECKPOINT_EVERY);
        notifications::worker::spawn(self.state.clone(), self.notify_every);
        self.server.await
    }
}

/// Asks Voucherly for the gateways once, so a wrong key is reported at start-up rather than
/// when the first shopper arrives.
async fn check_voucherly(state: &AppState) {
    match state.voucherly.list_payment_gateways().await {
        Ok(gateways) => tracing::info!(gateways = gateways.len(), "Voucherly accepted the API key"),
        Err(VoucherlyError::Unauthorized) => tracing::error!(
            "Voucherly refused the API key: check VOUCHERLY_API_KEY and VOUCHERLY_ENVIRONMENT; \
             shoppers will see that payments are not available"
        ),
        Err(error) => tracing::warn!(%error, "could not reach Voucherly at start-up"),
    }
}

/// How long Voucherly's lists are kept and waited for.
fn cache_policy(settings: &Settings) -> Policy {
    let (fresh_for, patience) = settings.voucherly_cache();
    Policy {
        fresh_for,
        patience,
        ..Policy::default()
    }
}

/// An address this process can call itself on: a wildcard bind is reached through loopback.
fn reachable_ip(ip: IpAddr) -> IpAddr {
    if ip.is_unspecified() {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        ip
    }
}

/// The key signing session cookies: from the settings, else the one generated on first start
/// and kept in the database.
async fn session_key(settings: &Settings, db: &Database) -> anyhow::Result<Key> {
    let hex_key = match &settings.session_key {
        Some(key) => key.expose_secret().trim().to_owned(),
        None => stored_session_key(db).await?,
    };
    let bytes = hex::decode(&hex_key).context("the session key must be written in hex digits")?;
    Key::try_from(bytes.as_slice())
        .map_err(|_| anyhow::anyhow!("the session key must be at least 64 bytes (128 hex digits)"))
}

async fn stored_session_key(db: &Database) -> anyhow::Result<String> {
    let mut fresh = [0u8; 64];
    getrandom::fill(&mut fresh).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let fresh = hex::encode(fresh);
    db.run(move |conn| {
        conn.execute(
            "INSERT OR IGNORE INTO app_settings (name, value) VALUES ('session_key', ?1)",
            [fresh],
        )?;
        Ok(conn.query_row(
            "SELECT value FROM app_settings WHERE name = 'session_key'",
            [],
            |row| row.get(0),
        )?)
    })
    .await
}
