//! The log as an operator reads it from `cargo run`: the real binary, its standard output piped
//! (as to a file or a collector), one short line per event, no colour codes, and in demo mode the
//! store API key that the README's examples use. Without the `demo` feature: the binary refuses
//! to start without a Voucherly key, and says why.
#![cfg_attr(not(feature = "demo"), allow(dead_code))]

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[cfg(not(feature = "demo"))]
#[test]
fn a_build_without_the_demo_refuses_to_start_without_a_voucherly_key_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_voucherly-account"))
        .args(["--bind", "127.0.0.1:0", "--database"])
        .arg(dir.path().join("logs.db"))
        .env_remove("VOUCHERLY_API_KEY")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("VOUCHERLY_API_KEY is not set")
            && stderr.contains("built without the `demo` feature"),
        "{stderr}"
    );
    // Asking for the demo is refused as clearly, even with a key.
    let output = Command::new(env!("CARGO_BIN_EXE_voucherly-account"))
        .args(["--bind", "127.0.0.1:0", "--demo", "true", "--database"])
        .arg(dir.path().join("logs.db"))
        .env("VOUCHERLY_API_KEY", "sk_test_key")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("this build has no demo"), "{stderr}");
}

/// The binary, started on a free port with its own database; killed when dropped.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("logs.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_voucherly-account"))
        .args(["--bind", "127.0.0.1:0", "--database"])
        .arg(&database)
        .args(args)
        .env("RUST_LOG", "info")
        .env_remove("VOUCHERLY_API_KEY")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout: ChildStdout = child.stdout.take().unwrap();
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    Running {
        child,
        lines,
        _dir: dir,
    }
}

impl Running {
    /// Lines up to and including the first one containing `needle`, within ten seconds.
    fn lines_until(&self, needle: &str) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("no line with {needle:?} in:\n{}", seen.join("\n")));
            let done = line.contains(needle);
            seen.push(line);
            if done {
                return seen;
            }
        }
    }
}

fn after<'a>(line: &'a str, marker: &str) -> &'a str {
    let start = line
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {line}"))
        + marker.len();
    line[start..].split_whitespace().next().unwrap()
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_text_log_is_one_short_line_per_event_and_shows_the_demo_store_api_key() {
    let app = start(&[]);
    let mut lines = app.lines_until("is ready");
    lines.extend(app.lines_until("STORE_API_KEY="));
    lines.extend(app.lines_until("the embedded sandbox answers"));
    let address = after(
        lines.iter().find(|l| l.contains("is ready")).unwrap(),
        "open ",
    )
    .trim_end_matches('/')
    .to_owned();
    let key_line = lines.iter().find(|l| l.contains("STORE_API_KEY=")).unwrap();
    let key = after(key_line, "STORE_API_KEY=").to_owned();
    assert!(key.starts_with("sk_store_") && key.len() > 40, "{key}");

    // The key in the log is the one the store API takes, as the README's examples use it.
    let client = reqwest::Client::new();
    let created = client
        .post(format!("{address}/api/v1/orders"))
        .bearer_auth(&key)
        .json(&serde_json::json!({
            "store_order_id": "LOG-1",
            "shopper": {"store_user_id": "user-42", "email": "anna.neri@example.com",
                        "first_name": "Anna", "last_name": "Neri", "language": "it"},
            "lines": [{"product_name": "Borraccia", "quantity": 1, "unit_amount": 1290}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    // An event inside a request: its line carries the request's id, not all its fields.
    let handover = client
        .post(format!("{address}/api/v1/handovers"))
        .bearer_auth(&key)
        .json(&serde_json::json!({
            "store_user_id": "user-42", "email": "anna.neri@example.com",
            "first_name": "Anna", "last_name": "Neri", "language": "it",
            "return_url": format!("{address}/account"), "store_order_id": "LOG-1"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(handover.status().as_u16(), 201);
    lines.extend(app.lines_until("hand-over created"));
    let event = lines.last().unwrap();
    let request_id = after(event, "[").trim_end_matches(']');
    assert_eq!(request_id.len(), 8, "a short request id: {event}");

    for line in &lines {
        assert!(
            !line.contains('\u{1b}'),
            "no colour codes into a pipe: {line:?}"
        );
        assert!(line.len() <= 200, "{} characters: {line}", line.len());
        assert!(!line.contains("http.user_agent"), "no span fields: {line}");
    }
    assert!(
        !lines.iter().any(|l| l.contains("accepted the API key")),
        "no key was given: {lines:#?}"
    );
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_json_log_is_one_object_per_line() {
    let app = start(&["--log-format", "json"]);
    let lines = app.lines_until("is ready");
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(value["level"].is_string(), "{line}");
        assert!(value["fields"]["message"].is_string(), "{line}");
    }
    assert!(lines.last().unwrap().contains("is ready"));
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_store_api_key_the_operator_set_is_never_logged() {
    let app = start(&["--store-api-key", "sk_store_set_by_the_operator_0123456789"]);
    let lines = app.lines_until("the embedded sandbox answers");
    assert!(
        !lines.iter().any(|l| l.contains("set_by_the_operator")),
        "{lines:#?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("STORE_API_KEY=")),
        "{lines:#?}"
    );
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_json_log_gives_each_request_s_fields_but_never_a_hand_over_token() {
    let app = start(&["--log-format", "json"]);
    let ready = app.lines_until("is ready");
    let address = after(ready.last().unwrap(), "open ")
        .trim_end_matches(['/', '"'])
        .to_owned();
    let client = reqwest::Client::new();
    let missing = client
        .get(format!("{address}/static/missing.css?v=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    let refused = app.lines_until("request refused");
    let line: serde_json::Value = serde_json::from_str(refused.last().unwrap()).unwrap();
    let request = &line["spans"][0];
    assert_eq!(request["name"], "HTTP request", "{line}");
    assert_eq!(request["http.method"], "GET", "{line}");
    assert_eq!(request["http.route"], "/static/{name}", "{line}");
    assert_eq!(request["http.target"], "/static/missing.css?v=1", "{line}");
    assert_eq!(request["otel.name"], "HTTP GET /static/{name}", "{line}");
    assert_eq!(request["http.client_ip"], "127.0.0.1", "{line}");
    let id = request["request_id"].as_str().unwrap_or_default();
    assert_eq!(id.len(), 36, "a request id like a UUID: {line}");

    let token = "an-unknown-hand-over-token-0123456789";
    client
        .get(format!("{address}/handover/{token}"))
        .send()
        .await
        .unwrap();
    let opened = app.lines_until("hand-over was opened");
    let line: serde_json::Value = serde_json::from_str(opened.last().unwrap()).unwrap();
    assert_eq!(line["spans"][0]["http.target"], "/handover/[redacted]");
    assert_ne!(line["spans"][0]["request_id"], request["request_id"]);
    assert!(!opened.iter().any(|l| l.contains(token)), "{opened:#?}");
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn what_a_signed_in_request_logs_names_the_shopper() {
    use crate::helpers::{browser, csrf_token_in};
    const VISA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01";

    let app = start(&["--log-format", "json"]);
    let ready = app.lines_until("is ready");
    let address = after(ready.last().unwrap(), "open ")
        .trim_end_matches(['/', '"'])
        .to_owned();
    let client = browser();
    let start_page = client.get(format!("{address}/")).send().await.unwrap();
    let token = csrf_token_in(&start_page.text().await.unwrap());
    let signed_in = client
        .post(format!("{address}/demo/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("store_user_id", "demo-mario"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status().as_u16(), 303);
    let profile = client
        .get(format!("{address}/account"))
        .send()
        .await
        .unwrap();
    let token = csrf_token_in(&profile.text().await.unwrap());
    let preferred = client
        .post(format!("{address}/account/payment-methods/{VISA}/prefer"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(preferred.status().as_u16(), 303);

    let set = app.lines_until("preferred payment method set");
    let line: serde_json::Value = serde_json::from_str(set.last().unwrap()).unwrap();
    let request = &line["spans"][0];
    assert_eq!(request["name"], "HTTP request", "{line}");
    assert!(request["shopper_id"].as_i64().is_some(), "{line}");
}
