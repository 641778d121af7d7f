//! Locking leaves no secret and no password in the app's memory.
//!
//! - The window's web content process held every secret typed or revealed and the vault password
//!   (DOM nodes, JS strings, and freed memory the JS heap does not wipe). Locking closes the window,
//!   which ends that process, and opens a new one on the lock screen, in a fresh process.
//! - The app process and its WebKit children start with allocators that wipe what they free:
//!   `Malloc=1` makes WebKit's own allocator (bmalloc/libpas) use the system one, and glibc's
//!   `perturb` tunable fills every freed chunk (with the per-thread cache off, as cached chunks are
//!   not perturbed). So the copies that serde, Tauri and WebKit made of an IPC message and freed
//!   without wiping are gone once freed. Measured by the e2e step "after Lock no process…".

use std::sync::atomic::{AtomicBool, Ordering};
use tauri::{AppHandle, Manager, RunEvent, Runtime, WindowEvent};

use crate::window::{show_main, MAIN};

/// Re-executes the app once with allocators that wipe what they free (the core's, shared with the
/// CLI; it also lets the vault's database leave SQLCipher's per-allocation locking off). Call first
/// thing in `main`, before any thread starts and before `harden`.
pub fn reexec_with_wiping_allocators() -> Result<(), String> {
    use tokenwarden_core::wiping_allocator::{reexec_with_wiping_allocators, Lifetime};
    reexec_with_wiping_allocators(Lifetime::LongRunning)
}

/// Set while the window closed by a lock is to be opened again.
#[derive(Default)]
pub struct ReopenAfterLock(AtomicBool);

/// Closes the main window, ending its web content process, and opens it again once it is gone
/// (see `on_run_event`). Called on every lock path (the Lock command, the tray, auto-lock);
/// without a window there is nothing to end.
pub fn forget_web_content<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window(MAIN) else { return };
    let reopen = &app.state::<ReopenAfterLock>().0;
    reopen.store(true, Ordering::SeqCst);
    if let Err(error) = window.destroy() {
        reopen.store(false, Ordering::SeqCst);
        eprintln!("tokenwarden: could not close the window after locking: {error}");
    }
}

/// For `App::run`: opens the window again once the one a lock closed is gone. Returns whether
/// the app must not exit now (the last window closed only to be opened again).
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: &RunEvent) -> bool {
    let reopen = app.state::<ReopenAfterLock>().0.load(Ordering::SeqCst);
    match event {
        RunEvent::WindowEvent { label, event: WindowEvent::Destroyed, .. } if label == MAIN && reopen => {
            // After this event is handled (the runtime forgets the window and asks whether to
            // exit, which the flag refuses): from another thread, the task is queued, not run now.
            let app = app.clone();
            std::thread::spawn(move || {
                let handle = app.clone();
                let _ = app.run_on_main_thread(move || {
                    show_main(&handle);
                    handle.state::<ReopenAfterLock>().0.store(false, Ordering::SeqCst);
                });
            });
            false
        }
        RunEvent::ExitRequested { code: None, .. } => reopen,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use tokenwarden_core::wiping_allocator::{tunables, Lifetime};

    /// The package's desktop entry (the `.deb`'s template) starts the window with the settings the
    /// re-execution would give it, so a start from the applications menu loads GTK and WebKit once,
    /// and with the library order that links it and WebKit's processes faster.
    #[test]
    fn the_desktop_entry_starts_the_window_with_its_allocator_settings() {
        let entry = include_str!("../tokenwarden.desktop");
        let exec = entry.lines().find_map(|line| line.strip_prefix("Exec=")).unwrap();
        let words: Vec<&str> = exec.split(' ').collect();
        let tunables_now = format!("GLIBC_TUNABLES={}", tunables(Lifetime::LongRunning));
        let preload = format!("LD_PRELOAD={}", tokenwarden_core::window_preload::WINDOW_PRELOAD);
        assert_eq!(words, ["env", "Malloc=1", tunables_now.as_str(), preload.as_str(), "{{exec}}"], "{exec}");
    }
}
