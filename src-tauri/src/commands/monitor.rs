//! Monitor commands: the open alerts, acknowledging one, the monitor's status, and turning it
//! off or on for the vault or for one token. The checks
//! themselves run in the background loop (`crate::monitor`), never from a command.

use chrono::Utc;
use tauri::State;

use crate::ipc::{AlertView, MonitorStatus};
use crate::state::Session;
use crate::{IpcError, ReminderTrigger};

/// Alerts not yet acknowledged, newest first.
#[tauri::command]
pub async fn alerts_list(session: State<'_, Session>) -> Result<Vec<AlertView>, IpcError> {
    let alerts = session.with_vault(|v| v.open_alerts())?;
    Ok(alerts.iter().map(AlertView::from).collect())
}

/// Acknowledges an alert: it leaves the list, is never notified again, and the tray follows.
#[tauri::command]
pub async fn alert_acknowledge(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    id: String,
) -> Result<(), IpcError> {
    session.with_vault(|v| v.acknowledge_alert(&id, Utc::now()))?;
    reminders.poke();
    Ok(())
}

#[tauri::command]
pub async fn monitor_status(session: State<'_, Session>) -> Result<MonitorStatus, IpcError> {
    Ok(session.with_vault(|v| v.monitor_status())?.into())
}

/// Turns the monitor on or off for the whole vault; answers the status that follows.
#[tauri::command]
pub async fn monitor_set_enabled(session: State<'_, Session>, enabled: bool) -> Result<MonitorStatus, IpcError> {
    let status = session.with_vault(|v| {
        v.set_monitor_enabled(enabled, Utc::now())?;
        v.monitor_status()
    })?;
    Ok(status.into())
}

/// Whether the monitor checks this one token (it does unless told not to).
#[tauri::command]
pub async fn token_set_monitored(session: State<'_, Session>, id: String, monitored: bool) -> Result<(), IpcError> {
    session.with_vault(|v| v.set_token_monitored(&id, monitored, Utc::now()))?;
    Ok(())
}
