//! Settings commands: read and save the vault's settings (auto-lock, clipboard, thresholds, theme),
//! and starting at login, which lives with the OS (an XDG autostart entry, or the autostart
//! plugin off Linux), not in the vault.

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

/// Whether the tray process starts at login. On a freedesktop desktop that is its XDG autostart
/// entry (`tokenwarden_core::autostart`: the user's own, else the package's system-wide one), or
/// an entry an earlier version wrote through the autostart plugin; elsewhere the plugin's.
#[tauri::command]
pub async fn autostart_get<R: Runtime>(app: AppHandle<R>) -> Result<bool, IpcError> {
    #[cfg(target_os = "linux")]
    if tokenwarden_core::autostart::enabled(&tokenwarden_core::autostart::Places::from_env()) {
        return Ok(true);
    }
    autolaunch(&app)?.is_enabled().map_err(autostart_error)
}

/// Turns starting at login on or off. On a freedesktop desktop the user's entry for the tray
/// decides (it hides the package's one when off), and an entry of an earlier version is removed.
#[tauri::command]
pub async fn autostart_set<R: Runtime>(app: AppHandle<R>, enabled: bool) -> Result<(), IpcError> {
    let manager = autolaunch(&app)?;
    #[cfg(target_os = "linux")]
    {
        let places = tokenwarden_core::autostart::Places::from_env();
        tokenwarden_core::autostart::set(&places, enabled, &crate::tray_link::tray_bin()).map_err(autostart_error)?;
        return manager.disable().map_err(autostart_error);
    }
    #[allow(unreachable_code)]
    if enabled { manager.enable() } else { manager.disable() }.map_err(autostart_error)
}
