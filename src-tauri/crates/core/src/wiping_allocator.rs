//! Memory that is wiped when freed, for both binaries: a process re-executes itself once at start
//! with glibc's `perturb` tunable (every freed chunk is overwritten; with the per-thread cache off,
//! as cached chunks are not perturbed) and `Malloc=1` (WebKit's own allocator uses the system one).
//! It must never claim wiping the process does not have: SQLCipher's memory security is turned
//! off only where this module sees the tunables glibc started the process with.
//!
//! Why the vault's database may then leave SQLCipher's `cipher_memory_security` off (SQLCipher 4.6.1,
//! read in its source and its 4.5.0 notes):
//! - What the pragma does is one thing only: it wraps SQLite's allocator so that every allocation
//!   is `mlock`ed and, when freed, zeroed and `munlock`ed (a realloc always moves). Once on, it stays on
//!   for the process's life (it can be turned on, never off), so the choice is made per process, before
//!   the first connection: `store::database::open` asks [`freed_memory_is_wiped`].
//! - SQLCipher's own key material (the cipher contexts, the raw and derived keys, the HMAC and
//!   page buffers it allocates with `sqlcipher_malloc`) is locked and wiped whatever the pragma says.
//! - Wiping: under the tunables glibc fills every chunk SQLite frees (and Rust, serde, OpenSSL free)
//!   before reuse, so freed SQLite memory (page cache, parsed SQL such as the key pragma's text) holds
//!   nothing readable, as under the pragma. Large chunks are unmapped on free, in both cases.
//!   Memory SQLite recycles itself (lookaside slots, the page cache's free list) is freed only when the
//!   connection closes, in both cases alike. A test reads a child's heap after an import to prove it.
//! - Locking is what is given up for SQLite's general allocations: decrypted pages (token metadata
//!   and secrets still sealed under the field key) may be swapped out. The pragma could never lock
//!   them all anyway (RLIMIT_MEMLOCK is 8 MiB by default against a 64 MiB page cache), and the Rust side's
//!   plaintext secrets and keys were never locked. Swap is the OS's to encrypt.
//! - The price of the pragma was about 60% of an import's CPU after the KDF: a syscall pair and a
//!   byte-by-byte wipe per allocation, and the kernel splitting and merging a VMA on each.

use std::sync::OnceLock;

/// Set in the environment of the re-executed process; also stops a second re-execution.
const MARKER: &str = "TOKENWARDEN_WIPING_ALLOCATORS";
/// The tunables appended to the process's own: later settings win in glibc's parser.
const GLIBC_WIPE: &str = "glibc.malloc.perturb=165:glibc.malloc.tcache_count=0";

/// For a command that runs and exits: freed heap is kept for reuse rather than handed back to the
/// kernel at each large free (it is wiped when freed either way). Without it, every time the heap
/// grows again its pages are faulted in anew: 10% of a 10k-token `list` under the settings above.
const GLIBC_KEEP_FREED_HEAP: &str = "glibc.malloc.trim_threshold=268435456";

/// For a process that runs for hours: every allocation over 128 KiB gets its own mapping, unmapped
/// when freed, instead of glibc raising that threshold as large chunks come and go and keeping the
/// freed heap. The window's IPC answers (megabytes of JSON at 10,000 tokens) then go back to the
/// kernel once sent: 25–30 MiB less in the window process after an unlock of 10k (`make bench`).
const GLIBC_RETURN_LARGE_CHUNKS: &str = "glibc.malloc.mmap_threshold=131072";

/// How long the process runs, which decides whether it may keep freed heap (see above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Runs for hours (the app): its footprint after a peak matters, the kernel gets memory back.
    LongRunning,
    /// Runs one command and exits (the CLI).
    OneCommand,
}

/// The `GLIBC_TUNABLES` a process of this lifetime runs with (with `Malloc=1`). The package's
/// desktop entry starts the window with exactly these, so it needs no re-execution (a test holds
/// the entry to this).
pub fn tunables(lifetime: Lifetime) -> String {
    match lifetime {
        Lifetime::LongRunning => format!("{GLIBC_WIPE}:{GLIBC_RETURN_LARGE_CHUNKS}"),
        Lifetime::OneCommand => format!("{GLIBC_WIPE}:{GLIBC_KEEP_FREED_HEAP}"),
    }
}

/// Whether a process started with `Malloc` and `GLIBC_TUNABLES` as given runs with every setting of
/// `ours` already (glibc reads the pairs in order, a later one of a name winning): then a second
/// start, loading GTK and WebKit again (about 60 ms of CPU for the window), is spared.
fn started_with(malloc: Option<&str>, tunables: Option<&str>, ours: &str) -> bool {
    let Some(tunables) = tunables else { return false };
    let last = |name: &str| {
        tunables.split(':').rev().find_map(|pair| pair.split_once('=').filter(|(n, _)| *n == name).map(|(_, v)| v))
    };
    malloc == Some("1")
        && ours.split(':').all(|pair| pair.split_once('=').is_some_and(|(name, value)| last(name) == Some(value)))
}

/// Re-executes the program once with the allocator settings above in its environment (they are
/// read when a process starts, so they cannot be set later). Call first thing in `main`, before any
/// thread starts and before `process::harden` (exec resets the dumpable flag). Returns only when no
/// re-execution happened: already done, started with the settings (the desktop entry, a window the
/// tray starts), or exec failed (then the program runs on, less wiped, and SQLCipher's memory
/// security stays on).
#[cfg(target_os = "linux")]
pub fn reexec_with_wiping_allocators(lifetime: Lifetime) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    let ours = tunables(lifetime);
    let existing = std::env::var("GLIBC_TUNABLES").ok().filter(|t| !t.is_empty());
    let malloc = std::env::var("Malloc").ok();
    if std::env::var_os(MARKER).is_some() || started_with(malloc.as_deref(), existing.as_deref(), &ours) {
        return Ok(());
    }
    let tunables = match existing {
        Some(existing) => format!("{existing}:{ours}"),
        None => ours,
    };
    // The binary's own path, not /proc/self/exe: the process name (comm) comes from it.
    let exe = std::env::current_exe().map_err(|error| format!("could not find the program's binary: {error}"))?;
    let mut args = std::env::args_os();
    let arg0 = args.next().unwrap_or_else(|| exe.clone().into_os_string());
    let error = std::process::Command::new(&exe)
        .arg0(arg0)
        .args(args)
        .env(MARKER, "1")
        .env("Malloc", "1")
        .env("GLIBC_TUNABLES", tunables)
        .exec();
    Err(format!("could not restart with wiping allocators: {error}"))
}

#[cfg(not(target_os = "linux"))]
pub fn reexec_with_wiping_allocators(_lifetime: Lifetime) -> Result<(), String> {
    Ok(())
}

/// Whether glibc wipes every chunk this process frees: it is glibc's malloc (nothing in the
/// workspace sets a `#[global_allocator]`) and the process started with `GLIBC_TUNABLES` whose last
/// `glibc.malloc.perturb` has a non-zero byte and whose last `glibc.malloc.tcache_count` is 0.
/// Read once: glibc read the same variable when the process started, and nothing here changes it.
pub fn freed_memory_is_wiped() -> bool {
    static WIPED: OnceLock<bool> = OnceLock::new();
    *WIPED.get_or_init(|| {
        cfg!(all(target_os = "linux", target_env = "gnu"))
            && std::env::var("GLIBC_TUNABLES").is_ok_and(|tunables| tunables_wipe_freed_memory(&tunables))
    })
}

/// Reads a `GLIBC_TUNABLES` value as glibc does (`name=value` pairs split by `:`, later ones win,
/// numbers in decimal or 0x hex); anything it cannot read, or would ignore, counts as not wiping.
fn tunables_wipe_freed_memory(tunables: &str) -> bool {
    let mut perturb = None;
    let mut tcache_count = None;
    for pair in tunables.split(':') {
        let Some((name, value)) = pair.split_once('=') else { continue };
        let number = match value.strip_prefix("0x").or_else(|| value.strip_prefix("0X")) {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => value.parse::<u64>().ok(),
        };
        match name {
            "glibc.malloc.perturb" => perturb = Some(number),
            "glibc.malloc.tcache_count" => tcache_count = Some(number),
            _ => {}
        }
    }
    // perturb is the fill byte, 0 being off; glibc ignores a value out of its range (keeping an
    // earlier one), so such a last value is not read as wiping either.
    matches!(perturb, Some(Some(1..=255))) && matches!(tcache_count, Some(Some(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tunables_the_reexecution_sets_wipe_freed_memory_even_after_the_users_own() {
        assert!(tunables_wipe_freed_memory(GLIBC_WIPE));
        assert!(tunables_wipe_freed_memory(&format!(
            "glibc.malloc.perturb=0:glibc.malloc.tcache_count=7:{GLIBC_WIPE}"
        )));
        assert!(tunables_wipe_freed_memory("glibc.malloc.tcache_count=0x0:glibc.malloc.perturb=0xa5"));
    }

    #[test]
    fn tunables_that_leave_freed_memory_or_the_thread_cache_are_not_wiping() {
        for tunables in [
            "",
            "glibc.malloc.perturb=165",
            "glibc.malloc.tcache_count=0",
            "glibc.malloc.perturb=0:glibc.malloc.tcache_count=0",
            "glibc.malloc.perturb=256:glibc.malloc.tcache_count=0",
            "glibc.malloc.perturb=165:glibc.malloc.tcache_count=1",
            &format!("{GLIBC_WIPE}:glibc.malloc.tcache_count=7"),
            &format!("{GLIBC_WIPE}:glibc.malloc.perturb=0"),
            "glibc.malloc.perturb=lots:glibc.malloc.tcache_count=0",
            "glibc.malloc.perturb=0:glibc.malloc.perturb=300:glibc.malloc.tcache_count=0",
        ] {
            assert!(!tunables_wipe_freed_memory(tunables), "{tunables}");
        }
    }

    #[test]
    fn a_start_with_all_the_settings_already_needs_no_second_one() {
        for lifetime in [Lifetime::LongRunning, Lifetime::OneCommand] {
            let ours = tunables(lifetime);
            assert!(started_with(Some("1"), Some(&ours), &ours));
            assert!(started_with(Some("1"), Some(&format!("glibc.malloc.perturb=0:{ours}:glibc.rtld.nns=2")), &ours));
            assert!(tunables_wipe_freed_memory(&ours));
        }
    }

    #[test]
    fn a_start_missing_or_overriding_a_setting_gets_the_second_one() {
        let ours = tunables(Lifetime::LongRunning);
        assert!(!started_with(None, Some(&ours), &ours));
        assert!(!started_with(Some("0"), Some(&ours), &ours));
        assert!(!started_with(Some("1"), None, &ours));
        assert!(!started_with(Some("1"), Some(GLIBC_WIPE), &ours));
        assert!(!started_with(Some("1"), Some(GLIBC_RETURN_LARGE_CHUNKS), &ours));
        assert!(!started_with(Some("1"), Some(&format!("{ours}:glibc.malloc.perturb=0")), &ours));
        assert!(!started_with(Some("1"), Some(&ours.replace("perturb=165", "perturb=1650")), &ours));
        assert!(!started_with(Some("1"), Some(&ours.replace("glibc.malloc.perturb", "glibc.malloc.perturbx")), &ours));
    }
}
