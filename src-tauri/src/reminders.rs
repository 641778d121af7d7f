//! The reminders loop: reads the reminder index (which works while the vault is locked), asks the
//! core's schedule what is due, notifies once per reminder (one summary when several are due at
//! once), records them as sent, and keeps the tray current. It never decides what is due itself,
//! and never reads a secret. The index and `reminders.state` are checked with the index key (the
//! unlocked vault's, else the keyring's); what fails the check is said once on stderr, and the core
//! then ignores its dismissals and snoozes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokenwarden_core::keystore::OsKeyring;
pub use tokenwarden_core::reminders::notice::{mark_sent, notices, run_once, run_with, Pass};
use tokenwarden_core::reminders::{notice, ReminderIndex, ReminderKey, INDEX_FILE};

use crate::notifier::{Notice, Notifier};
use crate::state::Session;
use crate::{tray, window, VaultDir};

/// Event carrying the reminders (`DueNotice[]`) the UI should show when no notification server
/// answered (the in-app fallback).
pub const REMINDERS_DUE_EVENT: &str = "reminders-due";

/// The loop looks again at least this often, so resume from suspend, clock changes and countdowns
/// crossing a day boundary are noticed without any OS hook.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// How often the loop looks whether another process (the CLI) rewrote the reminder index, so its
/// changes reach the tray and the reminders within seconds: one `stat` each time.
const INDEX_POLL: Duration = Duration::from_secs(2);

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

impl DueNotice {
    pub fn new(n: &Notice, while_locked: bool) -> Self {
        DueNotice {
            title: n.title.clone(),
            body: n.body.clone(),
            urgency: n.urgency.as_str().to_owned(),
            token_id: n.token_id.clone(),
            while_locked,
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

/// Wakes the loop early: after unlock, lock, and any change to the tokens or settings.
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

    fn take_receiver(&self) -> Option<Receiver<()>> {
        self.rx.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Starts the loop on a thread of its own (once; later calls do nothing).
pub fn spawn<R: Runtime>(app: AppHandle<R>, notifier: Arc<dyn Notifier>) {
    let Some(rx) = app.state::<ReminderTrigger>().take_receiver() else { return };
    let dir = app.state::<VaultDir>().0.clone();
    std::thread::spawn(move || {
        let mut looper = Looper {
            app,
            dir,
            keyring: OsKeyring::new(),
            index: None,
            keyring_key: None,
            shown: None,
            failed: false,
            said: None,
        };
        loop {
            let now = Utc::now();
            let next_wake = looper.pass(notifier.as_ref(), now);
            let sleep = next_wake.and_then(|t| (t - now).to_std().ok()).map_or(MAX_SLEEP, |d| d.min(MAX_SLEEP));
            let deadline = Instant::now() + sleep;
            // Until the next wake, a poke, or a change the CLI made (it rewrites the index).
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                match rx.recv_timeout(left.min(INDEX_POLL)) {
                    Ok(()) => {
                        while rx.try_recv().is_ok() {}
                        break;
                    }
                    Err(RecvTimeoutError::Timeout) if looper.index_changed() => break,
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        }
    });
}

struct Looper<R: Runtime> {
    app: AppHandle<R>,
    dir: PathBuf,
    keyring: OsKeyring,
    /// The index as last read, with the file's modification time: the keyring is asked again only
    /// when the file changed, not every minute.
    index: Option<(Option<SystemTime>, ReminderIndex)>,
    /// The index key from the keyring, read with the index (used while the vault is locked).
    keyring_key: Option<ReminderKey>,
    shown: Option<tray::TrayModel>,
    /// A read error was already reported (once, not every minute).
    failed: bool,
    /// What was last said about files that failed their check (said once, not every minute).
    said: Option<String>,
}

impl<R: Runtime> Looper<R> {
    /// The index file's modification time differs from the one last read.
    fn index_changed(&self) -> bool {
        let modified = std::fs::metadata(self.dir.join(INDEX_FILE)).and_then(|m| m.modified()).ok();
        self.index.as_ref().is_some_and(|(seen, _)| *seen != modified)
    }

    fn read_index(&mut self) -> Option<ReminderIndex> {
        let modified = std::fs::metadata(self.dir.join(INDEX_FILE)).and_then(|m| m.modified()).ok();
        if let Some((seen, index)) = &self.index {
            if *seen == modified {
                return Some(index.clone());
            }
        }
        self.keyring_key = ReminderKey::from_keyring(&self.dir, &self.keyring).ok().flatten();
        match ReminderIndex::read_with(&self.dir, self.keyring_key.as_ref()) {
            Ok(index) => {
                self.index = Some((modified, index.clone()));
                self.failed = false;
                Some(index)
            }
            Err(error) => {
                if !std::mem::replace(&mut self.failed, true) {
                    eprintln!("tokenwarden: reminders paused: {error}");
                }
                None
            }
        }
    }

    /// Returns when to look again.
    fn pass(&mut self, notifier: &dyn Notifier, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut index = self.read_index()?;
        let session = self.app.state::<Session>();
        // Unlocked, the vault's key checks the files (the keyring may not have it).
        let vault_key = session.peek(|v| v.reminder_key()).and_then(|r| r.ok()).flatten();
        if let Some(key) = &vault_key {
            if let Ok(checked) = ReminderIndex::read_with(&self.dir, Some(key)) {
                index = checked;
            }
        }
        let key = vault_key.as_ref().or(self.keyring_key.as_ref());
        // Unlocked, the vault itself has every name, even where the index holds only dates.
        if let Some(Ok(entries)) = session.peek(|v| v.reminder_entries()) {
            index.entries = entries;
            index.names_known = true;
        }
        let locked = !session.is_unlocked();
        let mut model = tray::menu_model(&index.entries, now, locked, index.warn_days);
        // Open high alerts turn the tray to attention while unlocked (locked, the vault is closed).
        let high_alerts = session.peek(crate::monitor::high_alerts).unwrap_or(0);
        tray::with_alerts(&mut model, high_alerts);
        if self.shown.as_ref() != Some(&model) {
            if let Err(error) = tray::update(&self.app, &model) {
                eprintln!("tokenwarden: could not update the tray: {error}");
            }
            self.shown = Some(model);
        }
        let index_verdict = index.verdict.clone();
        let pass = match run_with(&self.dir, index, key, notifier, now) {
            Ok(pass) => pass,
            Err(error) => {
                eprintln!("tokenwarden: reminders: {error}");
                return None;
            }
        };
        notice::say_untrusted("tokenwarden", &mut self.said, &index_verdict, &pass.state_verdict);
        // No notification server: the open window shows them instead; with no window they wait.
        if !pass.delivered && self.app.get_webview_window(window::MAIN).is_some() {
            let due: Vec<DueNotice> = pass.notices.iter().map(|n| DueNotice::new(n, locked)).collect();
            if self.app.emit_to(window::MAIN, REMINDERS_DUE_EVENT, due).is_ok() {
                let _ = mark_sent(&self.dir, key, &pass.schedule, now);
            }
        }
        pass.schedule.next_wake
    }
}
