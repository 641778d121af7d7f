//! The monitor: its alerts and its status, as the Health view and the dashboard show them.

use serde::Serialize;
use ts_rs::TS;

/// An open alert the monitor raised. Holds no secret.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AlertView {
    pub id: String,
    pub token_id: String,
    pub token_name: String,
    /// drift | died | still_in_use | unusual_use
    pub kind: String,
    /// high | medium | low
    pub severity: String,
    /// What was seen, in words.
    pub evidence: String,
    /// RFC 3339, UTC.
    pub raised_at: String,
}

impl From<&tokenwarden_core::monitor::Alert> for AlertView {
    fn from(a: &tokenwarden_core::monitor::Alert) -> Self {
        AlertView {
            id: a.id.clone(),
            token_id: a.token_id.clone(),
            token_name: a.token_name.clone(),
            kind: a.kind.as_str().to_owned(),
            severity: format!("{:?}", a.severity).to_lowercase(),
            evidence: a.evidence.clone(),
            raised_at: tokenwarden_core::timestamp::encode(a.raised_at),
        }
    }
}

/// What the monitor is doing. Times are RFC 3339, UTC.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MonitorStatus {
    pub enabled: bool,
    /// The last pass that checked something.
    pub last_run: Option<String>,
    /// When the next check falls due (none while the monitor is off or nothing can be checked).
    pub next_check: Option<String>,
    pub checked_last_run: u32,
    pub open_alerts: u32,
}

impl From<tokenwarden_core::monitor::MonitorStatus> for MonitorStatus {
    fn from(s: tokenwarden_core::monitor::MonitorStatus) -> Self {
        MonitorStatus {
            enabled: s.enabled,
            last_run: s.last_run.map(tokenwarden_core::timestamp::encode),
            next_check: s.next_check.map(tokenwarden_core::timestamp::encode),
            checked_last_run: s.checked_last_run,
            open_alerts: s.open_alerts,
        }
    }
}
