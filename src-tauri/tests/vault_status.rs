//! Smoke test of the Tauri glue: the real app (config, capabilities, commands) built on the mock
//! runtime answers `vault_status` through IPC for a vault directory given as managed state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// Opens the window tauri.conf.json declares (the app creates it only when run).
fn main_window(app: &App<MockRuntime>) -> WebviewWindow<MockRuntime> {
    let config = app.config().app.windows.first().expect("tauri.conf.json declares a window");
    assert_eq!(config.label, "main", "capabilities/main-window.json grants to the `main` window");
    WebviewWindowBuilder::from_config(app, config).unwrap().build().unwrap()
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::default(),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn vault_status_reports_an_empty_directory_as_no_vault() {
    let dir = tempfile::tempdir().unwrap();
    let app = tokenwarden_app::build_app(mock_builder(), dir.path().to_owned()).unwrap();

    let status = invoke(&main_window(&app), "vault_status").unwrap();

    assert_eq!(status["exists"], false);
    assert_eq!(status["keyring_slot"], false);
    assert_eq!(status["kdf"], Value::Null);
    assert_eq!(status["dir"], dir.path().to_str().unwrap());
}

#[test]
fn vault_status_maps_a_damaged_key_file_to_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(tokenwarden_core::vault::KEYS_FILE), b"not a key file").unwrap();
    let app = tokenwarden_app::build_app(mock_builder(), dir.path().to_owned()).unwrap();

    let error = invoke(&main_window(&app), "vault_status").unwrap_err();

    assert!(error["code"].is_string(), "error has a code: {error}");
    assert_ne!(error["code"], "internal", "a damaged file is not an internal error: {error}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "error has a message: {error}");
}

#[test]
fn commands_not_registered_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = tokenwarden_app::build_app(mock_builder(), dir.path().to_owned()).unwrap();

    assert!(invoke(&main_window(&app), "unlock_everything").is_err());
}

#[test]
fn vault_status_is_refused_to_a_window_without_the_capability() {
    let dir = tempfile::tempdir().unwrap();
    let app = tokenwarden_app::build_app(mock_builder(), dir.path().to_owned()).unwrap();
    let other = WebviewWindowBuilder::new(&app, "other", Default::default()).build().unwrap();

    let error = invoke(&other, "vault_status").unwrap_err();

    assert!(error.to_string().contains("not allowed"), "refused by the ACL: {error}");
}
