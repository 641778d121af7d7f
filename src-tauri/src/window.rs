//! The main window's life outside the UI: closing it to the tray destroys it (and its webview's
//! WebKit processes); the tray and notifications create it again from tauri.conf.json.

use serde::Serialize;
use std::sync::Mutex;
use tauri::{AppHandle, Emitter, Manager, Runtime, State, WebviewWindowBuilder};

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
