//! The disk scan. Folders are chosen in Rust through the native dialog and known to the UI only
//! by an opaque handle; the walk runs on a blocking worker thread (never the UI thread), borrows
//! the vault from the session per candidate, and reports progress as events. The findings (with
//! the unknown secrets, zeroizing) wait in the session until applied, a new scan, or lock.

use chrono::Utc;
use std::path::PathBuf;
use std::time::Instant;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tokenwarden_core::scan::{self, Applied, ScanOptions, ScanStats, Selection};
use tokenwarden_core::Error;

use crate::commands::transfer::{chosen, dialog};
use crate::ipc::{PickedFile, ScanApplyRequest, ScanCounts, ScanProgress, ScanRequest, ScanResults};
use crate::state::{display_name, PickPurpose, Session};
use crate::{IpcError, ReminderTrigger};

/// Event sent while a scan runs: `{ files, bytes, elapsed_ms }`.
pub const SCAN_PROGRESS_EVENT: &str = "scan-progress";

/// Opens the native "choose a folder" dialog; `null` when the user cancels it.
#[tauri::command]
pub async fn scan_pick<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
) -> Result<Option<PickedFile>, IpcError> {
    if !session.is_unlocked() {
        return Err(Error::Locked.into());
    }
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let mut builder = dialog(&app)?.set_title("Choose a folder to scan");
    // GTK's folder chooser otherwise opens on "Recent", where a typed path is not taken.
    if let Ok(home) = app.path().home_dir() {
        builder = builder.set_directory(home);
    }
    builder.pick_folder(move |picked| {
        let _ = tx.send(picked);
    });
    let picked = rx.recv().map_err(|_| Error::InvalidInput {
        field: "folder".to_owned(),
        problem: "the folder dialog closed without an answer; try again".to_owned(),
    })?;
    let Some(path) = chosen(picked)? else { return Ok(None) };
    let name = display_name(&path);
    Ok(Some(PickedFile { handle: session.remember_pick(path, PickPurpose::Scan), name }))
}

/// Scans the usual config files and/or the chosen folders, and answers with the findings once
/// the walk is done (or cancelled: then nothing is kept).
#[tauri::command]
pub async fn scan_start<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    request: ScanRequest,
) -> Result<ScanResults, IpcError> {
    let mut roots: Vec<PathBuf> = Vec::new();
    for handle in &request.folders {
        roots.push(session.picked(handle, PickPurpose::Scan)?);
    }
    if request.home {
        roots.extend(scan::usual_places());
    }
    let stop = session.begin_scan()?;
    let started = Instant::now();
    let worker = {
        let app = app.clone();
        let stop = stop.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let session = app.state::<Session>();
            let progress = |stats: &ScanStats| {
                let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                let _ =
                    app.emit(SCAN_PROGRESS_EVENT, ScanProgress { files: stats.files, bytes: stats.bytes, elapsed_ms });
            };
            // A lock mid-scan ends the matching: the vault is gone, and so are the findings.
            let lend = |matcher: &mut dyn FnMut(&tokenwarden_core::Vault) -> tokenwarden_core::Result<()>| {
                session.peek(|vault| matcher(vault)).unwrap_or(Err(Error::Locked))
            };
            scan::scan(&roots, &ScanOptions::default(), &stop, Utc::now(), lend, progress)
        })
    };
    let outcome = match worker.await {
        Ok(outcome) => outcome,
        Err(_) => Err(Error::Internal("the scan stopped unexpectedly".to_owned())),
    };
    let report = match outcome {
        Ok(report) => report,
        Err(error) => {
            session.end_scan(&stop, None);
            return Err(error.into());
        }
    };
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let s = &report.stats;
    let counts = ScanCounts {
        files: s.files,
        bytes: s.bytes,
        skipped_binary: s.skipped_binary,
        skipped_large: s.skipped_large,
        unreadable: s.unreadable,
        placeholders: s.placeholders,
        elapsed_ms,
    };
    let findings = report.findings.clone();
    if !session.end_scan(&stop, Some(report)) {
        if !session.is_unlocked() {
            return Err(Error::Locked.into());
        }
        return Ok(ScanResults { findings: Vec::new(), counts, cancelled: true });
    }
    Ok(ScanResults { findings, counts, cancelled: false })
}

/// Stops the running scan, if any; its `scan_start` then answers `cancelled`.
#[tauri::command]
pub async fn scan_cancel(session: State<'_, Session>) -> Result<(), IpcError> {
    session.cancel_scan();
    Ok(())
}

/// Links the ticked known findings and imports the ticked unknown ones (all-or-nothing).
#[tauri::command]
pub async fn scan_apply(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    request: ScanApplyRequest,
) -> Result<Applied, IpcError> {
    let selection = Selection { link: request.link, import: request.import };
    let applied = session.apply_scan(&selection, Utc::now())?;
    reminders.poke();
    Ok(applied)
}
