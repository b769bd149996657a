//! `/account`: the signed-in shopper's own pages.

mod history;
mod methods;
mod orders;
pub mod pay;
pub mod profile;
pub mod remove_method;
