//! `/payments/…`: where Voucherly sends the shopper's browser back after the checkout, and where
//! it posts its server-to-server callback.

mod callback;
mod return_page;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/payments/{reference}/return",
        web::get().to(return_page::show),
    )
    .service(
        web::resource("/payments/callback")
            .app_data(callback::json_config())
            .route(web::post().to(callback::receive)),
    );
}
