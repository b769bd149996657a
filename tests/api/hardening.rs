//! Hardening, tried as an attacker and an operator would: sessions that stay ended, redirects
//! that stay home, limits, headers, database faults, and every route fed malformed input.

// Some of these tests need the embedded sandbox or the demo: without the `demo` feature,
// what only they use goes unused.
#![cfg_attr(not(feature = "demo"), allow(unused_imports, dead_code))]

mod faults;
mod fuzz;
mod limits;
mod redirects;
mod requests;
mod sessions;
mod small_faults;

use reqwest::header::{COOKIE, SET_COOKIE};

use crate::helpers::TestApp;

/// Every cookie a response sets, as a browser would send them back (`a=1; b=2`), added to the
/// ones in `jar`.
pub fn cookies_after(jar: &str, response: &reqwest::Response) -> String {
    let mut cookies: Vec<String> = jar
        .split("; ")
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    for set in response.headers().get_all(SET_COOKIE) {
        let pair = set.to_str().unwrap().split(';').next().unwrap().to_owned();
        let name = pair.split('=').next().unwrap().to_owned();
        cookies.retain(|c| !c.starts_with(&format!("{name}=")));
        cookies.push(pair);
    }
    cookies.join("; ")
}

/// A cookie-less client's GET with exactly `cookies`.
pub async fn get_with(app: &TestApp, path: &str, cookies: &str) -> reqwest::Response {
    crate::helpers::browser()
        .get(app.url(path))
        .header(COOKIE, cookies)
        .send()
        .await
        .expect("GET")
}

/// A cookie-less client's form POST with exactly `cookies`.
pub async fn post_with(
    app: &TestApp,
    path: &str,
    cookies: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    crate::helpers::browser()
        .post(app.url(path))
        .header(COOKIE, cookies)
        .form(form)
        .send()
        .await
        .expect("POST")
}

/// The same POST as `post_with`, started at once on its own task.
pub fn spawn_post(
    app: &TestApp,
    path: &str,
    cookies: &str,
    form: &[(&str, &str)],
) -> tokio::task::JoinHandle<reqwest::Response> {
    let request = crate::helpers::browser()
        .post(app.url(path))
        .header(COOKIE, cookies)
        .form(form);
    tokio::spawn(async move { request.send().await.expect("POST") })
}

/// Waits for every task.
pub async fn all(tasks: Vec<tokio::task::JoinHandle<reqwest::Response>>) -> Vec<reqwest::Response> {
    let mut responses = Vec::new();
    for task in tasks {
        responses.push(task.await.expect("a finished request"));
    }
    responses
}

/// How many session rows the database holds.
pub fn session_rows(app: &TestApp) -> i64 {
    app.db().value("SELECT count(*) FROM sessions", &[])
}
