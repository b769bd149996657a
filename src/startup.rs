//! Building the application from its settings: database, Voucherly client, the embedded sandbox
//! when there is no API key (with the `demo` feature, wired in [`demo`]), and the HTTP server on
//! a listener it binds itself.

#[cfg(feature = "demo")]
mod demo;
mod engine;
mod metrics;
mod session_settings;
mod store;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::cookie::SameSite;
use actix_web::dev::Server;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use secrecy::ExposeSecret;

use crate::app::changes;
use crate::app::gateways::GatewayNames;
use crate::app::heartbeat::{CheckCache, Heartbeats};
use crate::app::housekeeping;
use crate::app::ledger::Ledger;
use crate::app::notifications::{self, Notifications};
use crate::app::orders::Orders;
use crate::app::payments::{self, Payments, Spool};
use crate::app::receipts::Receipts;
use crate::app::refunds::{self, Refunds};
use crate::app::saved_methods::{self, Caches, MethodLists, SavedMethods};
use crate::app::shoppers::Shoppers;
use crate::app::upstream_cache::Policy;
use crate::app::wallets::Wallets;
use crate::domain::{Clock, SystemClock};
use crate::routes::api::StoreKey;
use crate::routes::health::Readiness;
use crate::routes::metrics::{Backlogs, MetricsAccess};
use crate::session::{self, SessionConfig, StoredSessions, Swept};
use crate::settings::{Settings, VOUCHERLY_LIVE_URL};
use crate::state::AppState;
use crate::voucherly::VoucherlyClient;
use crate::web::limits::Limiter;
use crate::web::{
    CheckedReturnUrls, Feed, RequestSpan, Site, catch_faults, error_pages, mark_request,
    partition_session_cookie, same_origin_posts, security_headers,
};

use crate::routes;

/// Where Voucherly's hosted checkout lives: the pay form's redirect goes there.
const VOUCHERLY_CHECKOUT_ORIGIN: &str = "https://checkout.voucherly.it";

/// The shortest store API key or webhook secret accepted.
const MIN_SECRET_CHARS: usize = 32;

/// Routes added to every worker's app beyond the core's (the sandbox's and the demo's).
type Routes = Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>;

pub struct Application {
    port: u16,
    public_url: String,
    server: Server,
    state: web::Data<AppState>,
    payments: web::Data<Payments>,
    refunds: web::Data<Refunds>,
    clock: Arc<dyn Clock>,
    notifications: Arc<Notifications>,
    reconciler: payments::Policy,
    notify_every: std::time::Duration,
    session_max_age: i64,
    metrics: Option<(Server, u16)>,
}

impl Application {
    /// Reads like a table of contents: check the settings, open the database, bind, choose
    /// Voucherly, seed what demo mode needs, then serve.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        check_settings(&settings)?;
        settings.check_live_public_url()?;
        let engine = engine::Engine::open(&settings).await?;
        let storage = Arc::clone(&engine.storage);
        let session_key = session_settings::session_key(&settings, storage.as_ref()).await?;
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

        let voucherly = voucherly_client(&settings, loopback)?;
        let embedded_sandbox = settings.uses_embedded_sandbox();
        let environment = settings.environment_name();
        let demo = settings.demo_enabled();
        #[cfg(feature = "demo")]
        let extra_routes = demo::prepare(&settings, &engine, &public_url, environment).await?;
        #[cfg(not(feature = "demo"))]
        let extra_routes: Routes = Arc::new(|_: &mut web::ServiceConfig| {});

        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let caches = Caches {
            lists: MethodLists::new(cache_policy(&settings)),
            gateways: GatewayNames::new(cache_policy(&settings)),
            wallets: Wallets::new(cache_policy(&settings)),
            key: Arc::default(),
        };
        // Other instances' changes reach this one's caches.
        changes::spawn(storage.as_ref(), caches.clone());
        let saved_methods = web::Data::new(SavedMethods::new(
            voucherly.clone(),
            caches.clone(),
            saved_methods::Stores {
                methods: storage.clone(),
                pages: storage.clone(),
                shoppers: storage.clone(),
                feed: storage.clone(),
            },
            Arc::clone(&clock),
            environment,
            public_url.clone(),
        ));
        let spool = Arc::new(Spool::at(&settings.callback_spool_path()));
        let payments = web::Data::new(Payments::new(payments::Dependencies {
            store: storage.clone(),
            inbox: storage.clone(),
            shoppers: storage.clone(),
            orders: storage.clone(),
            voucherly: voucherly.clone(),
            clock: Arc::clone(&clock),
            config: settings.payments_config(),
            environment,
            public_url: public_url.clone(),
            spool: Arc::clone(&spool),
        }));
        let state = web::Data::new(AppState {
            storage: Arc::clone(&storage),
            voucherly,
            environment,
            embedded_sandbox,
            demo,
            public_url: public_url.clone(),
            store: store::store_config(&settings, storage.as_ref(), &public_url, demo).await?,
            payments: settings.payments_config(),
            trusted_proxies: settings.trusted_proxies.clone(),
            heartbeats: Heartbeats::default(),
            voucherly_key: caches.key,
        });
        let notifications = Arc::new(Notifications::new(
            storage.clone(),
            notifications::client()?,
            state.store.webhook.clone(),
            Arc::clone(&clock),
        ));
        let session = session_settings::session_config(&settings, &public_url, session_key)?;
        let session_max_age = session.lifetimes.max_age;
        let session_clock = Arc::new(settings.session_clock.clone());
        let sessions = session.store(storage.clone(), storage.clone(), session_clock);
        let backlogs = web::Data::new(Backlogs {
            sessions: sessions.clone(),
            health: storage.clone(),
            spool,
            callback_inbox_cap: state.payments.callback_inbox_cap,
            clock: Arc::clone(&clock),
        });
        let services = Services::new(&state, saved_methods, payments.clone());
        let refunds = services.refunds.clone();
        let server = serve(
            listener,
            state.clone(),
            services,
            extra_routes,
            (session, sessions),
            (
                metrics::enabled(&settings),
                metrics::on_main_address(&settings),
                backlogs.clone(),
            ),
            usize::try_from(settings.blocking_threads).unwrap_or(16),
        )?;

        let metrics = metrics::metrics_server(&settings, backlogs)?;
        Ok(Self {
            metrics,
            port: local.port(),
            public_url,
            server,
            state,
            payments,
            refunds,
            clock,
            notifications,
            reconciler: settings.reconciler_policy(),
            notify_every: std::time::Duration::from_secs(settings.notify_every),
            session_max_age,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the separate metrics address, when `--metrics-bind` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(_, port)| *port)
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!(
            sandbox = self.state.embedded_sandbox,
            "voucherly-account is ready: open {}/ in a browser",
            self.public_url
        );
        #[cfg(feature = "demo")]
        demo::announce(&self.state);
        let state = self.state.clone();
        tokio::spawn(async move {
            let sandbox = state.embedded_sandbox;
            crate::app::voucherly_key::watch(&state.voucherly, &state.voucherly_key, sandbox).await
        });
        let heartbeat = self
            .state
            .heartbeats
            .register("reconciler", self.reconciler.every);
        let payments = self.payments.get_ref().clone();
        payments::reconciler::spawn(payments.clone(), heartbeat, self.reconciler);
        payments::inbox::spawn(payments, self.reconciler.give_up_after);
        refunds::worker::spawn(self.refunds.get_ref().clone());
        let storage = &self.state.storage;
        housekeeping::spawn(storage.clone(), housekeeping::EVERY);
        notifications::worker::spawn(
            self.notifications,
            &self.state.heartbeats,
            self.notify_every,
        );
        let swept = Swept {
            sessions: storage.clone(),
            counters: storage.clone(),
            clock: self.clock,
        };
        session::spawn_sweeper(swept, self.session_max_age, &self.state.heartbeats);
        if let Some((metrics, _)) = self.metrics {
            tokio::spawn(metrics);
        }
        self.server.await
    }
}

/// Refuses settings that would run but be unsafe or self-contradictory.
fn check_settings(settings: &Settings) -> anyhow::Result<()> {
    #[cfg(not(feature = "demo"))]
    if settings.voucherly_api_key.is_none() {
        anyhow::bail!(
            "VOUCHERLY_API_KEY is not set: this build has no embedded sandbox to stand in for \
             Voucherly (it was built without the `demo` feature), so it needs your Voucherly \
             secret API key (and VOUCHERLY_ENVIRONMENT=sandbox for a Voucherly sandbox key)"
        );
    }
    #[cfg(not(feature = "demo"))]
    if settings.demo == Some(true) {
        anyhow::bail!(
            "VOUCHERLY_ACCOUNT_DEMO is on, but this build has no demo (it was built without the \
             `demo` feature): leave it unset, or run a build with the feature"
        );
    }
    if settings.demo_enabled() && settings.environment_name() == "live" {
        anyhow::bail!("the demo sign-in cannot be turned on with the live Voucherly environment");
    }
    if !settings.frame_ancestors.is_empty() && !settings.secure_cookies {
        anyhow::bail!(
            "frame ancestors are set but secure cookies are off: a session cookie inside a \
             store's iframe must be `SameSite=None; Secure`, so turn secure cookies back on \
             (and serve the app over HTTPS) or leave VOUCHERLY_ACCOUNT_FRAME_ANCESTORS unset"
        );
    }
    for (secret, name) in [
        (&settings.store_api_key, "VOUCHERLY_ACCOUNT_STORE_API_KEY"),
        (
            &settings.store_webhook_secret,
            "VOUCHERLY_ACCOUNT_STORE_WEBHOOK_SECRET",
        ),
    ] {
        if let Some(secret) = secret
            && secret.expose_secret().trim().chars().count() < MIN_SECRET_CHARS
        {
            anyhow::bail!(
                "{name} is too short: use at least {MIN_SECRET_CHARS} random characters \
                 (for example `openssl rand -hex 32`)"
            );
        }
    }
    Ok(())
}

/// The Voucherly client: the real API with a key, else the embedded sandbox on this process
/// (`loopback`), in a build that has it.
#[cfg_attr(not(feature = "demo"), allow(unused_variables))]
fn voucherly_client(settings: &Settings, loopback: SocketAddr) -> anyhow::Result<VoucherlyClient> {
    let (base_url, api_key) = match &settings.voucherly_api_key {
        Some(key) => (
            settings
                .voucherly_base_url
                .clone()
                .unwrap_or_else(|| VOUCHERLY_LIVE_URL.to_owned()),
            key.clone(),
        ),
        #[cfg(feature = "demo")]
        None => demo::sandbox_client(loopback),
        #[cfg(not(feature = "demo"))]
        None => anyhow::bail!("a Voucherly API key is needed: there is no embedded sandbox"),
    };
    let (connect_timeout, timeout) = settings.voucherly_timeouts();
    VoucherlyClient::new(&base_url, api_key, connect_timeout, timeout)
}

/// The HTTP server on `listener`. Middleware, innermost first: an unreadable session answered
/// with an error page, and a write waited for until the caches reflect it; sessions; failures outside
/// handlers turned into pages; cross-site forms refused; error pages; cookies kept off what
/// needs no session; partitioned cookies when framed (these around the shopper's pages only: the
/// known static files and the store API, whose own layers answer JSON, need none of them); then,
/// around everything, security headers and the request log (which routes `HEAD` as `GET`, and
/// leaves the static files, which log nothing, without a span).
fn serve(
    listener: TcpListener,
    state: web::Data<AppState>,
    services: Services,
    extra_routes: Routes,
    (session, sessions): (SessionConfig, StoredSessions),
    (metrics_on, metrics_access, backlogs): (bool, Option<MetricsAccess>, web::Data<Backlogs>),
    blocking_threads: usize,
) -> anyhow::Result<Server> {
    let https = session.https;
    let csrf = web::Data::new(session.csrf()?);
    let site = web::Data::new(Site {
        public_url: state.public_url.clone(),
        sandbox: state.environment != "live",
        store_origins: state.store.origins.clone(),
        trusted_proxies: state.trusted_proxies.clone(),
        checked_return_urls: CheckedReturnUrls::default(),
    });
    let readiness = web::Data::new(Readiness {
        health: state.storage.clone(),
        voucherly: state.voucherly.clone(),
        voucherly_check: CheckCache::default(),
        heartbeats: state.heartbeats.clone(),
    });
    let feed = web::Data::new(Feed(state.storage.clone()));
    let server = HttpServer::new(move || {
        let extra_routes = Arc::clone(&extra_routes);
        App::new()
            .wrap(security_headers(
                https,
                &state.store.frame_ancestors,
                &form_targets(&state),
            ))
            .wrap(RequestSpan {
                spanless: routes::asks_for_known_file,
            })
            // Counting every request costs a little: only when someone reads the counts.
            .wrap(Condition::new(metrics_on, from_fn(crate::metrics::track)))
            .app_data(state.clone())
            .app_data(feed.clone())
            .app_data(services.saved_methods.clone())
            .app_data(services.payments.clone())
            .app_data(services.refunds.clone())
            .app_data(services.orders.clone())
            .app_data(services.shoppers.clone())
            .app_data(services.receipts.clone())
            .app_data(services.ledger.clone())
            .app_data(services.limiter.clone())
            .app_data(services.store_key.clone())
            .app_data(site.clone())
            .app_data(readiness.clone())
            .app_data(backlogs.clone())
            .app_data(csrf.clone())
            .app_data(web::FormConfig::default().limit(16 * 1024))
            .app_data(web::JsonConfig::default().limit(64 * 1024))
            // First and outside the layers below: the static files need none of them.
            .service(routes::static_files())
            // The store API: JSON for a server, with no shopper's session.
            .configure(routes::api_routes)
            .service(
                web::scope("")
                    // Innermost: marks the request for the fault pages, and once the handler
                    // has written, waits for the caches to reflect it before anything answers.
                    .wrap(from_fn(mark_request))
                    .wrap(session.middleware(sessions.clone()))
                    .wrap(from_fn(catch_faults))
                    .wrap(from_fn(same_origin_posts))
                    .wrap(error_pages())
                    .wrap(from_fn(session::guard_sessions))
                    .wrap(Condition::new(
                        session.same_site == SameSite::None,
                        from_fn(partition_session_cookie),
                    ))
                    .configure(|cfg| {
                        // First, so that the demo's start page answers `/` before the core's.
                        extra_routes(cfg);
                        routes::configure(cfg);
                        if let Some(access) = metrics_access.clone() {
                            routes::metrics::configure(cfg, access);
                        }
                    })
                    .default_service(web::to(|| async { HttpResponse::NotFound().finish() })),
            )
    })
    // Each HTTP worker has a runtime of its own, whose blocking pool (where SQLite's queries
    // run) would otherwise grow to 512 / cores threads.
    .worker_max_blocking_threads(blocking_threads)
    .listen(listener)?
    .run();
    Ok(server)
}

/// The application's services, each handed to the handlers that take it.
#[derive(Clone)]
struct Services {
    saved_methods: web::Data<SavedMethods>,
    payments: web::Data<Payments>,
    refunds: web::Data<Refunds>,
    orders: web::Data<Orders>,
    shoppers: web::Data<Shoppers>,
    receipts: web::Data<Receipts>,
    ledger: web::Data<Ledger>,
    limiter: web::Data<Limiter>,
    store_key: web::Data<StoreKey>,
}

impl Services {
    /// With the store API's and the sign-in's services, on the state's storage.
    fn new(
        state: &AppState,
        saved_methods: web::Data<SavedMethods>,
        payments: web::Data<Payments>,
    ) -> Self {
        let shoppers = Arc::new(Shoppers::new(
            state.storage.clone(),
            state.storage.clone(),
            state.storage.clone(),
            Arc::new(SystemClock),
            state.store.handover_ttl,
        ));
        let orders = Orders::new(state.storage.clone(), Arc::clone(&shoppers));
        let storage = &state.storage;
        let receipts = Receipts::new(
            storage.clone(),
            storage.clone(),
            storage.clone(),
            state.voucherly.clone(),
        );
        let ledger = Ledger::new(storage.clone(), state.voucherly.clone(), state.environment);
        let limiter = Limiter::new(
            storage.clone(),
            Arc::new(SystemClock),
            state.trusted_proxies.clone(),
        );
        let refunds = Refunds::new(
            storage.clone(),
            storage.clone(),
            state.voucherly.clone(),
            Arc::new(SystemClock),
        );
        Self {
            saved_methods,
            payments,
            refunds: web::Data::new(refunds),
            orders: web::Data::new(orders),
            shoppers: web::Data::from(shoppers),
            receipts: web::Data::new(receipts),
            ledger: web::Data::new(ledger),
            limiter: web::Data::new(limiter),
            store_key: web::Data::new(StoreKey::new(state.store.api_key.as_ref())),
        }
    }
}

/// Where the app's forms may lead, beyond its own origin: the public URL (which may differ from
/// the address a browser used) and Voucherly's checkout, which the pay form redirects to.
fn form_targets(state: &AppState) -> Vec<String> {
    let mut targets = vec![state.public_url.clone()];
    if !state.embedded_sandbox {
        targets.push(VOUCHERLY_CHECKOUT_ORIGIN.to_owned());
    }
    targets
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
