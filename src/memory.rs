//! How the process asks glibc's allocator to hold less memory.
//!
//! glibc gives threads their own malloc arenas (up to eight per core), and each keeps freed
//! memory for itself; with tokio's workers and blocking threads taking turns, that left most of
//! the resident memory in half-empty arenas. Two arenas are plenty for a few workers whose
//! allocations are short-lived. An operator's own `MALLOC_ARENA_MAX` wins.

/// Caps glibc's malloc arenas at two, unless `MALLOC_ARENA_MAX` says otherwise. Called first
/// thing, before any other thread exists.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn fewer_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: `mallopt` only sets an allocator parameter; no other thread runs yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// Other allocators manage their own memory.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn fewer_arenas() {}
