//! Logging: one line per event with the request id that tracing-actix-web gives each request.
//! The level comes from `RUST_LOG` (default `info`).

use tracing_subscriber::{EnvFilter, fmt};

/// Installs the global subscriber writing to `sink`; a second call is a no-op.
pub fn init<W>(default_level: &str, sink: W)
where
    W: for<'a> fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let _ = fmt()
        .with_env_filter(filter)
        .with_writer(sink)
        .with_target(false)
        .try_init();
}
