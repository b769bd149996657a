//! HTTP handlers, one module per area; a URL's first segment names its module.

mod account;
mod api;
mod assets;
mod demo;
mod handover;
mod health;
mod home;
mod language;
mod payments;
mod sign_out;

use actix_web::web;

/// Registers the shopper-facing routes. The demo sign-in exists only when demo mode is on.
pub fn configure(cfg: &mut web::ServiceConfig, demo: bool) {
    cfg.route("/", web::get().to(home::show))
        .route("/static/{name}", web::get().to(assets::serve))
        .route("/health", web::get().to(health::check))
        .route("/language/{code}", web::get().to(language::choose))
        .route("/sign-out", web::post().to(sign_out::sign_out))
        .route("/handover/{token}", web::get().to(handover::open))
        .route("/account", web::get().to(account::profile::show))
        .route(
            "/account/orders/{order_id}/pay",
            web::post().to(account::pay::pay),
        )
        .route(
            "/account/payment-methods/{method_id}/remove",
            web::get().to(account::remove_method::confirm),
        )
        .route(
            "/account/payment-methods/{method_id}/remove",
            web::post().to(account::remove_method::remove),
        )
        .route(
            "/account/payment-methods/{method_id}/prefer",
            web::post().to(account::preferred::prefer),
        )
        .route(
            account::export::PATH,
            web::get().to(account::export::download),
        )
        .route(
            "/account/payments/{reference}/receipt",
            web::get().to(account::receipt::show),
        );
    cfg.configure(payments::configure);
    cfg.configure(api::configure);
    if demo {
        cfg.route("/demo/sign-in", web::post().to(demo::sign_in));
        cfg.configure(crate::demo_store::configure);
    }
}
