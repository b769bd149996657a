//! The demo store at `/demo-store`: a storefront served in demo mode that calls the store API
//! over HTTP, hands its customers over, and receives the signed notifications.

mod notifications;
mod storefront;
mod support;
