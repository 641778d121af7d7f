//! Settings commands: read and save the vault's settings (auto-lock, clipboard, thresholds, theme).

use chrono::Utc;
use tauri::State;
use tokenwarden_core::settings::Settings;

use crate::state::Session;
use crate::IpcError;

#[tauri::command]
pub async fn settings_get(session: State<'_, Session>) -> Result<Settings, IpcError> {
    session.with_vault(|v| v.settings())
}

#[tauri::command]
pub async fn settings_save(session: State<'_, Session>, settings: Settings) -> Result<(), IpcError> {
    session.with_vault(|v| v.save_settings(&settings, Utc::now()))?;
    session.set_auto_lock(settings.auto_lock_secs);
    Ok(())
}
