//! Checks on the shape of the code itself: layers that only import downwards, and SQL only
//! under `src/storage/`.

mod layers;
pub mod source;
mod sql_in_storage;
