//! What every page shares: the page context and rendering, error pages, security headers,
//! the request span and the check of the store's return URLs.

mod error_page;
mod errors;
mod headers;
mod partitioned;
mod render;
mod request_span;
mod return_url;

pub use error_page::error_pages;
pub use errors::PageError;
pub use headers::security_headers;
pub use partitioned::partition_session_cookie;
pub use render::{PageContext, render, see_other};
pub use request_span::RequestSpan;
pub use return_url::{ReturnUrlError, check_return_url};
