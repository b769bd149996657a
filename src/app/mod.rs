//! The application's use cases, one service per family. A service is built once at start-up
//! with exactly what it uses (its storage families, the Voucherly client, a clock, the
//! notifier), passed in; routes parse and validate, call one service, and render its answer;
//! background workers call the same services.

pub mod heartbeat;
pub mod housekeeping;
pub mod notifications;
