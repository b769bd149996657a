//! HTTP handlers, one module per area; a URL's first segment names its module.

mod account;
pub mod api;
mod assets;
mod handover;
pub mod health;
mod home;
mod language;
pub mod metrics;
mod payments;
mod sign_out;

use actix_web::web;

pub use api::configure as api_routes;
pub use assets::{asks_for_known_file, known_files as static_files};

/// Registers the shopper-facing routes (the demo's, when on, are registered by the start-up
/// wiring). Each path is one resource, so a wrong method gets `405` with `Allow`. A request is
/// matched against the paths in this order: the most visited come first (the profile passes no
/// pattern with a `{…}` part, which a regular expression matches).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/account").get(account::profile::show))
        .service(web::resource("/").get(home::show))
        .service(web::resource("/static/{name}").get(assets::serve))
        .service(web::resource("/health").get(health::ready))
        .service(web::resource("/health/live").get(health::live))
        .service(web::resource("/health/ready").get(health::ready))
        .service(web::resource("/language").post(language::choose))
        .service(web::resource("/sign-out").post(sign_out::sign_out))
        .service(web::resource("/handover/{token}").get(handover::open))
        .service(web::resource("/account/orders/{order_id}/pay").post(account::pay::pay))
        .service(web::resource(account::add_method::PATH).post(account::add_method::start))
        .service(
            web::resource("/account/payment-methods/added/{reference}")
                .get(account::add_method::back),
        )
        .service(
            web::resource("/account/payment-methods/{method_id}/remove")
                .get(account::remove_method::confirm)
                .post(account::remove_method::remove),
        )
        .service(
            web::resource("/account/payment-methods/{method_id}/prefer")
                .post(account::preferred::prefer),
        )
        .service(web::resource(account::export::PATH).get(account::export::download))
        .service(web::resource(account::wallet::PATH).get(account::wallet::movements))
        .service(web::resource("/account/payments/{reference}/receipt").get(account::receipt::show))
        .service(
            web::resource("/account/payments/{reference}/fiscal-receipt.pdf")
                .get(account::fiscal_receipt::sale),
        )
        .service(
            web::resource("/account/payments/{reference}/refund-receipt.pdf")
                .get(account::fiscal_receipt::refund),
        );
    cfg.configure(payments::configure);
}
