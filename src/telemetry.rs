//! Logging. As text, one short line per event: time, level, the request's id (from the span
//! tracing-actix-web opens for each request), the handler's span name, the message and its
//! fields, without repeating every field of every enclosing span; coloured only on a terminal.
//! As JSON (`--log-format json`), one object per line with the spans' fields, for log collectors.
//! The level comes from `RUST_LOG` (default `info`). A malformed request is logged at INFO,
//! not at actix-http's ERROR (`relog`).

mod relog;

use std::fmt;
use std::io::IsTerminal;

use clap::ValueEnum;
use time::OffsetDateTime;
use time::macros::format_description;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::{DefaultFields, Writer, debug_fn};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Installs the global subscriber writing text without colour to `sink` (tests); a second call
/// is a no-op.
pub fn init<W>(default_level: &str, sink: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    install(default_level, LogFormat::Text, false, sink);
}

/// Installs the global subscriber writing to standard output, in colour only when it is a
/// terminal (never into a file or a pipe).
pub fn init_stdout(default_level: &str, format: LogFormat) {
    let ansi = std::io::stdout().is_terminal();
    install(default_level, format, ansi, std::io::stdout);
}

fn install<W>(default_level: &str, format: LogFormat, ansi: bool, sink: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let output = tracing_subscriber::fmt::layer().with_writer(sink);
    let output = match format {
        // A text line shows no span field, so none is formatted when a span opens (every
        // request opens one): the event's own fields are formatted by `OneLine`.
        LogFormat::Text => output
            .with_ansi(ansi)
            .fmt_fields(debug_fn(no_field))
            .event_format(OneLine)
            .boxed(),
        LogFormat::Json => output
            .json()
            .with_current_span(false)
            .with_span_list(true)
            .boxed(),
    };
    let output = output.with_filter(tracing_subscriber::filter::filter_fn(|metadata| {
        !relog::is_relogged(metadata)
    }));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(RequestIds)
        .with(relog::Relog)
        .with(output)
        .try_init();
}

/// The start of a span's request id (all a text line shows), kept in its extensions when the
/// span opens.
#[derive(Default)]
struct RequestId {
    bytes: [u8; RequestId::CHARS * 4],
    len: usize,
    chars: usize,
}

impl RequestId {
    const CHARS: usize = 8;

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// Takes whole characters until it has eight, then stops the formatting (every request opens a
/// span with an id: no allocation, and no formatting past what is shown).
impl fmt::Write for RequestId {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for c in text.chars() {
            if self.chars == Self::CHARS {
                return Err(fmt::Error);
            }
            self.len += c.encode_utf8(&mut self.bytes[self.len..]).len();
            self.chars += 1;
        }
        Ok(())
    }
}

/// Remembers each span's `request_id` field so that lines can show it alone.
struct RequestIds;

impl<S> Layer<S> for RequestIds
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut visitor = RequestIdVisitor(None);
        attrs.record(&mut visitor);
        if let (Some(request_id), Some(span)) = (visitor.0, ctx.span(id)) {
            span.extensions_mut().insert(request_id);
        }
    }
}

struct RequestIdVisitor(Option<RequestId>);

impl Visit for RequestIdVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "request_id" {
            let mut id = RequestId::default();
            // Stopped on purpose after eight characters.
            let _ = fmt::Write::write_fmt(&mut id, format_args!("{value:?}"));
            self.0 = Some(id);
        }
    }
}

/// `2026-11-25T00:01:02.345Z  INFO [4c41c0a4] pay: Voucherly answered status=201`
struct OneLine;

impl<S, N> FormatEvent<S, N> for OneLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let now = OffsetDateTime::now_utc()
            .format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
            ))
            .unwrap_or_default();
        write!(writer, "{now} ")?;
        write_level(&mut writer, *event.metadata().level())?;
        let mut request_id = None;
        let mut innermost = None;
        if let Some(scope) = ctx.event_scope() {
            for span in scope.from_root() {
                if let Some(id) = span.extensions().get::<RequestId>() {
                    request_id = Some(id.as_str().to_owned());
                }
                innermost = Some(span.name());
            }
        }
        if let Some(id) = request_id {
            write!(writer, " [{id}]")?;
        }
        // The root span is the request itself: its name says nothing the id does not.
        if let Some(name) = innermost.filter(|name| *name != "HTTP request") {
            write!(writer, " {name}:")?;
        }
        write!(writer, " ")?;
        DefaultFields::new().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// Writes nothing: the text format's span fields.
fn no_field(_: &mut Writer<'_>, _: &Field, _: &dyn fmt::Debug) -> fmt::Result {
    Ok(())
}

fn write_level(writer: &mut Writer<'_>, level: Level) -> fmt::Result {
    let (text, colour) = match level {
        Level::ERROR => ("ERROR", "31"),
        Level::WARN => (" WARN", "33"),
        Level::INFO => (" INFO", "32"),
        Level::DEBUG => ("DEBUG", "34"),
        Level::TRACE => ("TRACE", "35"),
    };
    if writer.has_ansi_escapes() {
        write!(writer, "\x1b[{colour}m{text}\x1b[0m")
    } else {
        write!(writer, "{text}")
    }
}
