//! A faster start for the window process and WebKit's processes: one library named in
//! `LD_PRELOAD`, so the dynamic linker finds most of its symbols at once.
//!
//! WebKitGTK links flite (speech synthesis). One of flite's voices, `libflite_cmu_time_awb.so.1`,
//! binds 31,288 symbols to itself, of the 72,000 symbol lookups each process that loads WebKitGTK
//! makes before `main`. Each lookup walks the process's search list from the executable down to the
//! library that defines the symbol, and this one comes about sixtieth. Preloaded, it comes second,
//! right after the executable. Nothing new is loaded: WebKitGTK needs the library anyway; only the
//! order changes. Measured with `perf stat` on the release build (two cores, medians of 11): the
//! window process's start up to GTK went from 68 to 46 ms of CPU, and WebKit's web and network
//! processes from 53–54 to 43–45 ms each. All three start within the cold start's first 200 ms,
//! so `make bench`'s first contentful paint came 25–40 ms sooner.
//!
//! The package's desktop entry and the tray start the window with it; a window started any other
//! way sets it for itself and its WebKit processes first thing in `main` (`set_for_children`). A
//! process that does not load WebKit gains nothing from it and would load the library for nothing,
//! so the tray and the browser the app opens are started without it (`remove_from`). A person's own
//! `LD_PRELOAD` is left as it is.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `LD_PRELOAD` a window process starts with (a library name, found as the dynamic linker
/// finds any other). The desktop entry carries the same text (a test holds it to this).
pub const WINDOW_PRELOAD: &str = "libflite_cmu_time_awb.so.1";

const VARIABLE: &str = "LD_PRELOAD";

/// `WINDOW_PRELOAD` when the library is installed (in the system's library directory, the one
/// this process's libc came from); `None` elsewhere, where naming it would only have the dynamic
/// linker complain on every start.
pub fn window_preload() -> Option<&'static str> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    let dir = library_dir(&maps)?;
    dir.join(WINDOW_PRELOAD).is_file().then_some(WINDOW_PRELOAD)
}

/// The directory of the libc mapped in a process, from its `/proc/PID/maps` text.
fn library_dir(maps: &str) -> Option<PathBuf> {
    maps.lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .map(Path::new)
        .find(|path| path.file_name() == Some(OsStr::new("libc.so.6")))
        .and_then(|path| path.parent().map(Path::to_path_buf))
}

/// Whether an `LD_PRELOAD` value is the window's own (and not something a person set).
pub fn is_window_preload(value: &OsStr) -> bool {
    value == OsStr::new(WINDOW_PRELOAD)
}

/// For the window process, first thing in `main` while it runs one thread (changing the
/// environment is not safe once others run): sets `LD_PRELOAD` when nothing set it, so WebKit's
/// processes (and a re-execution of this one) start with it. Returns whether it set it.
pub fn set_for_children() -> bool {
    if std::env::var_os(VARIABLE).is_some_and(|value| !value.is_empty()) {
        return false;
    }
    match window_preload() {
        Some(preload) => {
            std::env::set_var(VARIABLE, preload);
            true
        }
        None => false,
    }
}

/// Sets the window's preload on a command that starts a window process (the tray's "Open"),
/// unless it already has one of some kind.
pub fn add_to(command: &mut Command) -> &mut Command {
    if std::env::var_os(VARIABLE).is_none() {
        if let Some(preload) = window_preload() {
            command.env(VARIABLE, preload);
        }
    }
    command
}

/// Takes the window's preload off a command that starts something other than a window (the tray
/// process, a browser), when this process has it; a person's own `LD_PRELOAD` is passed on.
pub fn remove_from(command: &mut Command) -> &mut Command {
    remove_if_ours(command, std::env::var_os(VARIABLE).as_deref())
}

fn remove_if_ours<'c>(command: &'c mut Command, current: Option<&OsStr>) -> &'c mut Command {
    if current.is_some_and(is_window_preload) {
        command.env_remove(VARIABLE);
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPS: &str = "\
5581c7a00000-5581c7a2b000 r--p 00000000 08:01 1317 /usr/bin/tokenwarden
7f2a1c000000-7f2a1c021000 rw-p 00000000 00:00 0 
7f2a1d228000-7f2a1d24e000 r--p 00000000 08:01 2049 /usr/lib/x86_64-linux-gnu/libc.so.6
7f2a1d24e000-7f2a1d3a3000 r-xp 00026000 08:01 2049 /usr/lib/x86_64-linux-gnu/libc.so.6
7ffd6b5e1000-7ffd6b602000 rw-p 00000000 00:00 0                          [stack]
";

    #[test]
    fn the_library_directory_is_where_libc_was_mapped_from() {
        assert_eq!(library_dir(MAPS), Some(PathBuf::from("/usr/lib/x86_64-linux-gnu")));
        assert_eq!(library_dir("7ffd6b5e1000-7ffd6b602000 rw-p 00000000 00:00 0 [stack]\n"), None);
        let musl = "7f2a1d228000-7f2a1d24e000 r-xp 00000000 08:01 2049 /lib/ld-musl-x86_64.so.1\n";
        assert_eq!(library_dir(musl), None, "no glibc, no preload");
    }

    /// Under `make test` WebKitGTK is installed, and flite with it: the preload is named, and a
    /// process started with it has the library loaded and no complaint from the dynamic linker
    /// (which a name it cannot find gets).
    #[test]
    fn a_process_started_with_the_preload_has_it_loaded_without_a_complaint() {
        let Some(preload) = window_preload() else {
            assert!(
                std::env::var_os("TOKENWARDEN_TEST_SERVICES").is_none(),
                "make test installs WebKitGTK, and {WINDOW_PRELOAD} with it"
            );
            return;
        };
        let maps = |preload: &str| Command::new("cat").arg("/proc/self/maps").env(VARIABLE, preload).output().unwrap();
        let started = maps(preload);
        assert!(started.status.success());
        assert!(started.stderr.is_empty(), "{}", String::from_utf8_lossy(&started.stderr));
        // Mapped under the file the name links to (libflite_cmu_time_awb.so.2.2 on Debian 12).
        let file = std::fs::canonicalize(
            library_dir(&std::fs::read_to_string("/proc/self/maps").unwrap()).unwrap().join(WINDOW_PRELOAD),
        )
        .unwrap();
        assert!(String::from_utf8_lossy(&started.stdout).contains(file.to_str().unwrap()));
        let misnamed = maps("libtokenwarden-no-such-library.so.1");
        assert!(String::from_utf8_lossy(&misnamed.stderr).contains("cannot be preloaded"));
    }

    #[test]
    fn only_the_windows_own_preload_is_taken_off_a_child() {
        let removed = |current: Option<&str>| {
            let mut command = Command::new("true");
            remove_if_ours(&mut command, current.map(OsStr::new));
            command.get_envs().any(|(name, value)| name == VARIABLE && value.is_none())
        };
        assert!(removed(Some(WINDOW_PRELOAD)));
        assert!(!removed(None));
        assert!(!removed(Some("/opt/debug/libshim.so")), "a person's own preload is passed on");
        assert!(!removed(Some(&format!("{WINDOW_PRELOAD}:/opt/debug/libshim.so"))));
    }
}
