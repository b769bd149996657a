//! How the process asks glibc's allocator to hold less memory.
//!
//! glibc gives threads their own malloc arenas (up to eight per core), and each keeps freed
//! memory for itself; with tokio's workers and blocking threads taking turns, that left most of
//! the resident memory in half-empty arenas. Two arenas are plenty for a few workers whose
//! allocations are short-lived. An operator's own `MALLOC_ARENA_MAX` wins.
//!
//! glibc also keeps the pages freed inside its heaps: after a burst (a thousand connections at
//! once, a cache filled anew) the process would stay at its peak. Every ten seconds they are
//! handed back.

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

/// Hands glibc's free pages back to the system every ten seconds, on a thread of its own, for
/// as long as the process runs.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn give_back_free_pages() {
    let spawned = std::thread::Builder::new()
        .name("memory".to_owned())
        .spawn(|| {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(10));
                // SAFETY: `malloc_trim` only releases memory the allocator holds unused.
                unsafe {
                    libc::malloc_trim(0);
                }
            }
        });
    if let Err(error) = spawned {
        eprintln!("free memory will not be handed back: {error}");
    }
}

/// Other allocators manage their own memory.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn fewer_arenas() {}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back_free_pages() {}
