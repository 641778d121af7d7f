//! Import and export commands. Files are chosen in Rust through the native dialog and known to
//! the UI only by an opaque handle and a name: the webview can neither name a path nor reach the
//! dialog itself. The file is read and parsed outside the session lock; the plan waits in the
//! session (dropped on lock) until the user applies or cancels it.

use chrono::Utc;
use std::path::PathBuf;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::Dialog;
use tokenwarden_core::transfer::{self, ExportFormat, ExportOptions, Input, ReadOptions};
use tokenwarden_core::{files, Error};

use crate::ipc::{ExportRequest, ExportResult, ImportPreview, ImportProgress, ImportRequest, PickedFile};
use crate::state::{display_name, PickPurpose, Session, VaultDir};
use crate::{IpcError, ReminderTrigger};

/// The native file dialog, or an error where the app runs without one (the tests' mock runtime).
pub(crate) fn dialog<R: Runtime>(app: &AppHandle<R>) -> Result<tauri_plugin_dialog::FileDialogBuilder<R>, IpcError> {
    let dialog = app.try_state::<Dialog<R>>().ok_or_else(|| Error::InvalidInput {
        field: "file".to_owned(),
        problem: "no file dialog is available here".to_owned(),
    })?;
    Ok(dialog.file())
}

/// Shows `dialog` (on the main thread, as GTK needs) and waits for the person's choice. The
/// plugin's own `blocking_*` helpers panic if the dialog goes away unanswered; this says so instead.
fn run_dialog<R: Runtime>(
    dialog: tauri_plugin_dialog::FileDialogBuilder<R>,
    save: bool,
) -> Result<Option<PathBuf>, IpcError> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let answer = move |picked| {
        let _ = tx.send(picked);
    };
    if save {
        dialog.save_file(answer);
    } else {
        dialog.pick_file(answer);
    }
    let picked = rx.recv().map_err(|_| Error::InvalidInput {
        field: "file".to_owned(),
        problem: "the file dialog closed without an answer; try again".to_owned(),
    })?;
    chosen(picked)
}

pub(crate) fn chosen(picked: Option<tauri_plugin_dialog::FilePath>) -> Result<Option<PathBuf>, IpcError> {
    match picked.map(tauri_plugin_dialog::FilePath::into_path) {
        None => Ok(None),
        Some(Ok(path)) => Ok(Some(path)),
        Some(Err(_)) => {
            Err(Error::InvalidInput { field: "file".to_owned(), problem: "choose a file on this computer".to_owned() }
                .into())
        }
    }
}

/// Opens the native "open file" dialog; `null` when the user cancels it.
#[tauri::command]
pub async fn import_pick<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
) -> Result<Option<PickedFile>, IpcError> {
    if !session.is_unlocked() {
        return Err(Error::Locked.into());
    }
    let Some(path) = run_dialog(dialog(&app)?.set_title("Choose a file to import"), false)? else {
        return Ok(None);
    };
    let name = display_name(&path);
    Ok(Some(PickedFile { handle: session.remember_pick(path, PickPurpose::Import), name }))
}

/// Opens the native "save file" dialog; `null` when the user cancels it. A place exports must
/// not go (the vault's folder, a dot-folder of the home) is refused here already.
#[tauri::command]
pub async fn export_pick<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    vault_dir: State<'_, VaultDir>,
    format: ExportFormat,
) -> Result<Option<PickedFile>, IpcError> {
    if !session.is_unlocked() {
        return Err(Error::Locked.into());
    }
    let builder = dialog(&app)?
        .set_title("Save the export as")
        .set_file_name(format!("tokenwarden-export.{}", extension(format)));
    let Some(path) = run_dialog(builder, true)? else { return Ok(None) };
    let target = files::check_export_target(&path, &vault_dir.0)?;
    let name = display_name(&target);
    Ok(Some(PickedFile { handle: session.remember_pick(target, PickPurpose::Export), name }))
}

fn extension(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Backup => "age",
        ExportFormat::Json => "json",
        ExportFormat::Csv => "csv",
        ExportFormat::KeepassxcXml => "xml",
    }
}

/// Event sent while an import is written: `{ done, total }`.
pub const IMPORT_PROGRESS_EVENT: &str = "import-progress";

#[tauri::command]
pub async fn import_preview(session: State<'_, Session>, request: ImportRequest) -> Result<ImportPreview, IpcError> {
    if !session.is_unlocked() {
        return Err(Error::Locked.into());
    }
    let path = session.picked(&request.handle, PickPurpose::Import)?;
    let bytes = transfer::read_file(&path)?;
    let name = display_name(&path);
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
pub async fn export_file(
    session: State<'_, Session>,
    vault_dir: State<'_, VaultDir>,
    request: ExportRequest,
) -> Result<ExportResult, IpcError> {
    let chosen = session.picked(&request.handle, PickPurpose::Export)?;
    // Checked again as the file is written: the folder may have become a symlink since the dialog.
    let path = files::check_export_target(&chosen, &vault_dir.0)?;
    let name = display_name(&path);
    if path.exists() && !request.overwrite {
        return Err(Error::InvalidInput {
            field: "file".to_owned(),
            problem: format!("{name} already exists; tick \"Replace the file\" to overwrite it"),
        }
        .into());
    }
    let plain = request.format.plain_secrets(request.include_secrets);
    let options = ExportOptions {
        format: request.format,
        include_secrets: request.include_secrets,
        passphrase: request.passphrase,
        armor: request.armor,
        work_factor: None,
    };
    let exported = session.with_vault(|v| {
        // Secrets in the clear leave the vault only for someone who knows its password now.
        if plain {
            let password = request.password.as_ref().ok_or_else(|| Error::InvalidInput {
                field: "password".to_owned(),
                problem: "an export with secrets in the clear needs the vault password".to_owned(),
            })?;
            v.confirm_password(password)?;
        }
        v.export(&options, Utc::now())
    })?;
    files::write_atomic(&path, &exported.bytes, request.overwrite)?;
    Ok(ExportResult { name, tokens: exported.tokens, with_secrets: exported.with_secrets })
}
