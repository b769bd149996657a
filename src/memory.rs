//! How the process asks glibc's allocator to hold less memory.
//!
//! glibc gives threads their own malloc arenas (up to eight per core), and each keeps freed
//! memory for itself; with tokio's workers and blocking threads taking turns, that left most of
//! the resident memory in half-empty arenas. Two arenas are plenty for a few workers whose
//! allocations are short-lived. An operator's own `MALLOC_ARENA_MAX` wins.
//!
//! glibc also keeps the pages freed inside its heaps: after a burst (a thousand connections at
//! once, a cache filled anew) the process would stay at its peak. Every ten seconds they are
//! handed back; and the threshold past which glibc gives back the top of a heap at once stays
//! at 128 KiB (glibc raises it, up to 64 MiB, each time a large block is freed), unless
//! `MALLOC_MMAP_THRESHOLD_` says otherwise.

/// Caps glibc's malloc arenas at two and fixes its thresholds, unless the environment sets them.
/// Called first thing, before any other thread exists.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune_allocator() {
    let unset = |name| std::env::var_os(name).is_none();
    // SAFETY: `mallopt` only sets an allocator parameter; no other thread runs yet.
    unsafe {
        if unset("MALLOC_ARENA_MAX") {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
        if unset("MALLOC_MMAP_THRESHOLD_") {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
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
pub fn tune_allocator() {}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back_free_pages() {}
