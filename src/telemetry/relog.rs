//! actix-http logs a malformed request (a bad request line or header, answered 400 before any
//! handler runs) at ERROR, as "stream error: request parse error: …". That is a client's fault,
//! not the app's, and a scanner would fill an operator's error alerts with it. The HTTP layer's
//! errors are therefore kept out of the output and logged again here: a malformed request at
//! INFO, anything else at ERROR as before.

use std::fmt;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;

/// Where actix-http's connection errors come from.
const HTTP_LAYER: &str = "actix_http::h1::dispatcher";

/// Whether the output leaves out `metadata`'s events, as [`Relog`] logs them again.
pub fn is_relogged(metadata: &Metadata<'_>) -> bool {
    *metadata.level() == Level::ERROR && metadata.target() == HTTP_LAYER
}

pub struct Relog;

impl<S: Subscriber> Layer<S> for Relog {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if !is_relogged(event.metadata()) {
            return;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        match message
            .0
            .strip_prefix("stream error: request parse error: ")
        {
            Some(why) => {
                tracing::info!(target: "voucherly_account::http", "malformed request refused (400): {why}")
            }
            None => tracing::error!(target: "voucherly_account::http", "{}", message.0),
        }
    }
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}
