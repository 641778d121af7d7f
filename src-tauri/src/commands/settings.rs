//! Settings commands: read and save the vault's settings (auto-lock, clipboard, thresholds, theme),
//! and starting at login, which lives with the OS (the autostart plugin), not in the vault.

use chrono::Utc;
use tauri::{AppHandle, Manager, Runtime, State};
use tokenwarden_core::settings::Settings;
use tokenwarden_core::ErrorCode;

use crate::state::Session;
use crate::{IpcError, ReminderTrigger};

#[tauri::command]
pub async fn settings_get(session: State<'_, Session>) -> Result<Settings, IpcError> {
    session.with_vault(|v| v.settings())
}

#[tauri::command]
pub async fn settings_save(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    settings: Settings,
) -> Result<(), IpcError> {
    session.with_vault(|v| v.save_settings(&settings, Utc::now()))?;
    session.set_auto_lock(settings.auto_lock_secs);
    reminders.poke();
    Ok(())
}

fn autostart_error(detail: impl std::fmt::Display) -> IpcError {
    IpcError { code: ErrorCode::Internal, message: format!("starting at login could not be changed: {detail}") }
}

/// The autostart plugin is registered by main only (it writes to the user's session config).
fn autolaunch<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<State<'_, tauri_plugin_autostart::AutoLaunchManager>, IpcError> {
    app.try_state().ok_or_else(|| autostart_error("not available in this build"))
}

/// Whether the app starts (hidden, in the tray) at login.
#[tauri::command]
pub async fn autostart_get<R: Runtime>(app: AppHandle<R>) -> Result<bool, IpcError> {
    autolaunch(&app)?.is_enabled().map_err(autostart_error)
}

#[tauri::command]
pub async fn autostart_set<R: Runtime>(app: AppHandle<R>, enabled: bool) -> Result<(), IpcError> {
    let manager = autolaunch(&app)?;
    if enabled { manager.enable() } else { manager.disable() }.map_err(autostart_error)
}
