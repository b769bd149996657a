//! Checks on the shape of the code itself: layers that only import downwards, SQL only under
//! `src/storage/`, and templates that write only our texts unescaped.

mod layers;
pub mod source;
mod sql_in_storage;
mod templates;
