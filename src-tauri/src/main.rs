//! The desktop app's entry point: finds the vault directory and runs the Tauri app.
//! Everything else lives in the library so tests can build the same app on a mock runtime; the
//! two plugins added here talk to the real desktop (D-Bus, the config dir), so only main has them.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;
use tauri::Manager;

fn main() -> ExitCode {
    let vault_dir = tokenwarden_app::vault_dir_from_env();
    let builder = tauri::Builder::default()
        // Registered first, as the plugin asks: a second launch focuses the first window and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        // Remembers the window's size and position between runs.
        .plugin(tauri_plugin_window_state::Builder::default().build());
    match tokenwarden_app::build_app(builder, vault_dir) {
        Ok(app) => {
            app.run(|_, _| {});
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("tokenwarden: could not start: {error}");
            ExitCode::FAILURE
        }
    }
}
