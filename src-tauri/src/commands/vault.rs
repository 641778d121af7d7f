//! Vault commands: what the UI may learn about the vault. `vault_status` reads only the key-slot
//! file's public header (existence, keyring slot, KDF cost); it never unlocks anything.

use tauri::State;
use tokenwarden_core::vault::VaultStatus;

use crate::{IpcError, VaultDir};

#[tauri::command]
pub fn vault_status(vault: State<'_, VaultDir>) -> Result<VaultStatus, IpcError> {
    Ok(VaultStatus::probe(&vault.0)?)
}
