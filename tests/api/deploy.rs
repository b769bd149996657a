//! Two instances on one PostgreSQL database behind nginx, configured from
//! `deploy/nginx.conf.template`: a shopper pays in Chromium through nginx while the instances
//! take turns, and `deploy/run-two-instances.sh --check` starts and checks the same set-up.

use std::net::IpAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use secrecy::SecretString;
use voucherly_account::settings::{DatabaseLocation, Settings};
use voucherly_account::startup::Application;

use crate::browser::{
    click, free_port, open_browser, sign_in_as_mario, text_of, wait_for_path_starting,
};
use crate::helpers::{fresh_postgres_database, keep_logs};

/// nginx in the foreground with its files in a temporary folder; it is stopped with the value.
struct Nginx {
    child: Child,
    dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Nginx {
    /// Every line of its access log naming `instance` as the upstream that answered.
    fn requests_served_by(&self, instance: &str) -> Vec<String> {
        let log = std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default();
        log.lines()
            .filter(|line| line.ends_with(&format!("upstream={instance}")))
            .map(str::to_owned)
            .collect()
    }
}

/// The nginx program: `NGINX`, else Debian's (`/usr/sbin` is not on every user's PATH).
fn nginx_program() -> PathBuf {
    if let Some(program) = std::env::var_os("NGINX") {
        return program.into();
    }
    let debian = Path::new("/usr/sbin/nginx");
    if debian.exists() {
        debian.to_owned()
    } else {
        "nginx".into()
    }
}

/// Starts nginx on `listen`, balancing the two instances, from the template the deploy script
/// uses; waits until it answers.
async fn start_nginx(listen: &str, instance_a: &str, instance_b: &str) -> Nginx {
    let dir = tempfile::tempdir().expect("a folder for nginx");
    // Run by root, nginx's workers are `nobody`: they must reach their temporary files.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("a readable folder");
    let template = include_str!("../../deploy/nginx.conf.template");
    let config = template
        .replace("@RUN_DIR@", &dir.path().display().to_string())
        .replace("@LISTEN@", listen)
        .replace("@INSTANCE_A@", instance_a)
        .replace("@INSTANCE_B@", instance_b);
    let config_path = dir.path().join("nginx.conf");
    std::fs::write(&config_path, config).expect("nginx's configuration written");
    let child = Command::new(nginx_program())
        .arg("-p")
        .arg(dir.path())
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .arg("-c")
        .arg(&config_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx runs (Debian package nginx-light; scripts/test installs it)");
    let mut nginx = Nginx { child, dir };
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if let Ok(response) = client
            .get(format!("http://{listen}/health/live"))
            .send()
            .await
            && response.status().is_success()
        {
            return nginx;
        }
        if let Ok(Some(status)) = nginx.child.try_wait() {
            let log = std::fs::read_to_string(nginx.dir.path().join("error.log"));
            panic!("nginx stopped ({status}): {log:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nginx never answered on {listen}");
}

/// An instance on the shared database and sandbox file, reached at `public_url`; its address
/// (`127.0.0.1:<port>`).
async fn start_instance(database_url: &str, folder: &Path, name: &str, public_url: &str) -> String {
    let sandbox = folder.join("sandbox.db");
    let mut settings = Settings::for_tests(sandbox.clone());
    settings.database = DatabaseLocation::Postgres(SecretString::from(database_url.to_owned()));
    settings.sandbox_database = sandbox;
    settings.callback_spool = Some(folder.join(format!("{name}-callbacks.spool")));
    settings.public_url = Some(public_url.to_owned());
    settings.trusted_proxies = vec![IpAddr::from([127, 0, 0, 1])];
    let app = Application::build(settings)
        .await
        .expect("the instance builds");
    let address = format!("127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    address
}

#[tokio::test]
async fn a_shopper_pays_through_nginx_in_front_of_two_instances_and_both_serve() {
    keep_logs();
    let database_url = fresh_postgres_database().await;
    let folder = tempfile::tempdir().expect("a temporary folder");
    let listen = format!("127.0.0.1:{}", free_port());
    let public_url = format!("http://{listen}");
    // One after the other, as the deploy script does: the first makes the schema and the
    // secrets kept in the database (the session key, the store's), the second reads them.
    let a = start_instance(&database_url, folder.path(), "a", &public_url).await;
    let b = start_instance(&database_url, folder.path(), "b", &public_url).await;
    let nginx = start_nginx(&listen, &a, &b).await;

    let browser = open_browser().await;
    let c = &browser.client;
    sign_in_as_mario(c, &public_url).await;
    assert_eq!(text_of(c, "h1").await, "I tuoi metodi di pagamento");
    // Mario pays his first order with the method the form offers, at the sandbox's checkout.
    click(c, "form.pay-form button[type=submit]").await;
    wait_for_path_starting(c, "/sandbox/checkout/").await;
    click(c, "button[name=action][value=approve]").await;
    wait_for_path_starting(c, "/payments/").await;
    let outcome = text_of(c, "main").await;
    assert!(outcome.contains("Pagamento riuscito"), "{outcome}");
    // Every page came through nginx's address.
    let url = c.current_url().await.expect("a URL");
    assert_eq!(url.origin().ascii_serialization(), public_url);
    browser.client.clone().close().await.unwrap();

    // nginx took turns: both instances answered the browser.
    let from_a = nginx.requests_served_by(&a);
    let from_b = nginx.requests_served_by(&b);
    assert!(
        !from_a.is_empty() && !from_b.is_empty(),
        "instance a served {} requests, b {}",
        from_a.len(),
        from_b.len()
    );
    drop(nginx);
}

#[test]
fn the_deploy_script_starts_two_instances_behind_nginx_and_checks_them() {
    let output = Command::new("deploy/run-two-instances.sh")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--check")
        .env(
            "VOUCHERLY_ACCOUNT_BIN",
            env!("CARGO_BIN_EXE_voucherly-account"),
        )
        .output()
        .expect("the script runs");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("ok: nginx sent requests to instance a"),
        "{said}"
    );
    assert!(
        said.contains("ok: nginx sent requests to instance b"),
        "{said}"
    );
}
