//! The real `tokenwarden-tray` binary under tests/harness/with-services.sh (private D-Bus, keyring,
//! notification daemon, status-notifier-watcher): its menu read and clicked over D-Bus
//! (com.canonical.dbusmenu, as a tray host does), its channel driven as the window would.
//! Outside the harness the D-Bus tests print SKIP; inside it a missing tray host fails them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration as Days, Utc};
use secrecy::SecretString;
use std::io::{BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use tokenwarden_core::channel::{self, ToTray, ToWindow};
use tokenwarden_core::keystore::OsKeyring;
use tokenwarden_core::{KdfParams, NewToken, TokenKind, Vault};
use tokenwarden_providers::ProviderId;

const CHEAP: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
const PATIENCE: Duration = Duration::from_secs(30);

/// Whether the D-Bus tests run: under the harness always, and a missing StatusNotifierWatcher
/// fails the test; bare, a SKIP line (past the runner's capture) and the test returns.
fn services(test: &str) -> bool {
    if std::env::var_os("TOKENWARDEN_TEST_SERVICES").is_some_and(|v| !v.is_empty() && v != "0") {
        assert!(
            std::env::var_os("TOKENWARDEN_TEST_TRAY").is_some_and(|v| v == "1"),
            "{test}: the test harness is on but no StatusNotifierWatcher runs (install status-notifier-watcher)"
        );
        return true;
    }
    let _ = std::io::stderr()
        .write_all(format!("SKIP: {test}: needs a tray host; run under tests/harness/with-services.sh\n").as_bytes());
    false
}

/// Polls `probe` until it gives something, failing with `what` after PATIENCE.
fn until<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(found) = probe() {
            return found;
        }
        assert!(start.elapsed() < PATIENCE, "waited {PATIENCE:?} for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A temp vault (locked) whose tokens expire `days` from now, its reminder index sealed with a key
/// in the harness's keyring so the tray can name them while locked; a private runtime folder; and
/// a stand-in for the window binary that records each start's arguments.
struct Setup {
    _temp: tempfile::TempDir,
    vault: PathBuf,
    runtime: PathBuf,
    started: PathBuf,
    fake_app: PathBuf,
}

impl Setup {
    fn new(tokens: &[(&str, i64)]) -> Setup {
        Setup::with_keyring(tokens, true)
    }

    /// `keyring`: the reminder index's key goes to the keyring, so the index names the tokens.
    fn with_keyring(tokens: &[(&str, i64)], keyring: bool) -> Setup {
        let temp = tempfile::tempdir().unwrap();
        let (vault, runtime) = (temp.path().join("vault"), temp.path().join("runtime"));
        std::fs::create_dir(&runtime).unwrap();
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        let now = Utc::now();
        let added = now - Days::days(60);
        let mut v = Vault::create(&vault, &SecretString::from("test password"), CHEAP, added).unwrap();
        for (i, (name, days)) in tokens.iter().enumerate() {
            let secret = SecretString::from(format!("ghp_tray{i}abcdefghijklmnopqrstuvwxyz0123456"));
            let mut token =
                NewToken::new(*name, ProviderId::parse("github").unwrap(), TokenKind::PersonalAccessToken, secret);
            token.expires_at = Some(now + Days::days(*days) + Days::hours(1));
            v.add_token(token, added).unwrap();
        }
        if keyring {
            v.enable_reminder_index_key(&OsKeyring::new()).unwrap();
        }
        v.lock();
        let started = temp.path().join("started.log");
        let fake_app = temp.path().join("fake-tokenwarden");
        let script = format!(
            "#!/bin/sh\necho \"Malloc=$Malloc GLIBC_TUNABLES=$GLIBC_TUNABLES LD_PRELOAD=$LD_PRELOAD\" >> '{}.env'\necho \"$*\" >> '{}'\n",
            started.display(),
            started.display()
        );
        std::fs::write(&fake_app, script).unwrap();
        std::fs::set_permissions(&fake_app, std::fs::Permissions::from_mode(0o755)).unwrap();
        Setup { _temp: temp, vault, runtime, started, fake_app }
    }

    fn tray_command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tokenwarden-tray"));
        command
            .arg("--vault")
            .arg(&self.vault)
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("TOKENWARDEN_APP_BIN", &self.fake_app)
            .env_remove("LD_PRELOAD")
            .stdin(Stdio::null());
        command
    }

    fn socket(&self) -> PathBuf {
        channel::socket_path(&self.runtime.join("tokenwarden"), &self.vault)
    }

    /// Starts the tray and waits until its channel answers.
    fn start(&self) -> Tray {
        let child = self.tray_command().spawn().unwrap();
        let socket = self.socket();
        until("the tray's socket", || UnixStream::connect(&socket).ok());
        Tray { child }
    }

    /// The window binary's starts so far, one line of arguments each.
    fn window_starts(&self) -> Vec<String> {
        std::fs::read_to_string(&self.started).unwrap_or_default().lines().map(str::to_owned).collect()
    }

    /// Connects as a window: Hello, then the lock state.
    fn window(&self, locked: bool) -> (UnixStream, BufReader<UnixStream>) {
        let mut stream = channel::connect(&self.socket()).unwrap();
        channel::send_message(&mut stream, &ToTray::Hello { pid: std::process::id() }).unwrap();
        channel::send_message(&mut stream, &ToTray::LockState { locked }).unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        (stream, reader)
    }
}

struct Tray {
    child: Child,
}

impl Tray {
    fn bus(&self) -> String {
        format!("org.kde.StatusNotifierItem-{}-1", self.child.id())
    }

    fn wait_exit(&mut self) -> ExitStatus {
        until("the tray to exit", || self.child.try_wait().unwrap())
    }
}

impl Drop for Tray {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn gdbus(args: &[&str]) -> Option<String> {
    let out = Command::new("gdbus").args(["call", "--session", "--timeout", "5"]).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[derive(Debug, Clone, PartialEq)]
struct Item {
    id: i32,
    label: String,
    enabled: bool,
}

/// The tray's top-level menu items (separators left out), as a tray host reads them.
fn menu(tray: &Tray) -> Option<Vec<Item>> {
    let layout = gdbus(&[
        "--dest",
        &tray.bus(),
        "--object-path",
        "/MenuBar",
        "--method",
        "com.canonical.dbusmenu.GetLayout",
        "--",
        "0",
        "-1",
        "[]",
    ])?;
    let item = regex::Regex::new(r"<\((\d+), \{([^}]*)\}").unwrap();
    let label = regex::Regex::new(r#"'label': <(['"])(.*?)['"]>"#).unwrap();
    Some(
        item.captures_iter(&layout)
            .filter(|c| !c[2].contains("'type': <'separator'>"))
            .map(|c| Item {
                id: c[1].parse().unwrap(),
                label: label.captures(&c[2]).map(|l| l[2].to_owned()).unwrap_or_default(),
                enabled: !c[2].contains("'enabled': <false>"),
            })
            .collect(),
    )
}

/// Waits for a menu that `ok` accepts.
fn menu_where(tray: &Tray, what: &str, ok: impl Fn(&[Item]) -> bool) -> Vec<Item> {
    until(what, || menu(tray).filter(|items| ok(items)))
}

fn click(tray: &Tray, item: &Item) {
    let id = item.id.to_string();
    gdbus(&[
        "--dest",
        &tray.bus(),
        "--object-path",
        "/MenuBar",
        "--method",
        "com.canonical.dbusmenu.Event",
        &id,
        "clicked",
        "<0>",
        "0",
    ])
    .unwrap_or_else(|| panic!("clicking {item:?} failed"));
}

fn find<'a>(items: &'a [Item], label: &str) -> &'a Item {
    items.iter().find(|i| i.label == label).unwrap_or_else(|| panic!("no item {label:?} in {items:?}"))
}

fn next_request(reader: &mut BufReader<UnixStream>) -> Option<ToWindow> {
    reader.get_ref().set_read_timeout(Some(PATIENCE)).unwrap();
    channel::read_message(reader).unwrap()
}

#[test]
fn the_tray_starts_without_a_window_and_its_menu_lists_the_index_tokens() {
    if !services("the_tray_starts_without_a_window_and_its_menu_lists_the_index_tokens") {
        return;
    }
    let setup = Setup::new(&[("deploy-bot", 6), ("ci-token", 40), ("no-expiry-yet", 400)]);
    let tray = setup.start();
    let items = menu_where(&tray, "the index's tokens in the menu", |items| {
        items.iter().any(|i| i.label.starts_with("deploy-bot — in 6 days"))
    });
    let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels.len(), 6, "{labels:?}");
    assert!(labels[1].starts_with("ci-token — in"), "{labels:?}");
    assert_eq!(&labels[3..], ["Open Tokenwarden", "Lock", "Quit"]);
    // Locked (no window): nothing to lock.
    assert!(!find(&items, "Lock").enabled);
    // It registered with the tray host, and no window was started.
    let registered = gdbus(&[
        "--dest",
        "org.kde.StatusNotifierWatcher",
        "--object-path",
        "/StatusNotifierWatcher",
        "--method",
        "org.freedesktop.DBus.Properties.Get",
        "org.kde.StatusNotifierWatcher",
        "RegisteredStatusNotifierItems",
    ])
    .unwrap();
    assert!(registered.contains(&tray.bus()), "{registered}");
    assert!(setup.window_starts().is_empty());
}

#[test]
fn lock_in_the_menu_sends_lock_to_the_connected_window() {
    if !services("lock_in_the_menu_sends_lock_to_the_connected_window") {
        return;
    }
    let setup = Setup::new(&[("deploy-bot", 6)]);
    let tray = setup.start();
    let (_stream, mut reader) = setup.window(false);
    let items = menu_where(&tray, "Lock enabled once the window is unlocked", |items| {
        items.iter().any(|i| i.label == "Lock" && i.enabled)
    });
    click(&tray, find(&items, "Lock"));
    assert_eq!(next_request(&mut reader), Some(ToWindow::Lock));
}

#[test]
fn names_the_unlocked_window_tells_replace_a_dates_only_index_until_it_locks() {
    if !services("names_the_unlocked_window_tells_replace_a_dates_only_index_until_it_locks") {
        return;
    }
    let setup = Setup::with_keyring(&[("deploy-bot", 6)], false);
    let tray = setup.start();
    menu_where(&tray, "the unnamed token", |items| items.iter().any(|i| i.label == "A token — in 6 days"));
    let (mut stream, _reader) = setup.window(false);
    let id = Vault::unlock_with_password(&setup.vault, &SecretString::from("test password"))
        .unwrap()
        .0
        .reminder_entries()
        .unwrap()[0]
        .token_id
        .clone();
    let label = channel::Label { token_id: id, name: "deploy-bot".into(), provider: Some("GitHub".into()) };
    channel::send_message(&mut stream, &ToTray::Labels { labels: vec![label] }).unwrap();
    menu_where(&tray, "the name the window told", |items| items.iter().any(|i| i.label == "deploy-bot — in 6 days"));
    channel::send_message(&mut stream, &ToTray::LockState { locked: true }).unwrap();
    menu_where(&tray, "the name forgotten on lock", |items| items.iter().any(|i| i.label == "A token — in 6 days"));
}

#[test]
fn open_starts_the_window_binary_without_a_window_and_asks_the_connected_one_to_show() {
    if !services("open_starts_the_window_binary_without_a_window_and_asks_the_connected_one_to_show") {
        return;
    }
    let setup = Setup::new(&[("deploy-bot", 6)]);
    let tray = setup.start();
    let items =
        menu_where(&tray, "the token in the menu", |items| items.iter().any(|i| i.label.starts_with("deploy-bot")));
    click(&tray, find(&items, "Open Tokenwarden"));
    until("the window binary to start", || (setup.window_starts().len() == 1).then_some(()));
    assert_eq!(setup.window_starts()[0], "");
    // With the allocator settings the window would re-execute itself to get (it starts once), and
    // the library order that links it faster.
    let environment = std::fs::read_to_string(setup.started.with_extension("log.env")).unwrap();
    let wiping =
        tokenwarden_core::wiping_allocator::tunables(tokenwarden_core::wiping_allocator::Lifetime::LongRunning);
    let preload = tokenwarden_core::window_preload::window_preload().unwrap();
    assert_eq!(
        environment.lines().next(),
        Some(format!("Malloc=1 GLIBC_TUNABLES={wiping} LD_PRELOAD={preload}").as_str())
    );

    let token = items.iter().find(|i| i.label.starts_with("deploy-bot")).unwrap();
    click(&tray, token);
    until("the window binary to start for the token", || (setup.window_starts().len() == 2).then_some(()));
    let opened = &setup.window_starts()[1];
    assert!(opened.starts_with("--open-token "), "{opened}");

    // The tray knows of the window once it has read its Hello: its LockState makes the menu move.
    let (_stream, mut reader) = setup.window(false);
    menu_where(&tray, "the window's lock state", |items| items.iter().any(|i| i.label == "Lock" && i.enabled));
    click(&tray, find(&menu(&tray).unwrap(), "Open Tokenwarden"));
    assert_eq!(next_request(&mut reader), Some(ToWindow::Show));
    click(&tray, menu(&tray).unwrap().iter().find(|i| i.label.starts_with("deploy-bot")).unwrap());
    match next_request(&mut reader) {
        Some(ToWindow::OpenToken { id, rotate: false }) => assert!(opened.ends_with(&id), "{opened} vs {id}"),
        other => panic!("expected OpenToken, got {other:?}"),
    }
    assert_eq!(setup.window_starts().len(), 2, "no third window was started");
}

#[test]
fn quit_sends_quit_to_the_window_and_ends_the_tray() {
    if !services("quit_sends_quit_to_the_window_and_ends_the_tray") {
        return;
    }
    let setup = Setup::new(&[("deploy-bot", 6)]);
    let mut tray = setup.start();
    let (_stream, mut reader) = setup.window(false);
    let items =
        menu_where(&tray, "the window's lock state", |items| items.iter().any(|i| i.label == "Lock" && i.enabled));
    click(&tray, find(&items, "Quit"));
    assert_eq!(next_request(&mut reader), Some(ToWindow::Quit));
    assert!(tray.wait_exit().success());
}

#[test]
fn a_second_tray_for_the_same_vault_exits_and_the_first_keeps_running() {
    if !services("a_second_tray_for_the_same_vault_exits_and_the_first_keeps_running") {
        return;
    }
    let setup = Setup::new(&[("deploy-bot", 6)]);
    let mut first = setup.start();
    let mut second = Tray { child: setup.tray_command().stderr(Stdio::piped()).spawn().unwrap() };
    assert!(second.wait_exit().success());
    assert!(first.child.try_wait().unwrap().is_none(), "the first tray is still running");
    assert!(UnixStream::connect(setup.socket()).is_ok());
}

#[test]
fn a_malformed_line_gets_an_error_and_the_tray_serves_the_next_client() {
    if !services("a_malformed_line_gets_an_error_and_the_tray_serves_the_next_client") {
        return;
    }
    let setup = Setup::new(&[("deploy-bot", 6)]);
    let tray = setup.start();
    let mut bad = channel::connect(&setup.socket()).unwrap();
    bad.write_all(b"{\"type\":\"lock_state\",\"locked\":\"maybe\"}\n").unwrap();
    let mut reader = BufReader::new(bad.try_clone().unwrap());
    assert!(matches!(next_request(&mut reader), Some(ToWindow::Error { .. })));
    assert_eq!(next_request(&mut reader), None, "the tray closed that connection");

    let mut huge = channel::connect(&setup.socket()).unwrap();
    let _ = huge.write_all("x".repeat(channel::MAX_LINE * 3).as_bytes());
    assert!(matches!(next_request(&mut BufReader::new(huge)), Some(ToWindow::Error { .. })));

    let (_stream, mut reader) = setup.window(false);
    let items =
        menu_where(&tray, "the next client's lock state", |items| items.iter().any(|i| i.label == "Lock" && i.enabled));
    click(&tray, find(&items, "Lock"));
    assert_eq!(next_request(&mut reader), Some(ToWindow::Lock));
}

#[test]
fn a_peer_of_another_user_is_refused_and_the_tray_keeps_serving() {
    if !services("a_peer_of_another_user_is_refused_and_the_tray_keeps_serving") {
        return;
    }
    if !rustix::process::geteuid().is_root() {
        let _ = std::io::stderr().write_all(b"SKIP: connecting as another user needs root (CI runs as root)\n");
        return;
    }
    let setup = Setup::new(&[("deploy-bot", 6)]);
    let tray = setup.start();
    // Closed means end of stream, or a reset: the tray closes with `nobody`'s lines unread.
    // Let `nobody` reach the socket through the file system, so only SO_PEERCRED stands in its way.
    let mut dir = setup.socket();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o666)).unwrap();
    while dir.pop() && dir != Path::new("/") && dir != std::env::temp_dir() {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o711)).unwrap();
    }
    let script = "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\n\
                  try:\n s.sendall(b'{\"type\":\"hello\",\"pid\":1}\\n{\"type\":\"lock_state\",\"locked\":false}\\n')\n\
                  except OSError:\n pass\ns.settimeout(30)\nprint(s.makefile().readline().strip())\n\
                  try:\n print(s.recv(10) == b'')\n\
                  except ConnectionResetError:\n print(True)";
    let out = Command::new("setpriv")
        // The system's python3: a per-user shim on PATH may not be readable by `nobody`.
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", python3(), "-c", script])
        .arg(setup.socket())
        .output()
        .expect("setpriv and python3 are installed");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said} {}", String::from_utf8_lossy(&out.stderr));
    let mut lines = said.lines();
    match channel::decode::<ToWindow>(lines.next().unwrap_or_default()) {
        Ok(ToWindow::Error { message }) => assert!(message.contains("65534"), "{message}"),
        other => panic!("expected an error line, got {other:?} ({said})"),
    }
    assert_eq!(lines.next(), Some("True"), "the tray closed the connection");
    // Its Hello did not make it a window: Lock stays disabled, and our own user is still served.
    assert!(!find(&menu(&tray).unwrap(), "Lock").enabled);
    let (_stream, mut reader) = setup.window(false);
    let items =
        menu_where(&tray, "our window's lock state", |items| items.iter().any(|i| i.label == "Lock" && i.enabled));
    click(&tray, find(&items, "Lock"));
    assert_eq!(next_request(&mut reader), Some(ToWindow::Lock));
}

fn python3() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// The whole point of the split: what runs all day links no GTK and no WebKit.
#[test]
fn the_tray_binary_links_no_gtk_webkit_or_javascriptcore() {
    let out = Command::new("ldd").arg(env!("CARGO_BIN_EXE_tokenwarden-tray")).output().expect("ldd runs");
    let libs = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && libs.contains("libc.so"), "{libs}");
    for banned in ["libgtk", "libgdk", "libwebkit", "libjavascriptcore", "libsoup"] {
        assert!(!libs.contains(banned), "tokenwarden-tray links {banned}:\n{libs}");
    }
}

#[test]
fn the_login_autostart_exits_at_once_for_a_user_without_a_vault() {
    let temp = tempfile::tempdir().unwrap();
    let mut tray = Tray {
        child: Command::new(env!("CARGO_BIN_EXE_tokenwarden-tray"))
            .arg("--autostart")
            .arg("--vault")
            .arg(temp.path().join("no-vault-here"))
            .env("XDG_RUNTIME_DIR", temp.path())
            .spawn()
            .unwrap(),
    };
    assert!(tray.wait_exit().success());
    assert!(!temp.path().join("tokenwarden").exists(), "it served nothing (no runtime folder made)");
}

/// The ids the notification server gave to notifications of process `pid` so far: its Notify
/// answers, seen by dbus-monitor, whose caller the bus says is `pid`.
struct NotifyAnswers {
    child: Child,
    answers: std::sync::mpsc::Receiver<(String, u32)>,
}

impl NotifyAnswers {
    fn start() -> NotifyAnswers {
        use std::io::BufRead;
        let mut child = Command::new("dbus-monitor")
            .args(["--session", "type='method_return',sender='org.freedesktop.Notifications'"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (package dbus) is installed");
        let stdout = child.stdout.take().unwrap();
        let (tx, answers) = std::sync::mpsc::channel();
        let (ready_tx, ready) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut destination: Option<String> = None;
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("method return") {
                    let _ = ready_tx.send(());
                    destination =
                        line.split_whitespace().find_map(|w| w.strip_prefix("destination=")).map(str::to_owned);
                } else if let (Some(dest), Some(id)) = (destination.take(), line.trim().strip_prefix("uint32 ")) {
                    if let Ok(id) = id.parse() {
                        let _ = tx.send((dest, id));
                    }
                }
            }
        });
        // The monitor is listening once it has seen the server answer a call of ours.
        until("dbus-monitor to listen", || {
            gdbus(&[
                "--dest",
                "org.freedesktop.Notifications",
                "--object-path",
                "/org/freedesktop/Notifications",
                "--method",
                "org.freedesktop.Notifications.GetServerInformation",
            ])?;
            ready.recv_timeout(Duration::from_millis(200)).ok()
        });
        NotifyAnswers { child, answers }
    }

    fn id_for(&self, pid: u32) -> u32 {
        until("a notification from the tray", || {
            let (destination, id) = self.answers.recv_timeout(Duration::from_millis(200)).ok()?;
            let owner = gdbus(&[
                "--dest",
                "org.freedesktop.DBus",
                "--object-path",
                "/org/freedesktop/DBus",
                "--method",
                "org.freedesktop.DBus.GetConnectionUnixProcessID",
                &destination,
            ])?;
            owner.contains(&format!("uint32 {pid},")).then_some(id)
        })
    }
}

impl Drop for NotifyAnswers {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_notifications_open_action_starts_the_window_on_its_token() {
    if !services("a_notifications_open_action_starts_the_window_on_its_token") {
        return;
    }
    let setup = Setup::new(&[("deploy-bot", 6)]);
    let token = Vault::unlock_with_password(&setup.vault, &SecretString::from("test password"))
        .unwrap()
        .0
        .reminder_entries()
        .unwrap()[0]
        .token_id
        .clone();
    let answers = NotifyAnswers::start();
    let tray = setup.start();
    // The token's reminder is due: the tray notified it, and waits for the user's click.
    let id = answers.id_for(tray.child.id());
    let emitted = Command::new("gdbus")
        .args(["emit", "--session", "--object-path", "/org/freedesktop/Notifications"])
        .args(["--signal", "org.freedesktop.Notifications.ActionInvoked", &format!("uint32 {id}"), "'default'"])
        .status()
        .unwrap();
    assert!(emitted.success());
    until("the window binary to start on the token", || (setup.window_starts().len() == 1).then_some(()));
    assert_eq!(setup.window_starts()[0], format!("--open-token {token}"));
}
