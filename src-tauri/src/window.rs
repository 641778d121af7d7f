//! The main window's life outside the UI: it is built from tauri.conf.json, brought to the front
//! or onto a token when the tray or a notification asks; closing it ends the window process.

use serde::Serialize;
use std::sync::Mutex;
use tauri::webview::NewWindowResponse;
use tauri::{AppHandle, Emitter, Manager, Runtime, State, Url, WebviewWindowBuilder};

use crate::IpcError;

pub const MAIN: &str = "main";

/// Event asking the UI to show a token: `{ id, rotate }` (from the tray or a notification).
pub const OPEN_TOKEN_EVENT: &str = "open-token";

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct OpenToken {
    pub id: String,
    /// The user chose "Rotate now": start the rotation flow (once it exists) rather than the detail.
    pub rotate: bool,
}

/// Brings the main window to the front, creating it when there is none (at start, after a lock).
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN).cloned() else { return };
    let extension = app.state::<crate::memory::ExtensionDir>().prepare();
    let built = WebviewWindowBuilder::from_config(app, &config).and_then(|builder| {
        let builder = match extension {
            Some(dir) => builder.extensions_path(dir),
            None => builder,
        };
        // Built hidden where its first draw is held until the page has loaded (see first_draw).
        builder
            .visible(!cfg!(target_os = "linux"))
            .on_navigation(|url| {
                let allowed = is_own_origin(url, cfg!(debug_assertions));
                if !allowed {
                    eprintln!("tokenwarden: refused navigation to {}", printable(url));
                }
                allowed
            })
            .on_new_window(|url, _features| {
                eprintln!("tokenwarden: refused a new window for {}", printable(&url));
                NewWindowResponse::Deny
            })
            .build()
    });
    match built {
        #[cfg(target_os = "linux")]
        Ok(window) => crate::first_draw::hold_then_show(&window),
        #[cfg(not(target_os = "linux"))]
        Ok(_) => {}
        Err(error) => eprintln!("tokenwarden: could not open the window: {error}"),
    }
}

/// Whether `url` is the app's own page: the bundled UI (`tauri://localhost`, or
/// `http://tauri.localhost` where the platform serves it over HTTP), and in debug builds the Vite
/// dev server. Everything else — another site, a `file:` or `data:` URL — is refused, so script
/// injected into the page cannot take the window (and its IPC) somewhere else.
pub fn is_own_origin(url: &Url, debug_build: bool) -> bool {
    let origin = (url.scheme(), url.host_str(), url.port_or_known_default());
    matches!(origin, ("tauri", Some("localhost"), None) | ("http", Some("tauri.localhost"), Some(80)))
        || (debug_build && origin == ("http", Some("127.0.0.1"), Some(1420)))
}

/// A refused address for the log: scheme, host and path only (a query could carry anything).
fn printable(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string().chars().filter(|c| !c.is_control()).take(200).collect()
}

/// The token the tray or a notification asked to show, kept until the UI takes it: a window
/// created just now loads its page after the event was sent, and a locked vault must be unlocked
/// first. The event only says "look"; `open_request_take` hands the request over once.
#[derive(Default)]
pub struct OpenRequest(Mutex<Option<OpenToken>>);

impl OpenRequest {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<OpenToken>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Opens the window on a token (from the tray or a notification).
pub fn open_token<R: Runtime>(app: &AppHandle<R>, id: &str, rotate: bool) {
    let request = OpenToken { id: id.to_owned(), rotate };
    *app.state::<OpenRequest>().slot() = Some(request.clone());
    show_main(app);
    let _ = app.emit_to(MAIN, OPEN_TOKEN_EVENT, request);
}

/// The pending request to show a token, if any; taking it clears it.
#[tauri::command]
pub async fn open_request_take(request: State<'_, OpenRequest>) -> Result<Option<OpenToken>, IpcError> {
    Ok(request.slot().take())
}

#[cfg(test)]
mod tests {
    use super::is_own_origin;
    use tauri::Url;

    fn own(url: &str, debug_build: bool) -> bool {
        is_own_origin(&Url::parse(url).unwrap(), debug_build)
    }

    #[test]
    fn only_the_apps_own_pages_may_be_navigated_to() {
        assert!(own("tauri://localhost/", false));
        assert!(own("tauri://localhost/index.html#/settings", false));
        assert!(own("http://tauri.localhost/", false));
        assert!(own("http://127.0.0.1:1420/", true), "the dev server, in debug builds");
        assert!(!own("http://127.0.0.1:1420/", false), "no dev server in release builds");
        for foreign in [
            "https://example.invalid/",
            "http://localhost/",
            "https://tauri.localhost/",
            "http://tauri.localhost:8080/",
            "tauri://localhost.example.invalid/",
            "http://127.0.0.1:1421/",
            "file:///etc/passwd",
            "data:text/html,hi",
            "about:blank",
        ] {
            assert!(!own(foreign, true), "{foreign} is not the app's own page");
        }
    }
}
