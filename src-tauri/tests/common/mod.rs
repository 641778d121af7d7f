//! The app on Tauri's mock runtime with its main window, and a way to call its commands as the
//! UI does: the same command table, capability and error mapping, minus the webview.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use tokenwarden_app::state::{PickPurpose, Session};

pub struct Window {
    _app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

pub fn open() -> Window {
    // Cheap Argon2id for the test vault (the app warns on stderr when this is set).
    std::env::set_var("TOKENWARDEN_KDF", "fast");
    let dir = tempfile::tempdir().unwrap();
    let app = tokenwarden_app::build_app(mock_builder(), dir.path().join("vault")).unwrap();
    let config = app.config().app.windows.first().unwrap().clone();
    let window = WebviewWindowBuilder::from_config(&app, &config).unwrap().build().unwrap();
    Window { _app: app, window, _dir: dir }
}

impl Window {
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        call_on(&self.window, cmd, args)
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// What the native dialog does when the user chooses `path`: the session keeps the path and
    /// hands out an opaque handle (the mock runtime has no dialog to click through).
    pub fn pick(&self, path: &std::path::Path, purpose: PickPurpose) -> String {
        self.window.state::<Session>().remember_pick(path.to_owned(), purpose)
    }

    /// The vault directory this app was opened on.
    pub fn vault_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("vault")
    }
}

/// Calls a command through `window`; a clone of the window lets another thread call too.
pub fn call_on(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}
