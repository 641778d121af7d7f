//! The Tokenwarden desktop app: Tauri glue over tokenwarden-core, kept thin.
//! `build_app` wires managed state and commands onto any Tauri builder, so tests run the same
//! app on `tauri::test::mock_builder()`. Domain logic belongs in the core, not here.

mod clipboard;
pub mod commands;
pub mod error;
pub mod ipc;
pub mod state;

use std::path::PathBuf;
use tauri::{App, Builder, Runtime};

pub use error::IpcError;
pub use state::{Session, VaultDir};

/// Environment variable that overrides the vault directory (shared with the CLI).
pub const VAULT_ENV: &str = "TOKENWARDEN_VAULT";

/// The vault directory: `$TOKENWARDEN_VAULT` if set and non-empty, else the core's default.
pub fn vault_dir_from_env() -> PathBuf {
    std::env::var_os(VAULT_ENV)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(tokenwarden_core::vault::default_dir)
}

/// Every command the UI may call. Keep in sync with `COMMANDS` in build.rs and the capability.
macro_rules! app_commands {
    () => {
        tauri::generate_handler![
            commands::vault::vault_status,
            commands::vault::vault_create,
            commands::vault::vault_unlock,
            commands::vault::vault_unlock_keyring,
            commands::vault::vault_lock,
            commands::vault::keyring_set,
            commands::tokens::tokens_list,
            commands::tokens::token_get,
            commands::tokens::token_add,
            commands::tokens::token_update,
            commands::tokens::token_archive,
            commands::tokens::token_delete,
            commands::tokens::token_reveal,
            commands::tokens::token_copy,
            commands::settings::settings_get,
            commands::settings::settings_save,
            commands::transfer::import_preview,
            commands::transfer::import_apply,
            commands::transfer::import_cancel,
            commands::transfer::export_file,
        ]
    };
}

/// Event sent to the UI when the app locks by itself (idle, or hidden too long).
pub const LOCKED_EVENT: &str = "vault-locked";

/// Builds the app on `builder` (the real runtime in main, the mock runtime in tests) for the
/// vault in `vault_dir`. The caller runs it.
pub fn build_app<R: Runtime>(builder: Builder<R>, vault_dir: PathBuf) -> tauri::Result<App<R>> {
    builder
        .manage(VaultDir(vault_dir))
        .manage(Session::default())
        .invoke_handler(app_commands!())
        .setup(|app| {
            watch_idle(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
}

/// Locks the vault once nothing has used it for the auto-lock time — whether the window is idle,
/// hidden or minimised, no command arrives then — and tells the UI to drop what it shows.
fn watch_idle<R: Runtime>(app: tauri::AppHandle<R>) {
    use tauri::{Emitter, Manager};
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(5));
        if app.state::<Session>().lock_if_idle(std::time::Instant::now()) {
            let _ = app.emit(LOCKED_EVENT, ());
        }
    });
}
