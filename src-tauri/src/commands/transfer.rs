//! Import and export commands. The file is read and parsed outside the session lock; the plan
//! waits in the session (dropped on lock) until the user applies or cancels it.

use chrono::Utc;
use std::path::PathBuf;
use tauri::{AppHandle, Emitter, Runtime, State};
use tokenwarden_core::transfer::{self, ExportOptions, Input, ReadOptions};
use tokenwarden_core::{files, Error};

use crate::ipc::{ExportRequest, ExportResult, ImportPreview, ImportProgress, ImportRequest};
use crate::state::Session;
use crate::{IpcError, ReminderTrigger};

/// Event sent while an import is written: `{ done, total }`.
pub const IMPORT_PROGRESS_EVENT: &str = "import-progress";

#[tauri::command]
pub async fn import_preview(session: State<'_, Session>, request: ImportRequest) -> Result<ImportPreview, IpcError> {
    if !session.is_unlocked() {
        return Err(Error::Locked.into());
    }
    let path = PathBuf::from(request.path.trim());
    let bytes = transfer::read_file(&path)?;
    let name = path.display().to_string();
    let options = ReadOptions {
        passphrase: request.passphrase,
        columns: request.columns.into_iter().map(|c| (c.header, c.field)).collect(),
    };
    let batch = transfer::read(&Input { name: &name, bytes: &bytes }, request.format, &options)?;
    let plan = session.with_vault(|v| v.plan_import(&name, batch, request.on_duplicate))?;
    let preview = ImportPreview {
        file: plan.file.clone(),
        format: plan.format,
        rows: plan.rows.clone(),
        columns: plan.columns.clone(),
        summary: plan.summary(),
    };
    session.set_pending_import(Some(plan));
    Ok(preview)
}

#[tauri::command]
pub async fn import_apply<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
) -> Result<transfer::ImportSummary, IpcError> {
    let mut progress = |done: usize, total: usize| {
        let _ = app.emit(IMPORT_PROGRESS_EVENT, ImportProgress { done, total });
    };
    let summary = session.apply_pending_import(Utc::now(), &mut progress)?;
    reminders.poke();
    Ok(summary)
}

#[tauri::command]
pub async fn import_cancel(session: State<'_, Session>) -> Result<(), IpcError> {
    session.set_pending_import(None);
    Ok(())
}

#[tauri::command]
pub async fn export_file(session: State<'_, Session>, request: ExportRequest) -> Result<ExportResult, IpcError> {
    let path = PathBuf::from(request.path.trim());
    if path.as_os_str().is_empty() {
        return Err(Error::InvalidInput {
            field: "path".to_owned(),
            problem: "say where to save the export".to_owned(),
        }
        .into());
    }
    if path.exists() && !request.overwrite {
        return Err(Error::InvalidInput {
            field: "path".to_owned(),
            problem: format!("{} already exists; tick \"Replace the file\" to overwrite it", path.display()),
        }
        .into());
    }
    let options = ExportOptions {
        format: request.format,
        include_secrets: request.include_secrets,
        passphrase: request.passphrase,
        armor: request.armor,
        work_factor: None,
    };
    let exported = session.with_vault(|v| v.export(&options, Utc::now()))?;
    files::write_atomic(&path, &exported.bytes, request.overwrite)?;
    Ok(ExportResult { path: path.display().to_string(), tokens: exported.tokens, with_secrets: exported.with_secrets })
}
