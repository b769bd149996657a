//! Words a newcomer reads first: the demo sign-in page and the README agree with what the app
//! does.

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_demo_sign_in_page_does_not_say_luca_has_saved_methods() {
    let app = spawn_app().await;
    let html = app.get_html("/").await;
    let luca = html
        .split(r#"<li class="card">"#)
        .find(|card| card.contains("Luca Verdi"))
        .expect("Luca's card");
    assert!(luca.contains("è già cliente Voucherly"), "{luca}");
    assert!(!luca.contains("salvat"), "Luca has nothing saved: {luca}");
}

const README: &str = include_str!("../../README.md");

#[test]
fn the_readme_gives_the_reconcilers_first_re_read_as_the_code_does() {
    // The first re-read comes one reconciler period (`--reconcile-every`) after a payment starts.
    let settings = voucherly_account::settings::Settings::for_tests("unused.db".into());
    assert_eq!(
        settings.payments_config().first_check_after,
        i64::try_from(settings.reconcile_every).unwrap()
    );
    let words = "each first after `--reconcile-every` seconds";
    assert_eq!(README.matches(words).count(), 2, "{words}");
    assert!(!README.contains("minutes after it started"));
    assert!(!README.contains("from 1 minute"));
}

#[test]
fn the_readme_tests_with_the_command_ci_runs() {
    let section = README.split("## Test it").nth(1).expect("a test section");
    let first_block = section.split("```sh\n").nth(1).expect("a command");
    assert!(first_block.starts_with("scripts/test\n"), "{first_block}");
    let ci = include_str!("../../.ci/run");
    assert!(
        ci.lines().any(|line| line.starts_with("scripts/test")),
        "{ci}"
    );
}

/// The JSON body of the README's curl example that posts to `path`: `-d '…'` or a here-document.
fn readme_body(path: &str, store: &str) -> serde_json::Value {
    let start = README
        .find(&format!("\"$ACCOUNT{path}\""))
        .unwrap_or_else(|| panic!("an example posting to {path}"));
    let rest = &README[start..];
    let quoted = rest.find("-d '").unwrap_or(usize::MAX);
    let heredoc = rest.find("<<EOF\n").unwrap_or(usize::MAX);
    let body = if quoted < heredoc {
        let body = &rest[quoted + "-d '".len()..];
        body[..body.find("'\n").unwrap()].to_owned()
    } else {
        let body = &rest[heredoc + "<<EOF\n".len()..];
        body[..body.find("\n   EOF").unwrap()].replace("$STORE", store)
    };
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn the_readmes_store_api_examples_work_as_written_in_demo_mode() {
    let app = spawn_app().await;
    let key = app.store_api_key();
    let client = reqwest::Client::new();
    for path in ["/api/v1/orders", "/api/v1/handovers"] {
        let response = client
            .post(app.url(path))
            .bearer_auth(&key)
            .json(&readme_body(path, &app.address))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert_eq!(status, 201, "{path}: {}", response.text().await.unwrap());
    }
}
