//! What `benches/run.sh` needs besides the app and `wrk`:
//!
//! - `bare ADDR [BYTES]`: a bare actix-web "hello" on every path, the yardstick; with `BYTES`, a
//!   body of that many bytes instead (to see what a page's size alone costs);
//! - `voucherly ADDR DELAY_MS`: a stand-in Voucherly that lists two saved methods per customer
//!   after `DELAY_MS`, and counts the calls (`GET /calls`, `POST /calls/reset`);
//! - `seed DATABASE COUNT`: shoppers `bench-0`… with Voucherly customer ids, and an order to pay
//!   (`bench-N-a`, so their profile shows a pay form) for every even-numbered one, written
//!   through the app's own storage functions before it starts;
//! - `sign-in APP_URL STORE_API_KEY COUNT OUT`: signs those shoppers in through hand-over links and
//!   writes one `Cookie` header value per line to `OUT` (the session cookie, and any other the
//!   link set, such as a CSRF cookie);
//! - `burst URL COOKIE COUNT`: `COUNT` concurrent GETs, then their statuses;
//! - `repeat URL HEADER COUNT CONNECTIONS`: exactly `COUNT` GETs (with `HEADER`, `Name: value`, or
//!   none when empty) over `CONNECTIONS` kept-alive connections, then their statuses: a fixed
//!   amount of work for counting the app's instructions (wrk only runs for a time).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use voucherly_account::domain::ShopperDetails;
use voucherly_account::domain::order::{CreateOrder, NewOrder, OrderLine};
use voucherly_account::domain::{Email, PersonName, StoreUserId};
use voucherly_account::i18n::Lang;
use voucherly_account::storage::{Database, OrderStore, ShopperStore};

/// The environment the app runs in during the benchmark: a key, the `sandbox` environment.
const ENVIRONMENT: &str = "sandbox";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["bare", addr] => bare(addr, 0).await,
        ["bare", addr, bytes] => bare(addr, bytes.parse()?).await,
        ["voucherly", addr, delay_ms] => voucherly(addr, delay_ms.parse()?).await,
        ["seed", database, count] => seed(Path::new(database), count.parse()?).await,
        ["sign-in", app, key, count, out] => sign_in(app, key, count.parse()?, out).await,
        ["burst", url, cookie, count] => burst(url, cookie, count.parse()?).await,
        ["repeat", url, header, count, connections] => {
            repeat(url, header, count.parse()?, connections.parse()?).await
        }
        _ => anyhow::bail!(
            "usage: bench-helper bare ADDR [BYTES] | voucherly ADDR DELAY_MS | seed DATABASE COUNT | \
             sign-in APP_URL STORE_API_KEY COUNT OUT | burst URL COOKIE COUNT | \
             repeat URL HEADER COUNT CONNECTIONS"
        ),
    }
}

async fn bare(addr: &str, bytes: usize) -> anyhow::Result<()> {
    let body: &'static str = if bytes == 0 {
        "Hello world!"
    } else {
        "x".repeat(bytes).leak()
    };
    HttpServer::new(move || {
        App::new().default_service(web::to(move || async move {
            HttpResponse::Ok().content_type("text/plain").body(body)
        }))
    })
    .bind(addr)?
    .run()
    .await?;
    Ok(())
}

#[derive(Default)]
struct Calls {
    methods: AtomicU64,
    gateways: AtomicU64,
}

async fn voucherly(addr: &str, delay_ms: u64) -> anyhow::Result<()> {
    let calls = web::Data::new(Calls::default());
    let delay = Duration::from_millis(delay_ms);
    HttpServer::new(move || {
        App::new()
            .app_data(calls.clone())
            .route(
                "/v1/payment_gateways",
                web::get().to(|calls: web::Data<Calls>| async move {
                    calls.gateways.fetch_add(1, Ordering::SeqCst);
                    HttpResponse::Ok().json(serde_json::json!({"items": [
                        {"id": "card", "name": "Carta"},
                        {"id": "edenred", "name": "Edenred"},
                    ]}))
                }),
            )
            .route(
                "/v1/customers/{customer_id}/payment_methods",
                web::get().to(move |calls: web::Data<Calls>| async move {
                    calls.methods.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(delay).await;
                    HttpResponse::Ok().json(serde_json::json!({"items": [
                        {"id": "pm_visa", "paymentGatewayId": "card", "creditCard":
                            {"brand": "Visa", "pan": "************4242",
                             "expirationMonth": 12, "expirationYear": 2099}},
                        {"id": "pm_edenred", "paymentGatewayId": "edenred"},
                    ]}))
                }),
            )
            .route(
                "/calls",
                web::get().to(|calls: web::Data<Calls>| async move {
                    HttpResponse::Ok().json(serde_json::json!({
                        "payment_methods": calls.methods.load(Ordering::SeqCst),
                        "payment_gateways": calls.gateways.load(Ordering::SeqCst),
                    }))
                }),
            )
            .route(
                "/calls/reset",
                web::post().to(|calls: web::Data<Calls>| async move {
                    calls.methods.store(0, Ordering::SeqCst);
                    calls.gateways.store(0, Ordering::SeqCst);
                    HttpResponse::NoContent().finish()
                }),
            )
    })
    .bind(addr)?
    .run()
    .await?;
    Ok(())
}

async fn seed(database: &Path, count: usize) -> anyhow::Result<()> {
    let db = Database::open(database)?;
    for n in 0..count {
        let details = ShopperDetails {
            store_user_id: StoreUserId::parse(&format!("bench-{n}")).map_err(anyhow::Error::msg)?,
            email: Email::parse(&format!("bench-{n}@shop.example")).map_err(anyhow::Error::msg)?,
            first_name: PersonName::parse("Anna").map_err(anyhow::Error::msg)?,
            last_name: PersonName::parse("Neri").map_err(anyhow::Error::msg)?,
            language: Lang::It.code(),
        };
        let id = db.upsert_shopper(details).await?;
        db.save_customer_id(id, ENVIRONMENT, format!("cus_bench_{n}"))
            .await?;
        if n % 2 == 0 {
            let created = db.create_order(id, order_to_pay(n)?).await?;
            anyhow::ensure!(
                matches!(created, CreateOrder::Created(_)),
                "order bench-{n}-a was not created: is the database fresh?"
            );
        }
    }
    Ok(())
}

/// One line, 24,90 €: enough for the profile to render an order and its pay form.
fn order_to_pay(n: usize) -> anyhow::Result<NewOrder> {
    let line = OrderLine {
        product_id: Some("cesto".into()),
        product_name: "Cesto di frutta".into(),
        product_description: Some("Frutta di stagione, 3 kg".into()),
        product_image: None,
        quantity: 1,
        unit_amount: 2490,
        unit_discount_amount: 0,
        tax_rate: Some(4.0),
        is_food: true,
    };
    Ok(NewOrder::parse(
        &format!("bench-{n}-a"),
        vec![line],
        Vec::new(),
    )?)
}

/// A client that keeps no cookies and follows no redirects: cookies are read by hand.
fn client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

async fn sign_in(app: &str, key: &str, count: usize, out: &str) -> anyhow::Result<()> {
    let client = client()?;
    let app = app.trim_end_matches('/').to_owned();
    let key = key.to_owned();
    let mut cookies = vec![String::new(); count];
    // Sixteen at a time: quick, without swamping the app.
    for chunk_start in (0..count).step_by(16) {
        let tasks: Vec<_> = (chunk_start..count.min(chunk_start + 16))
            .map(|n| {
                let (client, app, key) = (client.clone(), app.clone(), key.clone());
                tokio::spawn(async move { sign_in_one(&client, &app, &key, n).await })
            })
            .collect();
        for (offset, task) in tasks.into_iter().enumerate() {
            cookies[chunk_start + offset] = task.await??;
        }
    }
    std::fs::write(out, cookies.join("\n") + "\n").with_context(|| format!("writing {out}"))?;
    Ok(())
}

async fn sign_in_one(
    client: &reqwest::Client,
    app: &str,
    key: &str,
    n: usize,
) -> anyhow::Result<String> {
    let answer: serde_json::Value = client
        .post(format!("{app}/api/v1/handovers"))
        .bearer_auth(key)
        .json(&serde_json::json!({
            "store_user_id": format!("bench-{n}"),
            "email": format!("bench-{n}@shop.example"),
            "first_name": "Anna",
            "last_name": "Neri",
            "return_url": format!("{app}/"),
        }))
        .send()
        .await?
        .error_for_status()
        .context("the store API refused the hand-over")?
        .json()
        .await?;
    let url = answer["url"].as_str().context("a hand-over URL")?;
    // Each shopper from an address of their own, as real shoppers come: the app counts opened
    // links per client address (the script trusts 127.0.0.1 as a proxy).
    let address = format!("10.{}.{}.{}", n >> 16 & 255, n >> 8 & 255, n & 255);
    let opened = client
        .get(url)
        .header("X-Forwarded-For", address)
        .send()
        .await?;
    // Every cookie the link set, as a browser would send them back.
    let cookies: Vec<&str> = opened
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok()?.split(';').next())
        .collect();
    anyhow::ensure!(
        cookies.iter().any(|c| c.starts_with("va_session=")),
        "the hand-over link set no session cookie"
    );
    Ok(cookies.join("; "))
}

async fn burst(url: &str, cookie: &str, count: usize) -> anyhow::Result<()> {
    let client = client()?;
    let start = Arc::new(tokio::sync::Barrier::new(count));
    let tasks: Vec<_> = (0..count)
        .map(|_| {
            let (client, url, cookie) = (client.clone(), url.to_owned(), cookie.to_owned());
            let start = Arc::clone(&start);
            tokio::spawn(async move {
                start.wait().await;
                let response = client.get(url).header("Cookie", cookie).send().await?;
                anyhow::Ok(response.status().as_u16())
            })
        })
        .collect();
    let mut statuses = BTreeMap::new();
    for task in tasks {
        let status = match task.await? {
            Ok(status) => status.to_string(),
            Err(error) => format!("error: {error}"),
        };
        *statuses.entry(status).or_insert(0) += 1;
    }
    println!("{statuses:?}");
    Ok(())
}

async fn repeat(url: &str, header: &str, count: usize, connections: usize) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(connections)
        .build()?;
    let header = header
        .split_once(':')
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()));
    let workers = connections.max(1);
    let tasks: Vec<_> = (0..workers)
        .map(|worker| {
            let (client, url, header) = (client.clone(), url.to_owned(), header.clone());
            // Worker `w` sends requests w, w + workers, …: `count` in all.
            let share = (count + workers - 1 - worker) / workers;
            tokio::spawn(async move {
                let mut statuses = BTreeMap::new();
                for _ in 0..share {
                    let mut request = client.get(&url);
                    if let Some((name, value)) = &header {
                        request = request.header(name, value);
                    }
                    let response = request.send().await?;
                    let status = response.status().as_u16();
                    response.bytes().await?;
                    *statuses.entry(status).or_insert(0) += 1;
                }
                anyhow::Ok(statuses)
            })
        })
        .collect();
    let mut statuses = BTreeMap::new();
    for task in tasks {
        for (status, n) in task.await?? {
            *statuses.entry(status.to_string()).or_insert(0) += n;
        }
    }
    println!("{statuses:?}");
    Ok(())
}
