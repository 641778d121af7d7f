//! The window process's end of the channel to `tokenwarden-tray`, the process that runs all day
//! (tray icon, reminders, notifications). On start the window connects, starting the tray beside
//! its own binary when none answers; it tells the tray its lock state, that the inventory changed,
//! how many high alerts are open and, while unlocked, the soonest tokens' names; it obeys Show,
//! OpenToken, Lock and Quit. It never sends a secret, a hint or a key: the tray must never hold
//! the vault's key.

use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokenwarden_core::channel::{self, ToTray, ToWindow};

use crate::reminders::{DueNotice, ReminderTrigger, REMINDERS_DUE_EVENT};
use crate::state::Session;
use crate::{window, VaultDir};

/// Environment variable naming the tray binary (default: `tokenwarden-tray` beside this binary).
pub const TRAY_BIN_ENV: &str = "TOKENWARDEN_TRAY_BIN";

/// How long a tray just started may take to open its socket.
const TRAY_START: Duration = Duration::from_secs(10);

/// How long the changes must have stopped before the tray is told of them (see `spawn`).
const SETTLE: Duration = Duration::from_millis(200);

/// The longest a tray that is not running waits to be started for the window's page to load.
const TRAY_AFTER_PAGE_AT_MOST: Duration = Duration::from_secs(3);

/// Whether the window's page has loaded once. Starting the tray process (its start and its
/// reminder index read) waits for it, so that on two cores it does not compete with the window's
/// first paint: `make bench` measured 280–320 ms to the first paint with the tray starting
/// alongside, 250 ms without. A tray that already runs is connected to at once.
#[derive(Default)]
pub struct PageLoaded {
    loaded: Mutex<bool>,
    changed: Condvar,
}

impl PageLoaded {
    pub fn set(&self) {
        *self.loaded.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.changed.notify_all();
    }

    /// Waits until the page has loaded or `at_most` has passed; whether it has loaded.
    pub fn wait(&self, at_most: Duration) -> bool {
        let loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        let (loaded, _) =
            self.changed.wait_timeout_while(loaded, at_most, |loaded| !*loaded).unwrap_or_else(|p| p.into_inner());
        *loaded
    }
}

pub fn tray_bin() -> PathBuf {
    std::env::var_os(TRAY_BIN_ENV).filter(|v| !v.is_empty()).map(PathBuf::from).unwrap_or_else(|| {
        let own = std::env::current_exe().unwrap_or_default();
        own.parent().map(|dir| dir.join("tokenwarden-tray")).unwrap_or_else(|| PathBuf::from("tokenwarden-tray"))
    })
}

fn socket(vault_dir: &Path) -> Option<PathBuf> {
    match channel::runtime_dir() {
        Ok(runtime) => Some(channel::socket_path(&runtime, vault_dir)),
        Err(error) => {
            eprintln!("tokenwarden: no tray: {error}");
            None
        }
    }
}

/// Connects to the tray of `vault_dir`, starting one when none answers and waiting for its
/// socket. `None` when there is no tray to be had (the window then works without one).
pub fn connect_or_start(vault_dir: &Path) -> Option<UnixStream> {
    let path = socket(vault_dir)?;
    if let Ok(stream) = UnixStream::connect(&path) {
        return Some(stream);
    }
    let bin = tray_bin();
    // Its own process group: the tray outlives this window (and a Ctrl+C meant for it).
    // Without the window's preload: the tray loads no WebKit.
    let mut command = Command::new(&bin);
    command.arg("--vault").arg(vault_dir).stdin(Stdio::null()).process_group(0);
    let started = tokenwarden_core::window_preload::remove_from(&mut command).spawn();
    let mut child = match started {
        Ok(child) => child,
        Err(error) => {
            eprintln!("tokenwarden: could not start {}: {error}", bin.display());
            return None;
        }
    };
    let deadline = Instant::now() + TRAY_START;
    loop {
        if let Ok(stream) = UnixStream::connect(&path) {
            // Reaped should it end while this process lives; it usually outlives us.
            std::thread::spawn(move || child.wait());
            return Some(stream);
        }
        // A tray that exited at once (another one won the lock) leaves the socket to the winner.
        if let Ok(Some(status)) = child.try_wait() {
            if !status.success() {
                eprintln!("tokenwarden: {} exited: {status}", bin.display());
                return None;
            }
        }
        if Instant::now() >= deadline {
            eprintln!("tokenwarden: {} did not open its socket", bin.display());
            std::thread::spawn(move || child.wait());
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What the tray should know now: while unlocked, also the soonest tokens' names (the index the
/// tray reads may hold only dates).
fn state<R: Runtime>(app: &AppHandle<R>) -> Vec<ToTray> {
    let session = app.state::<Session>();
    let high = session.peek(crate::monitor::high_alerts).unwrap_or(0);
    let labels = session.peek(|v| v.reminder_entries()).and_then(Result::ok).map(|e| channel::labels_for(&e));
    let mut said = vec![ToTray::LockState { locked: labels.is_none() }];
    said.extend(labels.map(|labels| ToTray::Labels { labels }));
    said.extend([ToTray::InventoryChanged, ToTray::Alerts { high: u32::try_from(high).unwrap_or(u32::MAX) }]);
    said
}

/// Connects to the tray (starting it if needed) on a thread of its own, then tells it every change
/// the app signals through `ReminderTrigger` (unlock, lock, tokens or settings changed) and obeys
/// what it asks.
pub fn spawn<R: Runtime>(app: AppHandle<R>) {
    let Some(changes) = app.state::<ReminderTrigger>().take_receiver() else { return };
    let dir = app.state::<VaultDir>().0.clone();
    std::thread::spawn(move || {
        let running = socket(&dir).and_then(|path| UnixStream::connect(path).ok());
        let Some(mut stream) = running.or_else(|| {
            app.state::<PageLoaded>().wait(TRAY_AFTER_PAGE_AT_MOST);
            connect_or_start(&dir)
        }) else {
            return;
        };
        let Ok(reading) = stream.try_clone() else { return };
        let obeying = app.clone();
        std::thread::spawn(move || obey(&obeying, reading));
        let hello = ToTray::Hello { pid: std::process::id() };
        if channel::send_message(&mut stream, &hello).is_err() {
            return;
        }
        loop {
            for message in state(&app) {
                if channel::send_message(&mut stream, &message).is_err() {
                    eprintln!("tokenwarden: the tray went away");
                    return;
                }
            }
            // Until the next change, then until the changes have settled: they come in bursts (an
            // unlock, an import), told once. Reading the state takes the vault's lock for every
            // token's dates and names, so after an unlock the window's own first reads (its
            // settings and rows, asked for at once) go first instead of waiting behind it.
            if changes.recv().is_err() {
                return;
            }
            loop {
                match changes.recv_timeout(SETTLE) {
                    Ok(()) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        }
    });
}

fn obey<R: Runtime>(app: &AppHandle<R>, stream: UnixStream) {
    let mut reader = BufReader::new(stream);
    loop {
        let request = match channel::read_message::<_, ToWindow>(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(error) => {
                eprintln!("tokenwarden: the tray's channel: {error}");
                return;
            }
        };
        let handle = app.clone();
        let _ = app.run_on_main_thread(move || match request {
            ToWindow::Show => window::show_main(&handle),
            ToWindow::OpenToken { id, rotate } => window::open_token(&handle, &id, rotate),
            ToWindow::Lock => crate::lock_and_tell(&handle),
            ToWindow::Quit => handle.exit(0),
            ToWindow::Notices { notices } => {
                let due: Vec<DueNotice> = notices.into_iter().map(DueNotice::from).collect();
                let _ = handle.emit_to(window::MAIN, REMINDERS_DUE_EVENT, due);
            }
            ToWindow::Error { message } => eprintln!("tokenwarden: the tray refused us: {message}"),
        });
    }
}

/// The token a start asks to open: `--open-token ID [--rotate]` (what the tray passes).
pub fn open_token_arg(args: &[String]) -> Option<(String, bool)> {
    let at = args.iter().position(|a| a == channel::OPEN_TOKEN_ARG)?;
    let id = args.get(at + 1).filter(|id| !id.starts_with("--"))?.clone();
    Some((id, args.iter().any(|a| a == channel::ROTATE_ARG)))
}

#[cfg(test)]
mod tests {
    use super::open_token_arg;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn starting_the_tray_waits_for_the_page_and_no_longer_than_its_limit() {
        use super::PageLoaded;
        use std::sync::Arc;
        use std::time::Duration;
        let page = Arc::new(PageLoaded::default());
        assert!(!page.wait(Duration::from_millis(1)), "not loaded: the wait ends at its limit");
        let loader = {
            let page = Arc::clone(&page);
            std::thread::spawn(move || page.set())
        };
        assert!(page.wait(Duration::from_secs(60)), "the load ends the wait");
        loader.join().unwrap();
        assert!(page.wait(Duration::ZERO), "once loaded, later waits return at once");
    }

    #[test]
    fn the_token_to_open_is_read_from_the_tray_arguments() {
        assert_eq!(open_token_arg(&args(&["tokenwarden", "--open-token", "0193"])), Some(("0193".into(), false)));
        assert_eq!(
            open_token_arg(&args(&["tokenwarden", "--open-token", "0193", "--rotate"])),
            Some(("0193".into(), true))
        );
        assert_eq!(open_token_arg(&args(&["tokenwarden", "--open-token"])), None);
        assert_eq!(open_token_arg(&args(&["tokenwarden", "--open-token", "--rotate"])), None);
        assert_eq!(open_token_arg(&args(&["tokenwarden", "--hidden"])), None);
    }
}
