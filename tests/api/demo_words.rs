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
    let minutes = voucherly_account::storage::payments::FIRST_CHECK_AFTER_SECONDS / 60;
    let words = format!("first {minutes} minutes after it started");
    assert_eq!(README.matches(&words).count(), 2, "{words}");
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
