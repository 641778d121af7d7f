//! Reminders from the window's side: the loop that notifies runs in the tray process
//! (`tokenwarden-tray`); here are a notification's "Snooze" (the monitor's alerts share the
//! notifier), the in-app notice type, and `ReminderTrigger`, the signal every change to the vault
//! gives, which the tray link turns into messages to the tray. Never a secret here.

use chrono::Utc;
use serde::Serialize;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime};
use tokenwarden_core::keystore::OsKeyring;
pub use tokenwarden_core::reminders::notice::{mark_sent, notices, run_once, run_with, Pass};
use tokenwarden_core::reminders::ReminderKey;

use crate::state::Session;
use crate::VaultDir;

/// Event carrying the reminders (`DueNotice[]`) the UI should show when no notification server
/// answered (the in-app fallback; the tray process forwards them).
pub const REMINDERS_DUE_EVENT: &str = "reminders-due";

/// A reminder as the UI shows it in-app.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DueNotice {
    pub title: String,
    pub body: String,
    #[ts(type = "\"low\" | \"normal\" | \"critical\"")]
    pub urgency: String,
    pub token_id: Option<String>,
    /// Made while the vault was locked, so it names a token only where the reminder index could
    /// be opened without the vault (keyring on). The UI drops a notice made while unlocked that
    /// arrives after it locked: it may name a token the lock screen must not show.
    pub while_locked: bool,
}

impl From<tokenwarden_core::channel::ForwardedNotice> for DueNotice {
    fn from(n: tokenwarden_core::channel::ForwardedNotice) -> Self {
        DueNotice {
            title: n.title,
            body: n.body,
            urgency: n.urgency,
            token_id: n.token_id,
            while_locked: n.while_locked,
        }
    }
}

/// The index key: the unlocked vault's, else the keyring's (`None`: nothing can be checked).
fn reminder_key<R: Runtime>(app: &AppHandle<R>, dir: &Path, keyring: &OsKeyring) -> Option<ReminderKey> {
    let from_vault = app.state::<Session>().peek(|v| v.reminder_key()).and_then(|r| r.ok()).flatten();
    from_vault.or_else(|| ReminderKey::from_keyring(dir, keyring).ok().flatten())
}

/// Silences every reminder of one token for `days` (a notification's "Snooze" buttons); the
/// state file persists it, so the loop, the tray and `tokenwarden-cli remind` all honour it.
pub fn snooze<R: Runtime>(app: &AppHandle<R>, token_id: &str, days: u32) {
    let dir = app.state::<VaultDir>().0.clone();
    let key = reminder_key(app, &dir, &OsKeyring::new());
    let result = tokenwarden_core::reminders::notice::snooze(&dir, key.as_ref(), token_id, days, Utc::now());
    match result {
        Ok(()) => app.state::<ReminderTrigger>().poke(),
        Err(error) => eprintln!("tokenwarden: could not snooze the reminder: {error}"),
    }
}

/// Tells the tray (through the tray link) after unlock, lock, and any change to the tokens or settings.
pub struct ReminderTrigger {
    tx: Mutex<Sender<()>>,
    rx: Mutex<Option<Receiver<()>>>,
}

impl Default for ReminderTrigger {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        ReminderTrigger { tx: Mutex::new(tx), rx: Mutex::new(Some(rx)) }
    }
}

impl ReminderTrigger {
    pub fn poke(&self) {
        // Before the loop starts (or in tests, where none runs) the poke just waits in the channel.
        let _ = self.tx.lock().unwrap_or_else(|p| p.into_inner()).send(());
    }

    pub(crate) fn take_receiver(&self) -> Option<Receiver<()>> {
        self.rx.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}
