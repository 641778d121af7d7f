//! Monitor commands: the open alerts, acknowledging one, and the monitor's status. The checks
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
