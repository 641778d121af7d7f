//! State the app manages for its commands: the vault directory and the unlocked session.
//! The session holds the open `Vault` (keys inside, zeroized when dropped); locking drops it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokenwarden_core::clipboard::ClearSignal;
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
    /// Drops what the session held besides the vault: the previewed import and the chosen files.
    fn forget(&mut self) {
        self.pending_import = None;
        self.picks.clear();
    }
}
