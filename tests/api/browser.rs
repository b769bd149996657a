//! What a shopper does in a real browser: headless Chromium driven through chromedriver, with
//! JavaScript playing no part in the pages themselves.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::helpers::spawn_app;

/// A chromedriver process and a browser session on it; the process ends with the value.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A port nobody listens on now, on loopback.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub async fn open_browser() -> Browser {
    let port = free_port();
    let driver =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (Debian package chromium-driver; scripts/test installs it)");
    let profile = tempfile::tempdir().expect("a browser profile folder");
    let capabilities = json!({
        "goog:chromeOptions": {
            // An Italian shopper's browser.
            "prefs": {"intl.accept_languages": "it-IT,it"},
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=390,844", "--lang=it-IT",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let capabilities = match capabilities {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("a JSON object"),
    };
    let mut last_error = None;
    for _ in 0..50 {
        // chromedriver speaks plain HTTP on loopback: no TLS needed.
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => {
                return Browser {
                    client,
                    driver,
                    _profile: profile,
                };
            }
            Err(error) => last_error = Some(error),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not start a browser session: {last_error:?}");
}

/// Waits (at most 5 s) until the browser's path is `path`.
pub(crate) async fn wait_for_path(client: &Client, path: &str) {
    for _ in 0..50 {
        if client.current_url().await.expect("a URL").path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the browser never reached {path}");
}

/// The text of the first element `css` finds, waiting (at most 5 s) for the page to show one:
/// a click's navigation may still be under way.
pub(crate) async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(Duration::from_secs(5))
        .for_element(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("its text")
}

/// Waits (at most 5 s) until the first element `css` finds reads `expected`: after a form that
/// comes back to the same path, the page before it may still be the one shown.
pub(crate) async fn wait_for_text(client: &Client, css: &str, expected: &str) {
    let mut seen = None;
    for _ in 0..50 {
        // The old page's element goes stale as the new page loads: try again.
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
        {
            if text == expected {
                return;
            }
            seen = Some(text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never read {expected:?}; last seen: {seen:?}");
}

/// Signs Mario in through the demo sign-in page of the app at `address`, as a shopper clicks it.
pub(crate) async fn sign_in_as_mario(c: &Client, address: &str) {
    c.goto(&format!("{address}/")).await.unwrap();
    c.find(Locator::Css(
        "form:has(input[value='demo-mario']) button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for_path(c, "/account").await;
}

#[tokio::test]
async fn a_shopper_signs_in_sees_their_methods_switches_language_and_signs_out() {
    let app = spawn_app().await;
    let browser = open_browser().await;
    let c = &browser.client;

    sign_in_as_mario(c, &app.address).await;
    assert_eq!(text_of(c, "h1").await, "I tuoi metodi di pagamento");
    let methods = text_of(c, ".methods").await;
    assert!(methods.contains("Visa"), "{methods}");
    assert!(methods.contains("Scaduta"), "{methods}");
    assert!(methods.contains("IT60 •••• 3456"), "{methods}");

    // The stylesheet loaded under the Content-Security-Policy.
    let border = c
        .execute(
            "return getComputedStyle(document.querySelector('.panel')).borderTopStyle",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(border, "solid");

    c.find(Locator::Css("nav.languages button[lang='en']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "h1", "Your payment methods").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/account");

    c.find(Locator::Css("form.sign-out button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(c, "/").await;
    assert_eq!(text_of(c, "[role=status]").await, "You have signed out.");
    c.goto(&app.url("/account")).await.unwrap();
    wait_for_path(c, "/").await;

    browser.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn the_skip_link_is_the_first_stop_for_a_keyboard_user() {
    let app = spawn_app().await;
    let browser = open_browser().await;
    let c = &browser.client;
    c.goto(&app.url("/")).await.unwrap();
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    let focused = c
        .execute("return document.activeElement.getAttribute('href')", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "#main");
    browser.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_shopper_prefers_a_method_and_chromium_pays_with_it_by_default() {
    const SEPA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a04";
    let app = spawn_app().await;
    let browser = open_browser().await;
    let c = &browser.client;

    sign_in_as_mario(c, &app.address).await;
    c.find(Locator::Css(&format!(
        "form[action$='{SEPA}/prefer'] button"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for_path(c, "/account").await;
    assert!(
        text_of(c, "[role=status]")
            .await
            .contains("Metodo preferito salvato")
    );
    assert!(
        text_of(c, ".methods li:first-child")
            .await
            .contains("Preferito")
    );
    let checked = c
        .execute(
            "return document.querySelector('form.pay-form input[name=method_id]:checked').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(checked, SEPA);

    // Paying without touching the choice pays with the preferred method.
    c.find(Locator::Css("form.pay-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..50 {
        let path = c.current_url().await.unwrap().path().to_owned();
        if path.starts_with("/sandbox/checkout/") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let request: String = rusqlite::Connection::open(&app.db_path) // the sandbox's own file
        .unwrap()
        .query_row("SELECT request FROM sandbox_payments", [], |row| row.get(0))
        .unwrap();
    let request: serde_json::Value = serde_json::from_str(&request).unwrap();
    assert_eq!(request["customerPaymentMethodId"], SEPA);

    browser.client.clone().close().await.unwrap();
}

/// Waits until the browser's path starts with `prefix`.
pub(crate) async fn wait_for_path_starting(client: &Client, prefix: &str) {
    for _ in 0..50 {
        if client
            .current_url()
            .await
            .expect("a URL")
            .path()
            .starts_with(prefix)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the browser never reached {prefix}…");
}

/// Clicks the first element `css` finds.
pub(crate) async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .expect(css)
        .click()
        .await
        .expect("a click");
}

#[tokio::test]
async fn a_shopper_adds_a_card_from_the_profile_and_then_pays_with_it() {
    let app = spawn_app().await;
    let browser = open_browser().await;
    let c = &browser.client;

    // Giulia is not a Voucherly customer yet and has nothing saved.
    c.goto(&app.url("/")).await.unwrap();
    click(
        c,
        "form:has(input[value='demo-giulia']) button[type=submit]",
    )
    .await;
    wait_for_path(c, "/account").await;
    click(c, "form.add-method-form button[type=submit]").await;
    wait_for_path_starting(c, "/sandbox/checkout/").await;
    for (field, value) in [
        ("#holder_name", "Giulia Bianchi"),
        ("#card_number", "4242 4242 4242 4242"),
        ("#expiry_month", "12"),
        ("#expiry_year", "2031"),
    ] {
        c.find(Locator::Css(field))
            .await
            .expect(field)
            .send_keys(value)
            .await
            .expect("typing");
    }
    click(c, "button[name=action][value=approve]").await;
    wait_for_path(c, "/account").await;
    assert!(
        text_of(c, ".method-added")
            .await
            .contains("Visa che termina con 4242")
    );
    let methods = text_of(c, ".methods").await;
    assert!(methods.contains("4242"), "{methods}");

    // The new card is the pay form's choice: paying opens the checkout on it.
    let method_id = c
        .execute(
            "return document.querySelector('form.pay-form input[name=method_id]:checked').value",
            vec![],
        )
        .await
        .unwrap();
    let method_id = method_id.as_str().expect("a method id").to_owned();
    assert_ne!(method_id, "checkout");
    click(c, "form.pay-form button[type=submit]").await;
    wait_for_path_starting(c, "/sandbox/checkout/").await;
    click(c, "button[name=action][value=approve]").await;
    wait_for_path_starting(c, "/payments/").await;
    let outcome = text_of(c, "main").await;
    assert!(outcome.contains("Pagamento riuscito"), "{outcome}");
    let request: String = rusqlite::Connection::open(&app.db_path) // the sandbox's own file
        .unwrap()
        .query_row(
            "SELECT request FROM sandbox_payments WHERE json_extract(request, '$.mode') = 'Payment'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let request: serde_json::Value = serde_json::from_str(&request).unwrap();
    assert_eq!(request["customerPaymentMethodId"], method_id.as_str());

    browser.client.clone().close().await.unwrap();
}
