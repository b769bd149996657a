//! What every page shares: the page context and rendering, error pages, security headers,
//! the request span and the check of the store's return URLs.

mod caught_up;
mod client_ip;
mod error_page;
mod errors;
pub(crate) mod escape;
mod faults;
mod head;
mod headers;
mod lang;
pub mod limits;
mod partitioned;
mod render;
mod request_span;
mod return_url;
mod same_origin;
mod site;
mod unique_id;

pub use caught_up::{Feed, answer_caught_up};
pub use client_ip::client_ip;
pub use error_page::error_pages;
pub use errors::{PageError, new_reference};
pub use faults::{catch_faults, mark_request};
pub use headers::security_headers;
pub use partitioned::partition_session_cookie;
pub use render::{PageContext, render, see_other};
pub use request_span::RequestSpan;
pub use return_url::{CheckedReturnUrls, ReturnUrlError, check_return_url};
pub use same_origin::same_origin_posts;
pub use site::Site;
pub use unique_id::UniqueId;
