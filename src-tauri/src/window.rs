//! The main window's life outside the UI: closing it to the tray destroys it (and its webview's
//! WebKit processes); the tray and notifications create it again from tauri.conf.json.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewWindowBuilder};

pub const MAIN: &str = "main";

/// Event asking the UI to show a token: `{ id, rotate }` (from the tray or a notification).
pub const OPEN_TOKEN_EVENT: &str = "open-token";

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct OpenToken {
    pub id: String,
    /// The user chose "Rotate now": start the rotation flow (once it exists) rather than the detail.
    pub rotate: bool,
}

/// Brings the main window to the front, creating it again if it was closed to the tray.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN).cloned() else { return };
    if let Err(error) = WebviewWindowBuilder::from_config(app, &config).and_then(|b| b.build()) {
        eprintln!("tokenwarden: could not open the window: {error}");
    }
}

/// Opens the window on a token. A window created just now loads its page first and misses the
/// event; it then shows the inventory, where the token is one click away.
pub fn open_token<R: Runtime>(app: &AppHandle<R>, id: &str, rotate: bool) {
    show_main(app);
    let _ = app.emit_to(MAIN, OPEN_TOKEN_EVENT, OpenToken { id: id.to_owned(), rotate });
}
