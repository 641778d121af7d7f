//! The desktop app's entry point: finds the vault directory and runs the Tauri app.
//! Everything else lives in the library so tests can build the same app on a mock runtime.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    let vault_dir = tokenwarden_app::vault_dir_from_env();
    match tokenwarden_app::build_app(tauri::Builder::default(), vault_dir) {
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
