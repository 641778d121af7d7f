//! The tray's loop: reads the reminder index (which works while the vault is locked), keeps the
//! tray model current, notifies what the core's schedule says is due (once each), and obeys the
//! menu, the notifications' buttons and the window's messages. It never decides what is due.

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokenwarden_core::channel::{self, ForwardedNotice, Label, Server, ServerEvent, ToTray, ToWindow};
use tokenwarden_core::keystore::OsKeyring;
use tokenwarden_core::reminders::notice::{self, NoticeAction, Notifier};
use tokenwarden_core::reminders::tray_menu::{self, TrayModel};
use tokenwarden_core::reminders::{DesktopNotifier, ReminderIndex, ReminderKey, INDEX_FILE};

use crate::icons::Icons;
use crate::menu::TrayIcon;
use crate::Command;

/// The loop looks again at least this often (resume from suspend, clock changes, countdowns
/// crossing a day) without any OS hook.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// How often the loop looks whether another process rewrote the reminder index (one `stat`).
const INDEX_POLL: Duration = Duration::from_secs(2);

/// Runs the tray until "Quit". Errors only when the channel cannot be served.
pub fn run(dir: PathBuf, socket: &Path, app_bin: PathBuf) -> tokenwarden_core::Result<()> {
    let (tx, rx) = mpsc::channel::<Command>();
    let from_window = Mutex::new(tx.clone());
    let server = Server::start(
        socket,
        Arc::new(move |event| {
            let _ = from_window.lock().unwrap_or_else(|p| p.into_inner()).send(Command::Window(event));
        }),
    )?;
    let warn_days = tokenwarden_core::settings::Settings::default().warn_days;
    let model = tray_menu::menu_model(&[], Utc::now(), true, warn_days);
    let service = ksni::TrayService::new(TrayIcon { model, icons: Icons::load(), commands: Mutex::new(tx.clone()) });
    let handle = service.handle();
    let bus_lost = SessionGone(Mutex::new(tx.clone()));
    let drawing = std::thread::spawn(move || {
        // Without a tray host ksni waits for one; it ends only when the session bus is gone (with
        // an error, or a panic inside ksni), and with it the session: the tray ends too (its
        // notifications need that bus as well). `bus_lost` says so however the thread ends.
        let _bus_lost = bus_lost;
        if let Err(error) = service.run() {
            eprintln!("tokenwarden-tray: the session bus is gone: {error}");
        }
    });
    let actions = Mutex::new(tx);
    let notifier = DesktopNotifier::new(Arc::new(move |action, token: Option<String>| {
        let command = match (action, token) {
            (NoticeAction::Snooze(days), Some(id)) => Command::Snooze { id, days },
            (action, Some(id)) => Command::OpenToken { id, rotate: action == NoticeAction::Rotate },
            (_, None) => Command::Open,
        };
        let _ = actions.lock().unwrap_or_else(|p| p.into_inner()).send(command);
    }));
    let mut tray = Tray {
        dir,
        keyring: OsKeyring::new(),
        index: None,
        keyring_key: None,
        failed: false,
        said: None,
        locked: true,
        high_alerts: 0,
        labels: Vec::new(),
        handle,
        shown: None,
        server,
        app_bin,
    };
    tray.run(&rx, &notifier);
    // ksni answers the click that asked to quit before its thread ends (it looks every 50 ms).
    tray.handle.shutdown();
    let _ = drawing.join();
    Ok(())
}

/// Tells the loop, when dropped, that the tray icon's thread ended.
struct SessionGone(Mutex<std::sync::mpsc::Sender<Command>>);

impl Drop for SessionGone {
    fn drop(&mut self) {
        let _ = self.0.lock().unwrap_or_else(|p| p.into_inner()).send(Command::SessionGone);
    }
}

struct Tray {
    dir: PathBuf,
    keyring: OsKeyring,
    /// The index as last read, with the file's modification time.
    index: Option<(Option<SystemTime>, ReminderIndex)>,
    keyring_key: Option<ReminderKey>,
    /// A read error was already reported (once, not every minute).
    failed: bool,
    /// What was last said about files that failed their check.
    said: Option<String>,
    /// As the window last said; locked while no window is connected (its vault closes with it).
    locked: bool,
    high_alerts: u32,
    /// Names the unlocked window told (for an index without its key); forgotten on lock.
    labels: Vec<Label>,
    handle: ksni::Handle<TrayIcon>,
    shown: Option<TrayModel>,
    server: Server,
    app_bin: PathBuf,
}

/// What the loop does after a command.
enum Flow {
    Stay,
    Pass,
    Quit,
}

impl Tray {
    fn run(&mut self, rx: &Receiver<Command>, notifier: &dyn Notifier) {
        loop {
            let now = Utc::now();
            let next_wake = self.pass(notifier, now);
            let sleep = next_wake.and_then(|t| (t - now).to_std().ok()).map_or(MAX_SLEEP, |d| d.min(MAX_SLEEP));
            let deadline = Instant::now() + sleep;
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                match rx.recv_timeout(left.min(INDEX_POLL)) {
                    Ok(command) => match self.obey(command) {
                        Flow::Stay => {}
                        Flow::Pass => break,
                        Flow::Quit => return,
                    },
                    Err(RecvTimeoutError::Timeout) if self.index_changed() => break,
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        }
    }

    fn obey(&mut self, command: Command) -> Flow {
        match command {
            Command::Open => {
                if !self.server.send(&ToWindow::Show) {
                    self.start_window(None);
                }
                Flow::Stay
            }
            Command::OpenToken { id, rotate } => {
                if !self.server.send(&ToWindow::OpenToken { id: id.clone(), rotate }) {
                    self.start_window(Some((&id, rotate)));
                }
                Flow::Stay
            }
            // The window answers with its new lock state.
            Command::Lock => {
                self.server.send(&ToWindow::Lock);
                Flow::Stay
            }
            Command::Quit => {
                self.server.send(&ToWindow::Quit);
                Flow::Quit
            }
            Command::SessionGone => Flow::Quit,
            Command::Snooze { id, days } => {
                if let Err(error) = notice::snooze(&self.dir, self.keyring_key.as_ref(), &id, days, Utc::now()) {
                    eprintln!("tokenwarden-tray: could not snooze the reminder: {error}");
                }
                Flow::Pass
            }
            Command::Window(ServerEvent::Message(message)) => match message {
                ToTray::Hello { .. } => Flow::Stay,
                ToTray::LockState { locked } => {
                    self.locked = locked;
                    if locked {
                        self.labels.clear();
                    }
                    Flow::Pass
                }
                ToTray::Labels { labels } => {
                    self.labels = if self.locked { Vec::new() } else { labels };
                    Flow::Pass
                }
                ToTray::InventoryChanged => {
                    self.index = None;
                    Flow::Pass
                }
                ToTray::Alerts { high } => {
                    self.high_alerts = high;
                    Flow::Pass
                }
            },
            Command::Window(ServerEvent::WindowGone) => {
                if !self.server.has_window() {
                    self.locked = true;
                    self.high_alerts = 0;
                    self.labels.clear();
                }
                Flow::Pass
            }
        }
    }

    /// Starts the window process for this vault, opening `token` when given.
    fn start_window(&self, token: Option<(&str, bool)>) {
        let mut process = Process::new(&self.app_bin);
        process.env("TOKENWARDEN_VAULT", &self.dir).stdin(Stdio::null());
        // The library order that links the window and its WebKit processes faster.
        tokenwarden_core::window_preload::add_to(&mut process);
        if let Some((id, rotate)) = token {
            process.arg(channel::OPEN_TOKEN_ARG).arg(id);
            if rotate {
                process.arg(channel::ROTATE_ARG);
            }
        }
        match process.spawn() {
            // Reaped on a thread of its own, so no zombie is left when the window closes.
            Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
            Err(error) => eprintln!("tokenwarden-tray: could not start {}: {error}", self.app_bin.display()),
        }
    }

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
                    eprintln!("tokenwarden-tray: reminders paused: {error}");
                }
                None
            }
        }
    }

    /// Shows the model and notifies what is due; returns when to look again.
    fn pass(&mut self, notifier: &dyn Notifier, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let Some(mut index) = self.read_index() else {
            self.show(tray_menu::menu_model(&[], now, self.locked, 0));
            return None;
        };
        channel::apply_labels(&mut index.entries, &self.labels);
        let mut model = tray_menu::menu_model(&index.entries, now, self.locked, index.warn_days);
        tray_menu::with_alerts(&mut model, usize::try_from(self.high_alerts).unwrap_or(usize::MAX));
        self.show(model);
        let index_verdict = index.verdict.clone();
        match notice::run_with(&self.dir, index, self.keyring_key.as_ref(), notifier, now) {
            Ok(pass) => {
                notice::say_untrusted("tokenwarden-tray", &mut self.said, &index_verdict, &pass.state_verdict);
                // No notification server: a connected window shows them instead; else they wait.
                if !pass.delivered && !pass.notices.is_empty() {
                    let notices = pass
                        .notices
                        .iter()
                        .map(|n| ForwardedNotice {
                            title: n.title.clone(),
                            body: n.body.clone(),
                            urgency: n.urgency.as_str().to_owned(),
                            token_id: n.token_id.clone(),
                            while_locked: self.locked,
                        })
                        .collect();
                    if self.server.send(&ToWindow::Notices { notices }) {
                        let key = self.keyring_key.as_ref();
                        if let Err(error) = notice::mark_sent(&self.dir, key, &pass.schedule, now) {
                            eprintln!("tokenwarden-tray: reminders: {error}");
                        }
                    }
                }
                pass.schedule.next_wake
            }
            Err(error) => {
                eprintln!("tokenwarden-tray: reminders: {error}");
                None
            }
        }
    }

    fn show(&mut self, model: TrayModel) {
        if self.shown.as_ref() != Some(&model) {
            let shown = model.clone();
            self.handle.update(move |tray| tray.model = shown);
            self.shown = Some(model);
        }
    }
}
