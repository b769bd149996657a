//! The real binary started as a separate process, for tests that kill it (SIGKILL) where a
//! test's in-process app could only be dropped politely.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use wiremock::MockServer;

/// The binary on `database` (an SQLite file or a PostgreSQL URL), talking to `voucherly` with an
/// API key, demo sign-in on, the reconciler all but off; killed (SIGKILL) when dropped.
pub struct Running {
    child: Child,
    /// Where it listens, `http://127.0.0.1:<port>`.
    pub address: String,
}

impl Running {
    /// Starts it, with more settings: `configure` sets environment variables or flags on the
    /// command.
    pub fn start(
        database: impl AsRef<OsStr>,
        voucherly: &MockServer,
        configure: impl FnOnce(&mut Command),
    ) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_voucherly-account"));
        command
            .args(["--bind", "127.0.0.1:0", "--database"])
            .arg(database)
            .env("RUST_LOG", "info")
            .env("VOUCHERLY_API_KEY", "sk_test_key")
            .env("VOUCHERLY_BASE_URL", voucherly.uri())
            .env("VOUCHERLY_ACCOUNT_DEMO", "true")
            // Only the work a test is about reads payments back.
            .env("VOUCHERLY_ACCOUNT_RECONCILE_EVERY", "3600")
            .stdout(Stdio::piped());
        configure(&mut command);
        let mut child = command.spawn().expect("the binary starts");
        let stdout = child.stdout.take().expect("its output");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let address = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(20))
                .expect("the binary says where it listens");
            if let Some((_, rest)) = line.split_once("is ready: open ") {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_owned();
            }
        };
        Self { child, address }
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
