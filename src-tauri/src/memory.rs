//! Giving the web process's freed memory back once the page is done with it.
//!
//! An unlock of 10,000 tokens leaves the web process 50 MiB larger, about half of it chunks the
//! page has already freed: glibc returns only the top of its heap to the kernel, and WebKit trims
//! the rest only under memory pressure, which a desktop with free memory never reports. So the
//! window loads a small web process extension (`webext/release_memory.c`, built by build.rs and
//! embedded here) that answers one message, [`RELEASE_MEMORY`]: a full garbage collection, then
//! `malloc_trim(0)`, then the process's resident size before and after. The page asks through
//! [`memory_release`] once its unlocked screen has painted (`make bench` reads the difference).
//!
//! WebKit loads extensions from a directory, so each window gets a fresh private one (0700, a
//! random name, in `$XDG_RUNTIME_DIR` when there is one) holding just this file. The web process
//! loads it before it loads the page; once the page has loaded the directory is removed, so
//! nothing is left behind. Without the extension (the directory could not be written, or a web
//! process WebKit restarted after a crash) the page simply keeps its memory: [`memory_release`]
//! answers `None`.

use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use tauri::Runtime;

use crate::IpcError;

/// The user message the extension answers (the same name in release_memory.c).
pub const RELEASE_MEMORY: &str = "tokenwarden:release-memory";

/// The extension, as build.rs compiled it.
const EXTENSION: &[u8] = include_bytes!(env!("TOKENWARDEN_WEBEXT"));
const EXTENSION_FILE: &str = "libtokenwarden-webext.so";

/// What one release did to the web process: its resident size (VmRSS) before and after, in KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct MemoryReleased {
    pub resident_before_kib: u64,
    pub resident_after_kib: u64,
}

/// The private directory holding the extension for a window being built, until its page loads.
#[derive(Default)]
pub struct ExtensionDir(Mutex<Option<tempfile::TempDir>>);

impl ExtensionDir {
    /// A fresh directory with the extension in it, for the window about to be built; `None` (and a
    /// line on stderr) when it cannot be written: the window then works without it.
    pub fn prepare(&self) -> Option<PathBuf> {
        match write_extension() {
            Ok(dir) => {
                let path = dir.path().to_owned();
                // A directory still here from a window that never loaded its page goes now.
                *self.slot() = Some(dir);
                Some(path)
            }
            Err(error) => {
                eprintln!("tokenwarden: the window will keep the memory its page frees: {error}");
                None
            }
        }
    }

    /// The page has loaded, so its web process has loaded the extension: the directory goes.
    pub fn page_loaded(&self) {
        self.slot().take();
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<tempfile::TempDir>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn write_extension() -> std::io::Result<tempfile::TempDir> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let parent = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute() && dir.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    // A random name, made 0700 as it is created (tempfile's default mode would be 0777 less the umask).
    let dir = tempfile::Builder::new()
        .prefix("tokenwarden-webext-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .tempdir_in(parent)?;
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(dir.path().join(EXTENSION_FILE))?;
    file.write_all(EXTENSION)?;
    file.sync_all()?;
    Ok(dir)
}

/// Asks the calling window's web process to collect its garbage and hand its free pages back;
/// answers with its resident size before and after, or `None` where the extension is not loaded.
#[tauri::command]
pub async fn memory_release<R: Runtime>(webview: tauri::Webview<R>) -> Result<Option<MemoryReleased>, IpcError> {
    let (answer, mut answered) = tauri::async_runtime::channel::<Option<MemoryReleased>>(1);
    let asked = webview.with_webview(move |platform| ask_web_process(platform, answer));
    if asked.is_err() {
        return Ok(None);
    }
    Ok(answered.recv().await.flatten())
}

/// Sends the message on the main thread (where `with_webview` runs); the answer comes back on it.
#[cfg(target_os = "linux")]
fn ask_web_process(
    platform: tauri::webview::PlatformWebview,
    answer: tauri::async_runtime::Sender<Option<MemoryReleased>>,
) {
    use webkit2gtk::{UserMessage, UserMessageExt, WebViewExt};
    let message = UserMessage::new(RELEASE_MEMORY, None);
    platform.inner().send_message_to_page(&message, None::<&webkit2gtk::gio::Cancellable>, move |reply| {
        let released = reply.ok().and_then(|reply| reply.parameters()).and_then(|p| p.get::<(u64, u64)>()).map(
            |(resident_before_kib, resident_after_kib)| MemoryReleased { resident_before_kib, resident_after_kib },
        );
        let _ = answer.try_send(released);
    });
}

#[cfg(not(target_os = "linux"))]
fn ask_web_process(_: tauri::webview::PlatformWebview, answer: tauri::async_runtime::Sender<Option<MemoryReleased>>) {
    let _ = answer.try_send(None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_directory_is_private_holds_the_extension_and_goes_once_the_page_has_loaded() {
        use std::os::unix::fs::PermissionsExt;
        let dirs = ExtensionDir::default();
        let dir = dirs.prepare().expect("a directory");
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", dir.display());
        assert_eq!(std::fs::read(dir.join(EXTENSION_FILE)).unwrap(), EXTENSION);
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [EXTENSION_FILE], "WebKit loads every module in it: nothing else may be there");
        // A second window gets a directory of its own; the first one's goes with it.
        let second = dirs.prepare().expect("a second directory");
        assert_ne!(second, dir);
        assert!(!dir.exists());
        dirs.page_loaded();
        assert!(!second.exists());
    }

    #[test]
    fn the_embedded_extension_is_a_shared_object_that_exports_its_entry_point() {
        assert_eq!(&EXTENSION[..4], b"\x7fELF");
        let entry = b"webkit_web_extension_initialize";
        assert!(EXTENSION.windows(entry.len()).any(|w| w == entry), "WebKit calls this symbol to start it");
    }
}
