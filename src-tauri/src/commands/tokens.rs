//! Token commands: list, read, add, edit, its own reminder days, archive, delete, reveal, copy.
//! Only `token_reveal` sends a secret over IPC (an explicit user action); copying is done here in
//! Rust, and the clipboard is cleared after the settings' timeout if it still holds the value.

use chrono::Utc;
use std::time::Duration;
use tauri::State;
use tokenwarden_core::audit_log::EventKind;
use tokenwarden_core::{TokenFilter, TokenSummary};

use crate::ipc::{CopyResult, RevealedSecret, TokenDetail, TokenInput, TokenRow, TokenRowWire, TokenView};
use crate::state::Session;
use crate::{IpcError, ReminderTrigger};

#[tauri::command]
pub async fn tokens_list(session: State<'_, Session>) -> Result<Vec<TokenView>, IpcError> {
    let now = Utc::now();
    let filter = TokenFilter { include_archived: true, ..TokenFilter::default() };
    let tokens = session.with_vault(|v| v.list_tokens(&filter, now))?;
    Ok(tokens.into_iter().map(TokenView::from).collect())
}

/// The inventory's rows, archived ones too: the lean shape the list and the chart need, each
/// row an array (see `TokenRowWire`), so that 10,000 tokens cross IPC quickly at unlock.
#[tauri::command]
pub async fn tokens_rows(session: State<'_, Session>) -> Result<Vec<TokenRowWire>, IpcError> {
    let now = Utc::now();
    let filter = TokenFilter { include_archived: true, ..TokenFilter::default() };
    let tokens = session.with_vault(|v| v.list_tokens(&filter, now))?;
    Ok(tokens.into_iter().map(|t| TokenRowWire::from(TokenRow::from(t))).collect())
}

#[tauri::command]
pub async fn token_get(session: State<'_, Session>, id: String) -> Result<TokenDetail, IpcError> {
    let now = Utc::now();
    session.with_vault(|v| {
        let token = v.token(&id)?;
        Ok(TokenDetail {
            usages: v.usages(&id)?,
            history: v.events(Some(&id), 100)?,
            reminder_days: v.token_reminder_days(&id)?,
            monitored: v.token_monitored(&id)?,
            token: TokenSummary::new(token, now).into(),
        })
    })
}

#[tauri::command]
pub async fn token_add(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    input: TokenInput,
) -> Result<TokenView, IpcError> {
    let now = Utc::now();
    let new = input.into_new(now)?;
    let token = session.with_vault(|v| v.add_token(new, now))?;
    reminders.poke();
    Ok(TokenSummary::new(token, now).into())
}

#[tauri::command]
pub async fn token_update(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    id: String,
    input: TokenInput,
) -> Result<TokenView, IpcError> {
    let now = Utc::now();
    let patch = input.into_patch(now)?;
    let token = session.with_vault(|v| v.update_token(&id, patch, now))?;
    reminders.poke();
    Ok(TokenSummary::new(token, now).into())
}

/// Sets the token's own days-before-expiry reminders (each 1–365, at most 10), or with null makes
/// it follow the vault's again; answers the days as stored (deduplicated, largest first).
#[tauri::command]
pub async fn token_set_reminder_days(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    id: String,
    days: Option<Vec<u32>>,
) -> Result<Option<Vec<u32>>, IpcError> {
    let stored = session.with_vault(|v| {
        v.set_token_reminder_days(&id, days, Utc::now())?;
        v.token_reminder_days(&id)
    })?;
    reminders.poke();
    Ok(stored)
}

#[tauri::command]
pub async fn token_archive(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    id: String,
) -> Result<(), IpcError> {
    session.with_vault(|v| v.archive_token(&id, Utc::now()).map(drop))?;
    reminders.poke();
    Ok(())
}

#[tauri::command]
pub async fn token_delete(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    id: String,
) -> Result<(), IpcError> {
    session.with_vault(|v| v.purge_token(&id, Utc::now()))?;
    reminders.poke();
    Ok(())
}

#[tauri::command]
pub async fn token_reveal(session: State<'_, Session>, id: String) -> Result<RevealedSecret, IpcError> {
    let secret = session.with_vault(|v| v.reveal_secret(&id, EventKind::Revealed, Utc::now()))?;
    Ok(RevealedSecret(secret))
}

#[tauri::command]
pub async fn token_copy(session: State<'_, Session>, id: String) -> Result<CopyResult, IpcError> {
    let (secret, seconds) = session.with_vault(|v| {
        let seconds = v.settings()?.clipboard_clear_secs;
        Ok((v.reveal_secret(&id, EventKind::Copied, Utc::now())?, seconds))
    })?;
    crate::secret_copy::copy_for(secret, Duration::from_secs(u64::from(seconds)), session.clipboard_signal())?;
    Ok(CopyResult { clear_after_secs: seconds })
}
