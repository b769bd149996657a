//! Notifications to the store: order events queued with the change that caused them, posted
//! signed to the store's webhook (a wiremock server), retried until it answers 2xx, in order
//! per order, and still delivered after a restart. Delivery is driven one run at a time with
//! `notifications.deliver_once(now)`; the apps' own background worker is off unless a test wants it.

mod apply_edges;
mod delivery;
mod events;
mod paid_twice;

use hmac::{Hmac, Mac};
use secrecy::SecretString;
use serde_json::Value;
use sha2::Sha256;
use voucherly_account::app::notifications::Notifications;
use voucherly_account::settings::Settings;
use wiremock::{MockServer, Request};

use crate::callbacks::{reads_back, voucherly_payment};
use crate::helpers::{TestApp, spawn_with};

const SECRET: &str = "whsec_test_0123456789abcdefghijklmnop";

/// An app on a wiremock Voucherly, whose store listens on another wiremock server.
struct StoreSetup {
    app: TestApp,
    voucherly: MockServer,
    store: MockServer,
    /// For driving deliveries, with the same webhook as the app.
    notifications: Notifications,
}

impl StoreSetup {
    async fn start() -> Self {
        let voucherly = MockServer::start().await;
        let store = MockServer::start().await;
        let app = spawn_with(settings(&voucherly, &store, 0)).await;
        let notifications = app.notifications(Some((&hook_url(&store), SECRET))).await;
        Self {
            app,
            voucherly,
            store,
            notifications,
        }
    }

    /// Voucherly says payment `id` (reference `reference`) is `status`, once, and calls back.
    async fn voucherly_says(&self, id: &str, reference: &str, status: &str) {
        let _read = reads_back(id, voucherly_payment(id, reference, status), 1)
            .mount_as_scoped(&self.voucherly)
            .await;
        let response = self.app.post_callback(&serde_json::json!({"id": id})).await;
        assert_eq!(
            response.status().as_u16(),
            200,
            "callback for {id} {status}"
        );
    }

    /// The events the store received, in order, as JSON.
    async fn received(&self) -> Vec<Value> {
        received_events(&self.store).await
    }
}

/// The settings of an app talking to `voucherly`, posting events to `store`, with its own worker
/// running every `notify_every` seconds (0: off).
fn settings(
    voucherly: &MockServer,
    store: &MockServer,
    notify_every: u64,
) -> impl FnOnce(&mut Settings) + use<> {
    let (base_url, hook) = (voucherly.uri(), hook_url(store));
    move |settings| {
        settings.voucherly_api_key = Some(SecretString::from("sk_test_key"));
        settings.voucherly_base_url = Some(base_url);
        settings.voucherly_timeout = 2;
        settings.demo = Some(true);
        settings.store_webhook_url = Some(hook);
        settings.store_webhook_secret = Some(SecretString::from(SECRET));
        settings.notify_every = notify_every;
    }
}

fn hook_url(store: &MockServer) -> String {
    format!("{}/hooks", store.uri())
}

async fn received_events(store: &MockServer) -> Vec<Value> {
    let requests = store.received_requests().await.expect("requests recorded");
    requests
        .iter()
        .map(|request| serde_json::from_slice(&request.body).expect("a JSON event"))
        .collect()
}

fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("a {name} header"))
        .to_str()
        .expect("a readable header")
}

/// Checks the signature header the way a store would, from the raw body: HMAC-SHA256 of
/// `"<t>.<body>"` with the secret, in lowercase hex.
fn assert_signed(request: &Request) {
    let value = header(request, "Voucherly-Account-Signature");
    let (t, v1) = value
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .unwrap_or_else(|| panic!("t=…,v1=… in {value:?}"));
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("a key");
    mac.update(format!("{t}.").as_bytes());
    mac.update(&request.body);
    assert_eq!(v1, hex::encode(mac.finalize().into_bytes()));
    let t: i64 = t.parse().expect("a Unix time");
    assert!(voucherly_account::app::notifications::verify(
        SECRET.as_bytes(),
        value,
        &request.body,
        t + 60,
        300
    ));
    assert!(!voucherly_account::app::notifications::verify(
        b"whsec_wrong",
        value,
        &request.body,
        t,
        300
    ));
}

/// An outbox row as a test reads it back.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OutboxRow {
    kind: String,
    attempts: i64,
    next_attempt_at: i64,
    delivered_at: Option<i64>,
    last_error: Option<String>,
}

fn outbox(app: &TestApp) -> Vec<OutboxRow> {
    use crate::helpers::test_db::{FromVal, Val};
    app.db()
        .rows(
            "SELECT type, attempts, next_attempt_at, delivered_at, last_error
             FROM outbox_events ORDER BY id",
            &[],
        )
        .into_iter()
        .map(|row| {
            let [kind, attempts, next_attempt_at, delivered_at, last_error] =
                <[Val; 5]>::try_from(row).expect("five columns");
            OutboxRow {
                kind: FromVal::from_val(kind),
                attempts: FromVal::from_val(attempts),
                next_attempt_at: FromVal::from_val(next_attempt_at),
                delivered_at: FromVal::from_val(delivered_at),
                last_error: FromVal::from_val(last_error),
            }
        })
        .collect()
}

/// The types of the events queued so far, in order.
fn kinds(setup: &StoreSetup) -> Vec<String> {
    outbox(&setup.app).into_iter().map(|row| row.kind).collect()
}
