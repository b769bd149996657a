//! `/account`: the signed-in shopper's own pages.

mod methods;
pub mod profile;
