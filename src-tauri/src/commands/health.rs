//! Health commands: the audit's findings, dismissing one with a reason, and marking a token's
//! scopes reviewed. The audit runs in the core; findings carry metadata and words, never a secret.

use chrono::Utc;
use tauri::State;
use tokenwarden_core::health::{AuditSettings, FindingKind};
use tokenwarden_core::Vault;

use crate::ipc::{FindingView, HealthSummary};
use crate::state::Session;
use crate::IpcError;

/// The audit's thresholds: the warning window is the settings' one, the rest the core's defaults.
fn audit_settings(vault: &Vault) -> tokenwarden_core::Result<AuditSettings> {
    Ok(AuditSettings { warn_days: vault.settings()?.warn_days, ..AuditSettings::default() })
}

/// The open findings, most severe first (dismissed ones stay out until their evidence changes).
#[tauri::command]
pub async fn health_findings(session: State<'_, Session>) -> Result<Vec<FindingView>, IpcError> {
    let findings = session.with_vault(|v| {
        let settings = audit_settings(v)?;
        v.audit(Utc::now(), &settings)
    })?;
    Ok(findings.into_iter().map(FindingView::from).collect())
}

/// The open findings counted by severity (the same audit as `health_findings`).
#[tauri::command]
pub async fn health_summary(session: State<'_, Session>) -> Result<HealthSummary, IpcError> {
    let findings = session.with_vault(|v| {
        let settings = audit_settings(v)?;
        v.audit(Utc::now(), &settings)
    })?;
    Ok(HealthSummary::of(&findings))
}

/// Dismisses one open finding with a reason (recorded in the audit log).
#[tauri::command]
pub async fn health_dismiss(
    session: State<'_, Session>,
    token_id: String,
    kind: FindingKind,
    reason: String,
) -> Result<(), IpcError> {
    session.with_vault(|v| {
        let settings = audit_settings(v)?;
        v.dismiss_finding(&token_id, kind, &reason, Utc::now(), &settings).map(drop)
    })
}

/// Records that a person reviewed the token's scopes; its "review due" finding rests.
#[tauri::command]
pub async fn health_mark_reviewed(session: State<'_, Session>, token_id: String) -> Result<(), IpcError> {
    session.with_vault(|v| v.mark_scopes_reviewed(&token_id, Utc::now()))
}
