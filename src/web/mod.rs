//! What every page shares: the page context and rendering, error pages, security headers.

mod error_page;
mod errors;
mod headers;
mod render;

pub use error_page::error_pages;
pub use errors::PageError;
pub use headers::security_headers;
pub use render::{PageContext, render, see_other};
