//! The Tokenwarden desktop app: Tauri glue over tokenwarden-core, kept thin.
//! `build_app` wires managed state and commands onto any Tauri builder, so tests run the same
//! app on `tauri::test::mock_builder()`. Domain logic belongs in the core, not here.

pub mod commands;
pub mod error;
pub mod state;

use std::path::PathBuf;
use tauri::{App, Builder, Runtime};

pub use error::IpcError;
pub use state::VaultDir;

/// Environment variable that overrides the vault directory (shared with the CLI).
pub const VAULT_ENV: &str = "TOKENWARDEN_VAULT";

/// The vault directory: `$TOKENWARDEN_VAULT` if set and non-empty, else the core's default.
pub fn vault_dir_from_env() -> PathBuf {
    std::env::var_os(VAULT_ENV)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(tokenwarden_core::vault::default_dir)
}

/// Builds the app on `builder` (the real runtime in main, the mock runtime in tests) for the
/// vault in `vault_dir`. The caller runs it.
pub fn build_app<R: Runtime>(builder: Builder<R>, vault_dir: PathBuf) -> tauri::Result<App<R>> {
    builder
        .manage(VaultDir(vault_dir))
        .invoke_handler(tauri::generate_handler![commands::vault::vault_status])
        .build(tauri::generate_context!())
}
