//! Two instances (the real binary, as separate processes) deliver the store's notifications from
//! one PostgreSQL outbox, and one of them is killed with SIGKILL while its posts are in flight.
//! No event is lost: the survivor delivers every one, those the dead instance had claimed once
//! their lease (a minute) has run out. The store hears each order's events in the order they
//! were queued, a later one only after it answered the earlier one, and a repeated post is the
//! same event again: the same id, the same bytes.
//!
//! The test takes a little over a minute, since it waits for the dead instance's lease.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::helpers::fresh_postgres_database;
use crate::helpers::running::Running;
use crate::helpers::test_db::{FromVal, TestDb, Val};

const ORDERS: usize = 20;
/// Each order's events, in the order they are queued.
const KINDS: [&str; 3] = ["order.payment_failed", "order.paid", "order.refunded"];
/// How long the store takes at least to answer a post: long enough for posts to be in flight
/// when an instance dies. Some take longer (up to 600 ms more), so that one instance's run is
/// still waiting for its slowest posts when the other finds the next events due.
const ANSWER_AFTER: Duration = Duration::from_millis(100);
/// How long a delivery run holds the events it claimed (`LEASE` in
/// src/app/notifications/deliver.rs).
const LEASE: Duration = Duration::from_secs(60);
const SECRET: &str = "whsec_instances_test_secret_0123456789abcdef";

/// One post the store received.
#[derive(Debug, Clone)]
struct Received {
    /// The instance that posted it (the path of its webhook URL).
    instance: String,
    event_id: String,
    body: Vec<u8>,
    at: Instant,
}

/// The store's webhook: records every post as it arrives, answers 200 after [`ANSWER_AFTER`]
/// or more.
#[derive(Clone, Default)]
struct Store {
    received: Arc<Mutex<Vec<Received>>>,
}

impl Store {
    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Respond for Store {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
        let event_id = body["id"].as_str().expect("an event id").to_owned();
        let header = request
            .headers
            .get("Voucherly-Account-Event-Id")
            .and_then(|value| value.to_str().ok());
        assert_eq!(
            header,
            Some(event_id.as_str()),
            "the header names the event"
        );
        let mut received = self.received.lock().unwrap();
        let slower = Duration::from_millis(100) * (received.len() % 7) as u32;
        received.push(Received {
            instance: request.url.path().to_owned(),
            event_id,
            body: request.body.clone(),
            at: Instant::now(),
        });
        ResponseTemplate::new(200).set_delay(ANSWER_AFTER + slower)
    }
}

/// An instance of the binary on `database`, posting to the store's webhook at `/{name}`.
fn instance(
    name: &str,
    database: &str,
    voucherly: &MockServer,
    store: &MockServer,
    dir: &std::path::Path,
) -> Running {
    Running::start(database, voucherly, |command| {
        command
            .env(
                "VOUCHERLY_ACCOUNT_STORE_WEBHOOK_URL",
                format!("{}/{name}", store.uri()),
            )
            .env("VOUCHERLY_ACCOUNT_STORE_WEBHOOK_SECRET", SECRET)
            .env("VOUCHERLY_ACCOUNT_NOTIFY_EVERY", "1")
            .env(
                "VOUCHERLY_ACCOUNT_SANDBOX_DATABASE",
                dir.join(format!("{name}-sandbox.db")),
            )
            .env(
                "VOUCHERLY_ACCOUNT_CALLBACK_SPOOL",
                dir.join(format!("{name}-callbacks.spool")),
            );
    })
}

/// Queues [`ORDERS`] orders' events in one transaction, the first event of every order, then
/// the second, and so on, and wakes every instance's delivery worker as the app does.
async fn queue_events(database: &str) {
    let (mut client, connection) = tokio_postgres::connect(database, tokio_postgres::NoTls)
        .await
        .expect("the test database");
    tokio::spawn(connection);
    let tx = client.transaction().await.unwrap();
    let mut orders = Vec::new();
    for n in 0..ORDERS {
        let store_order_id = format!("K-{n:02}");
        let row = tx
            .query_one(
                "INSERT INTO orders (shopper_id, store_order_id, total_amount, discount_amount,
                     final_amount, request_digest, created_at, updated_at)
                 SELECT id, $1, 1290, 0, 1290, 'test', 0, 0 FROM shoppers
                 WHERE store_user_id = 'demo-mario' RETURNING id",
                &[&store_order_id],
            )
            .await
            .expect("an order of a demo shopper");
        orders.push((row.get::<_, i64>(0), store_order_id));
    }
    for (kind, status) in KINDS.iter().zip(["failed", "paid", "refunded"]) {
        for (order_id, store_order_id) in &orders {
            let event_id = uuid::Uuid::new_v4().to_string();
            let payload = json!({
                "id": event_id,
                "type": kind,
                "created_at": "2026-12-03T08:00:00Z",
                "data": {
                    "store_order_id": store_order_id,
                    "store_user_id": "demo-mario",
                    "amount": 1290,
                    "currency": "EUR",
                    "payment": {
                        "reference": format!("ref-{store_order_id}"),
                        "voucherly_payment_id": format!("pay-{store_order_id}"),
                        "status": status,
                    },
                },
            })
            .to_string();
            tx.execute(
                "INSERT INTO outbox_events (event_id, order_id, type, payload, created_at,
                     attempts, next_attempt_at)
                 VALUES ($1, $2, $3, $4, 0, 0, 0)",
                &[&event_id, order_id, kind, &payload],
            )
            .await
            .unwrap();
        }
    }
    tx.execute(
        "SELECT pg_notify('voucherly_account_changes', 'events')",
        &[],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Waits until `condition` holds, at most `limit`.
async fn within(limit: Duration, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !condition() {
        assert!(Instant::now() < deadline, "{what} never happened");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_killed_while_delivering_loses_no_event_and_the_order_holds() {
    let voucherly = MockServer::start().await;
    let store_server = MockServer::start().await;
    let store = Store::default();
    Mock::given(method("POST"))
        .respond_with(store.clone())
        .mount(&store_server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_postgres_database().await;
    let db = TestDb::Postgres(database.clone());
    // One at a time: the first creates the schema and the demo shoppers.
    let mut instances = HashMap::from([
        (
            "/a".to_owned(),
            instance("a", &database, &voucherly, &store_server, dir.path()),
        ),
        (
            "/b".to_owned(),
            instance("b", &database, &voucherly, &store_server, dir.path()),
        ),
    ]);

    queue_events(&database).await;
    // The queued events, oldest first: each order's events in the order they must arrive.
    let queued: Vec<(String, i64, String)> = db
        .rows(
            "SELECT event_id, order_id, payload FROM outbox_events ORDER BY id",
            &[],
        )
        .into_iter()
        .map(|row| {
            let [id, order, payload] = <[Val; 3]>::try_from(row).expect("three columns");
            (
                String::from_val(id),
                i64::from_val(order),
                String::from_val(payload),
            )
        })
        .collect();
    assert_eq!(queued.len(), ORDERS * KINDS.len());

    // Both instances are delivering (or, should one have claimed everything, a good part is
    // delivered), and one has just posted an event: the store's answer is still on the way when
    // that instance dies.
    let mut victim = String::new();
    within(Duration::from_secs(20), "a post in flight", || {
        let received = store.received();
        let posting: HashSet<&str> = received.iter().map(|post| post.instance.as_str()).collect();
        if received.len() < 10 || (posting.len() < 2 && received.len() < queued.len() / 2) {
            return false;
        }
        let last = received.last().unwrap();
        if last.at.elapsed() < ANSWER_AFTER / 2 {
            victim = last.instance.clone();
            return true;
        }
        false
    })
    .await;
    instances.remove(&victim).unwrap().kill_9();
    let killed_at = Instant::now();
    let by_victim: HashSet<String> = store
        .received()
        .into_iter()
        .filter(|post| post.instance == victim)
        .map(|post| post.event_id)
        .collect();
    let interrupted: Vec<&String> = by_victim
        .iter()
        .filter(|id| {
            db.value::<bool>(
                "SELECT delivered_at IS NULL FROM outbox_events WHERE event_id = ?1",
                args![id.as_str()],
            )
        })
        .collect();
    assert!(
        !interrupted.is_empty(),
        "the kill interrupted no delivery: the test proves nothing"
    );

    // The survivor delivers everything, the dead instance's claims once their lease is over.
    let undelivered = || -> i64 {
        db.value(
            "SELECT COUNT(*) FROM outbox_events WHERE delivered_at IS NULL",
            &[],
        )
    };
    let deadline = killed_at + LEASE + Duration::from_secs(30);
    while undelivered() > 0 {
        assert!(
            Instant::now() < deadline,
            "{} events never delivered after the kill",
            undelivered()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let received = store.received();
    let before_kill = received.iter().filter(|post| post.at < killed_at).count();
    println!(
        "{} posts for {} events; killed after {before_kill} posts, {} of them by the killed \
         instance ({} interrupted)",
        received.len(),
        queued.len(),
        by_victim.len(),
        interrupted.len(),
    );
    let payloads: HashMap<&str, &str> = queued
        .iter()
        .map(|(id, _, payload)| (id.as_str(), payload.as_str()))
        .collect();
    // A repeated post is the same event: the same id, the exact same bytes.
    for post in &received {
        let payload = payloads
            .get(post.event_id.as_str())
            .unwrap_or_else(|| panic!("an event never queued: {}", post.event_id));
        assert_eq!(post.body, payload.as_bytes(), "{}", post.event_id);
    }
    // Every event arrived.
    let arrived: HashSet<&str> = received.iter().map(|post| post.event_id.as_str()).collect();
    for (id, _, _) in &queued {
        assert!(arrived.contains(id.as_str()), "event {id} was lost");
    }
    // No one else posts an event while the instance that claimed it holds it: the survivor
    // posts the interrupted ones again only once their lease is over. The lease runs from the
    // claim, which comes before the dead instance's post by however long that post waited for
    // its turn (seconds on a loaded machine), hence the margin; a survivor ignoring the lease
    // would post within seconds of the kill, far inside it.
    for id in &interrupted {
        let posts = || received.iter().filter(|post| &&post.event_id == id);
        let by_dead = posts()
            .filter(|post| post.instance == victim)
            .map(|post| post.at)
            .min()
            .unwrap();
        for post in posts().filter(|post| post.instance != victim) {
            assert!(
                post.at > by_dead + LEASE - Duration::from_secs(15),
                "{id} was posted again by the survivor within the dead instance's lease \
                 ({:?} after it, or before it)",
                post.at.saturating_duration_since(by_dead)
            );
        }
    }
    let mut by_order: HashMap<i64, Vec<&str>> = HashMap::new();
    for (id, order, _) in &queued {
        by_order.entry(*order).or_default().push(id);
    }
    for (order, events) in &by_order {
        // In each order, the first arrivals are in the order the events were queued.
        let mut first_arrivals: Vec<&str> = Vec::new();
        for post in &received {
            if events.contains(&post.event_id.as_str())
                && !first_arrivals.contains(&post.event_id.as_str())
            {
                first_arrivals.push(&post.event_id);
            }
        }
        assert_eq!(
            &first_arrivals, events,
            "order {order}: first arrivals (left) out of the queued order (right)"
        );
        // And a later event is posted only after the store answered the earlier one: every
        // post of an event comes before the first post of the next, by at least the answer's
        // delay.
        for pair in events.windows(2) {
            let next_first = received
                .iter()
                .find(|post| post.event_id == pair[1])
                .unwrap()
                .at;
            for post in received.iter().filter(|post| post.event_id == pair[0]) {
                assert!(
                    post.at + ANSWER_AFTER <= next_first,
                    "order {order}: {} was posted before the store took {}",
                    pair[1],
                    pair[0]
                );
            }
        }
    }
}
