//! State the app manages for its commands: the vault directory and the unlocked session.
//! The session holds the open `Vault` (keys inside, zeroized when dropped); locking drops it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokenwarden_core::clipboard::ClearSignal;
use tokenwarden_core::scan::{Applied, ScanReport, Selection};
use tokenwarden_core::transfer::ImportPlan;
use tokenwarden_core::{Error, Vault};

use crate::IpcError;

/// The vault directory this app instance works on, fixed at start-up.
#[derive(Debug, Clone)]
pub struct VaultDir(pub PathBuf);

/// What a file was chosen for: a file to read may not be written to, and the other way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickPurpose {
    Import,
    Export,
    /// A folder to scan for tokens lying in plaintext.
    Scan,
}

struct Pick {
    path: PathBuf,
    purpose: PickPurpose,
}

/// The name of a chosen file, for display: never the folder it is in.
pub fn display_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The unlocked vault, if any, and when the user last did something with it.
pub struct Session {
    inner: Mutex<Inner>,
    /// Wakes the copies still holding a secret on the clipboard when the vault locks.
    clipboard: ClearSignal,
}

struct Inner {
    vault: Option<Vault>,
    /// The last previewed import, waiting for the user's go-ahead. Holds secrets, so it is
    /// dropped whenever the vault locks.
    pending_import: Option<ImportPlan>,
    /// Files the user chose in the native dialog, by the opaque handle the UI got back. The UI
    /// never sees or sends a path; the handles die with the session.
    picks: HashMap<String, Pick>,
    /// The running scan's stop flag, if one runs.
    scan_running: Option<Arc<AtomicBool>>,
    /// The last scan's findings, waiting for the user's choice. Holds the unknown secrets
    /// (zeroizing), so it is dropped on lock, by a new scan, and once applied.
    scan_report: Option<ScanReport>,
    last_activity: Instant,
    auto_lock: Duration,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            inner: Mutex::new(Inner {
                vault: None,
                pending_import: None,
                picks: HashMap::new(),
                scan_running: None,
                scan_report: None,
                last_activity: Instant::now(),
                auto_lock: Duration::from_secs(300),
            }),
            clipboard: ClearSignal::default(),
        }
    }
}

impl Session {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves at worst a stale session; locking still works.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the unlocked vault, counting it as activity. `locked` when there is none.
    pub fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> tokenwarden_core::Result<T>) -> Result<T, IpcError> {
        let mut inner = self.inner();
        inner.last_activity = Instant::now();
        let vault = inner.vault.as_mut().ok_or(Error::Locked)?;
        Ok(f(vault)?)
    }

    /// Replaces the unlocked vault with what `f` makes of it (a re-key consumes the vault and
    /// returns it under its new key). When `f` fails the vault is gone: the session is locked.
    pub fn replace_vault(&self, f: impl FnOnce(Vault) -> tokenwarden_core::Result<Vault>) -> Result<(), IpcError> {
        let mut inner = self.inner();
        inner.last_activity = Instant::now();
        let vault = inner.vault.take().ok_or(Error::Locked)?;
        inner.vault = Some(f(vault)?);
        Ok(())
    }

    /// Runs `f` on the unlocked vault without counting as activity (background readers such as
    /// the reminders loop must not hold off auto-lock). `None` when locked.
    pub fn peek<T>(&self, f: impl FnOnce(&Vault) -> T) -> Option<T> {
        self.inner().vault.as_ref().map(f)
    }

    /// As `peek`, with the vault writable: for background work (the monitor recording its
    /// checks) that must not hold off auto-lock either. `None` when locked.
    pub fn peek_mut<T>(&self, f: impl FnOnce(&mut Vault) -> T) -> Option<T> {
        self.inner().vault.as_mut().map(f)
    }

    pub fn open(&self, vault: Vault) {
        let auto_lock = vault.settings().map(|s| s.auto_lock_secs).unwrap_or(300);
        let mut inner = self.inner();
        inner.vault = Some(vault);
        inner.last_activity = Instant::now();
        inner.auto_lock = Duration::from_secs(u64::from(auto_lock));
    }

    pub fn set_auto_lock(&self, secs: u32) {
        self.inner().auto_lock = Duration::from_secs(u64::from(secs));
    }

    pub fn is_unlocked(&self) -> bool {
        self.inner().vault.is_some()
    }

    /// Drops the vault (and with it every key), and clears the clipboard if it still holds a
    /// secret we copied. Every way to lock (Lock, Ctrl+L, the tray, idle) comes here or to
    /// `lock_if_idle`. Returns whether it was unlocked.
    pub fn lock(&self) -> bool {
        let mut inner = self.inner();
        inner.forget();
        self.clipboard.clear_now();
        inner.vault.take().is_some()
    }

    /// What a copy to the clipboard listens to, so locking clears it early.
    pub fn clipboard_signal(&self) -> &ClearSignal {
        &self.clipboard
    }

    /// Keeps a file the user chose for `purpose` and returns the handle the UI may refer to it by.
    pub fn remember_pick(&self, path: PathBuf, purpose: PickPurpose) -> String {
        let handle: String =
            tokenwarden_core::crypto::random_bytes::<16>().iter().map(|b| format!("{b:02x}")).collect();
        self.inner().picks.insert(handle.clone(), Pick { path, purpose });
        handle
    }

    /// The file behind `handle`, if it was chosen for `purpose` in this session.
    pub fn picked(&self, handle: &str, purpose: PickPurpose) -> Result<PathBuf, IpcError> {
        match self.inner().picks.get(handle) {
            Some(pick) if pick.purpose == purpose => Ok(pick.path.clone()),
            _ => Err(Error::InvalidInput {
                field: "file".to_owned(),
                problem: "that file choice is no longer valid (the vault locked since): choose the file again"
                    .to_owned(),
            }
            .into()),
        }
    }

    /// Keeps a previewed import until it is applied or cancelled (a newer preview replaces it).
    pub fn set_pending_import(&self, plan: Option<ImportPlan>) {
        self.inner().pending_import = plan;
    }

    /// Applies the pending import to the unlocked vault, in one transaction.
    pub fn apply_pending_import(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<tokenwarden_core::transfer::ImportSummary, IpcError> {
        let mut inner = self.inner();
        inner.last_activity = Instant::now();
        let plan = inner.pending_import.take().ok_or_else(|| tokenwarden_core::Error::InvalidInput {
            field: "import".to_owned(),
            problem: "nothing to import: preview a file first".to_owned(),
        })?;
        let vault = inner.vault.as_mut().ok_or(Error::Locked)?;
        Ok(vault.apply_import(plan, now, progress)?)
    }

    /// Starts a scan: drops the last scan's findings and hands out the stop flag of the new one.
    /// Refused while another scan runs.
    pub fn begin_scan(&self) -> Result<Arc<AtomicBool>, IpcError> {
        let mut inner = self.inner();
        if inner.vault.is_none() {
            return Err(Error::Locked.into());
        }
        if inner.scan_running.is_some() {
            return Err(Error::InvalidInput {
                field: "scan".to_owned(),
                problem: "a scan is already running: wait for it or cancel it".to_owned(),
            }
            .into());
        }
        inner.last_activity = Instant::now();
        inner.scan_report = None;
        let stop = Arc::new(AtomicBool::new(false));
        inner.scan_running = Some(Arc::clone(&stop));
        Ok(stop)
    }

    /// Asks the running scan to stop (its findings are then dropped).
    pub fn cancel_scan(&self) {
        if let Some(stop) = &self.inner().scan_running {
            stop.store(true, Ordering::SeqCst);
        }
    }

    /// Ends the scan that `stop` belongs to, keeping `report` for [`Session::apply_scan`] unless
    /// the scan was stopped, or the vault locked (or another scan began) since it started.
    /// Returns whether it was kept.
    pub fn end_scan(&self, stop: &Arc<AtomicBool>, report: Option<ScanReport>) -> bool {
        let mut inner = self.inner();
        let current = inner.scan_running.as_ref().is_some_and(|s| Arc::ptr_eq(s, stop));
        if !current {
            return false;
        }
        inner.scan_running = None;
        let keep = inner.vault.is_some() && !stop.load(Ordering::SeqCst);
        inner.scan_report = if keep { report } else { None };
        keep && inner.scan_report.is_some()
    }

    /// Applies the chosen part of the last scan's findings to the unlocked vault and drops them.
    pub fn apply_scan(&self, selection: &Selection, now: chrono::DateTime<chrono::Utc>) -> Result<Applied, IpcError> {
        let mut inner = self.inner();
        inner.last_activity = Instant::now();
        if inner.vault.is_none() {
            return Err(Error::Locked.into());
        }
        let report = inner.scan_report.take().ok_or_else(|| Error::InvalidInput {
            field: "scan".to_owned(),
            problem: "no scan results to apply (the vault locked, or they were applied): scan again".to_owned(),
        })?;
        let vault = inner.vault.as_mut().ok_or(Error::Locked)?;
        Ok(report.apply(vault, selection, now)?)
    }

    /// Whether the last scan's findings are still held (tests check that locking drops them).
    pub fn has_scan_report(&self) -> bool {
        self.inner().scan_report.is_some()
    }

    /// Locks if idle for longer than the auto-lock setting; returns whether it did.
    pub fn lock_if_idle(&self, now: Instant) -> bool {
        let mut inner = self.inner();
        if inner.vault.is_some() && now.duration_since(inner.last_activity) >= inner.auto_lock {
            inner.vault = None;
            inner.forget();
            self.clipboard.clear_now();
            return true;
        }
        false
    }
}

impl Inner {
    /// Drops what the session held besides the vault: the previewed import, the chosen files, and
    /// the scan's findings (a running scan is stopped and its findings will not be kept).
    fn forget(&mut self) {
        self.pending_import = None;
        self.picks.clear();
        if let Some(stop) = self.scan_running.take() {
            stop.store(true, Ordering::SeqCst);
        }
        self.scan_report = None;
    }
}
