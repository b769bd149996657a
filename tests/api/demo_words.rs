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
    let words = "first one reconciler period after it started";
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
