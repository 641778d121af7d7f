//! The reminders component driven headless against a real notification server: a temp vault with
//! tokens about to expire, `reminders::run_once` with the real `DesktopNotifier`, and dbus-monitor
//! on the private session bus as the listener that checks what the server was asked to show.
//! Needs tests/harness/with-services.sh (D-Bus session + dunst); skipped with a note otherwise.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use secrecy::SecretString;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use tokenwarden_app::notifier::{DesktopNotifier, Notice, Notifier, NotifyError};
use tokenwarden_app::reminders;
use tokenwarden_core::keystore::MemoryKeyStore;
use tokenwarden_core::reminders::Urgency;
use tokenwarden_core::{KdfParams, NewToken, TokenKind, Vault};
use tokenwarden_providers::ProviderId;

const CHEAP: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };

/// Whether a test that needs the notification server runs. Under tests/harness/with-services.sh
/// (TOKENWARDEN_TEST_SERVICES=1, as `make test` runs) it always does, and a server that does not
/// answer fails the test there and then. Bare, a SKIP line goes straight to stderr (past the test
/// runner's capture, so it shows) and the test returns.
fn services(test: &str) -> bool {
    if std::env::var_os("TOKENWARDEN_TEST_SERVICES").is_some_and(|v| !v.is_empty() && v != "0") {
        let out = Command::new("dbus-send")
            .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
            .args(["org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.Notifications"])
            .output()
            .unwrap_or_else(|e| panic!("{test}: the test harness is on but dbus-send cannot run: {e}"));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("boolean true"),
            "{test}: the test harness is on but no notification server owns org.freedesktop.Notifications: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return true;
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("SKIP: {test}: needs a notification server; run under tests/harness/with-services.sh\n").as_bytes(),
    );
    false
}

/// A locked vault in `dir` whose tokens expire `days` after `now`, with its reminder index sealed
/// under a key in `store` (so the index names the tokens while locked). They were added two months
/// before `now`, so their thresholds passed after they were added and are due (a threshold already
/// passed when a token is added never notifies).
fn vault_with(dir: &Path, store: &MemoryKeyStore, tokens: &[(&str, i64)], now: DateTime<Utc>) {
    let added = now - Duration::days(60);
    let mut vault = Vault::create(dir, &SecretString::from("test password"), CHEAP, added).unwrap();
    for (i, (name, days)) in tokens.iter().enumerate() {
        let secret = SecretString::from(format!("ghp_notify{i}abcdefghijklmnopqrstuvwxyz0123"));
        let mut token =
            NewToken::new(*name, ProviderId::parse("github").unwrap(), TokenKind::PersonalAccessToken, secret);
        token.expires_at = Some(now + Duration::days(*days));
        vault.add_token(token, added).unwrap();
    }
    vault.enable_reminder_index_key(store).unwrap();
    vault.lock();
}

/// One Notify call as the server received it.
#[derive(Debug, Default)]
struct Notify {
    app_name: String,
    summary: String,
    body: String,
    actions: Vec<String>,
    urgency: Option<u8>,
}

/// dbus-monitor watching Notify calls on the session bus; parses its text output.
struct Monitor {
    child: Child,
    calls: Receiver<Notify>,
}

impl Monitor {
    fn start() -> Monitor {
        let mut child = Command::new("dbus-monitor")
            .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (package dbus) is installed");
        let (ready_tx, ready_rx) = mpsc::channel();
        let (tx, calls) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut current: Option<(Notify, Vec<String>)> = None;
            let mut last_string_was_urgency = false;
            // A string with newlines continues on the following lines until its closing quote.
            let mut open_string: Option<String> = None;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = ready_tx.send(());
                let text = match open_string.take() {
                    Some(mut partial) => {
                        partial.push('\n');
                        match line.strip_suffix('"') {
                            Some(end) => {
                                partial.push_str(end);
                                partial
                            }
                            None => {
                                partial.push_str(&line);
                                open_string = Some(partial);
                                continue;
                            }
                        }
                    }
                    None => {
                        let trimmed = line.trim();
                        if !line.starts_with(' ') {
                            if let Some((call, _)) = current.take() {
                                let _ = tx.send(call);
                            }
                            if trimmed.contains("member=Notify") {
                                current = Some((Notify::default(), Vec::new()));
                            }
                            continue;
                        }
                        if trimmed.starts_with("int32") {
                            // The last argument (expire_timeout): the call is complete.
                            if let Some((call, _)) = current.take() {
                                let _ = tx.send(call);
                            }
                            continue;
                        }
                        let Some((call, _)) = current.as_mut() else { continue };
                        if let Some(byte) = trimmed.strip_prefix("variant").map(str::trim) {
                            if last_string_was_urgency {
                                call.urgency = byte.strip_prefix("byte ").and_then(|b| b.trim().parse().ok());
                            }
                            last_string_was_urgency = false;
                            continue;
                        }
                        let Some(start) = trimmed.strip_prefix("string \"") else { continue };
                        match start.strip_suffix('"') {
                            Some(whole) => whole.to_owned(),
                            None => {
                                open_string = Some(start.to_owned());
                                continue;
                            }
                        }
                    }
                };
                let Some((call, strings)) = current.as_mut() else { continue };
                last_string_was_urgency = text == "urgency";
                strings.push(text.clone());
                // Arguments in order: app_name, (replaces_id), app_icon, summary, body, actions, hints.
                match strings.len() {
                    1 => call.app_name = text,
                    2 => {}
                    3 => call.summary = text,
                    4 => call.body = text,
                    _ if !last_string_was_urgency && call.urgency.is_none() => call.actions.push(text),
                    _ => {}
                }
            }
            if let Some((call, _)) = current.take() {
                let _ = tx.send(call);
            }
        });
        // dbus-monitor prints NameAcquired once it listens; then nothing sent after is missed.
        ready_rx.recv_timeout(std::time::Duration::from_secs(5)).expect("dbus-monitor started");
        Monitor { child, calls }
    }

    fn next(&self, within: std::time::Duration) -> Option<Notify> {
        self.calls.recv_timeout(within).ok()
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Each test's monitor would see the other's calls: the tests that use the server take turns.
static SERVER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn desktop() -> DesktopNotifier {
    DesktopNotifier::new(Arc::new(|_, _| {}))
}

#[test]
fn a_due_reminder_reaches_the_notification_server_once_with_title_body_and_urgency() {
    if !services("a_due_reminder_reaches_the_notification_server_once") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let store = MemoryKeyStore::default();
    let now = Utc::now();
    vault_with(&dir, &store, &[("deploy-bot", 3)], now);
    let _turn = SERVER.lock().unwrap_or_else(|p| p.into_inner());
    let monitor = Monitor::start();

    let pass = reminders::run_once(&dir, &store, &desktop(), now).unwrap();

    assert!(pass.delivered);
    assert_eq!(pass.notices.len(), 1);
    let call = monitor.next(std::time::Duration::from_secs(5)).expect("a Notify call reached the server");
    assert_eq!(call.app_name, "Tokenwarden");
    assert_eq!(call.summary, "GitHub · deploy-bot expires in 3 days");
    assert!(call.body.starts_with("Expires ") && call.body.ends_with("Open Tokenwarden to rotate it."), "{call:?}");
    assert_eq!(call.urgency, Some(2), "critical: 3 days is within the urgent threshold");
    // dunst supports actions: clicking opens the token; "Rotate now" and the snoozes are offered.
    assert_eq!(
        call.actions,
        ["default", "Open", "rotate", "Rotate now", "snooze-1d", "Snooze 1 day", "snooze-1w", "Snooze 1 week"]
    );

    let again = reminders::run_once(&dir, &store, &desktop(), now + Duration::minutes(1)).unwrap();
    assert!(again.notices.is_empty(), "sent once: {:?}", again.notices);
    assert!(monitor.next(std::time::Duration::from_secs(1)).is_none(), "no second Notify");
}

#[test]
fn several_due_at_once_make_one_summary_notification() {
    if !services("several_due_at_once_make_one_summary_notification") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let store = MemoryKeyStore::default();
    let now = Utc::now();
    vault_with(&dir, &store, &[("ci-bot", 2), ("npm-publish", 5), ("later", 20)], now);
    let _turn = SERVER.lock().unwrap_or_else(|p| p.into_inner());
    let monitor = Monitor::start();

    let pass = reminders::run_once(&dir, &store, &desktop(), now).unwrap();

    assert_eq!(pass.notices.len(), 1);
    let call = monitor.next(std::time::Duration::from_secs(5)).expect("a Notify call reached the server");
    assert_eq!(call.summary, "2 tokens expire this week, 1 expires soon");
    assert_eq!(
        call.body,
        "GitHub · ci-bot expires in 2 days\nGitHub · npm-publish expires in 5 days\nGitHub · later expires in 20 days",
        "soonest first"
    );
    assert_eq!(call.urgency, Some(2));
    assert_eq!(call.actions, ["default", "Open"], "a summary opens the app; no single token to rotate");
    assert!(monitor.next(std::time::Duration::from_secs(1)).is_none(), "one notification, not three");
}

#[test]
fn names_reach_the_notification_server_as_text_never_as_markup() {
    if !services("names_reach_the_notification_server_as_text_never_as_markup") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let store = MemoryKeyStore::default();
    let now = Utc::now();
    vault_with(&dir, &store, &[("<b>ci</b> & co", 2), ("<a href='x'>npm</a>", 5)], now);
    let _turn = SERVER.lock().unwrap_or_else(|p| p.into_inner());
    let monitor = Monitor::start();

    let pass = reminders::run_once(&dir, &store, &desktop(), now).unwrap();

    assert!(pass.delivered);
    let call = monitor.next(std::time::Duration::from_secs(5)).expect("a Notify call reached the server");
    assert_eq!(
        call.body,
        "GitHub · &lt;b&gt;ci&lt;/b&gt; &amp; co expires in 2 days\nGitHub · &lt;a href='x'&gt;npm&lt;/a&gt; expires in 5 days",
        "the body may be rendered as markup: names arrive escaped"
    );
    assert!(!call.body.contains("<b>") && !call.body.contains("<a "), "{call:?}");
}

/// A notification server that is not there.
struct Unreachable;

impl Notifier for Unreachable {
    fn notify(&self, _: &Notice) -> Result<(), NotifyError> {
        Err(NotifyError::Unavailable("no server".to_owned()))
    }
}

/// Records what it was asked to show.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<Notice>>);

impl Notifier for Recorder {
    fn notify(&self, n: &Notice) -> Result<(), NotifyError> {
        self.0.lock().unwrap().push(n.clone());
        Ok(())
    }
}

#[test]
fn without_a_notification_server_nothing_is_marked_sent_and_a_later_pass_delivers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let store = MemoryKeyStore::default();
    let now = Utc::now();
    vault_with(&dir, &store, &[("deploy-bot", 1)], now - Duration::days(2));

    let failed = reminders::run_once(&dir, &store, &Unreachable, now).unwrap();
    assert!(!failed.delivered);
    assert_eq!(failed.notices[0].title, "GitHub · deploy-bot expired yesterday");

    let recorder = Recorder::default();
    let pass = reminders::run_once(&dir, &store, &recorder, now).unwrap();
    assert!(pass.delivered);
    let sent = recorder.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].urgency, sent[0].token_id.is_some()), (Urgency::Critical, true));
    assert!(reminders::run_once(&dir, &store, &recorder, now).unwrap().notices.is_empty());
}

#[test]
fn a_dismissal_written_into_the_state_by_hand_does_not_silence_the_locked_loop() {
    use tokenwarden_core::reminders::{ReminderIndex, Verdict, STATE_FILE};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let store = MemoryKeyStore::default();
    let now = Utc::now();
    vault_with(&dir, &store, &[("deploy-bot", 5)], now);
    let id = ReminderIndex::read(&dir, &store).unwrap().entries[0].token_id.clone();
    let all = ["30d", "7d", "1d", "expiry"].map(|t| serde_json::json!({ "token_id": id, "threshold": t }));
    let state = serde_json::json!({ "version": 1, "sent": [], "snoozed": [], "dismissed": all });
    std::fs::write(dir.join(STATE_FILE), serde_json::to_vec(&state).unwrap()).unwrap();

    let recorder = Recorder::default();
    let pass = reminders::run_once(&dir, &store, &recorder, now).unwrap();
    assert_eq!(pass.state_verdict, Verdict::Unsigned);
    assert_eq!(pass.notices.len(), 1, "the dismissal without a MAC silences nothing");
    assert!(pass.delivered);

    // Marked sent with the keyring's key: the file is authenticated now, and nothing repeats.
    let again = reminders::run_once(&dir, &store, &recorder, now).unwrap();
    assert_eq!((again.state_verdict, again.notices.len()), (Verdict::Verified, 0));

    // A dismissal added to the authenticated file breaks its MAC.
    let mut state: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join(STATE_FILE)).unwrap()).unwrap();
    state["dismissed"] = serde_json::Value::Array(all.to_vec());
    state["sent"] = serde_json::json!([]);
    std::fs::write(dir.join(STATE_FILE), serde_json::to_vec(&state).unwrap()).unwrap();
    let pass = reminders::run_once(&dir, &store, &recorder, now).unwrap();
    assert!(matches!(&pass.state_verdict, Verdict::Invalid(why) if why.contains("MAC")), "{:?}", pass.state_verdict);
    assert_eq!(pass.notices.len(), 1);
}

/// An unlocked session whose token's scopes widened between two checks: one open high drift
/// alert. Returns the session and the token's id.
fn session_with_drift(dir: &Path, now: DateTime<Utc>) -> (tokenwarden_app::state::Session, String) {
    use tokenwarden_providers::adapters::Verification;
    let mut vault = Vault::create(dir, &SecretString::from("test password"), CHEAP, now - Duration::days(2)).unwrap();
    let secret = SecretString::from("ghp_alert0abcdefghijklmnopqrstuvwxyz0123".to_owned());
    let token =
        NewToken::new("deploy-bot", ProviderId::parse("github").unwrap(), TokenKind::PersonalAccessToken, secret);
    let id = vault.add_token(token, now - Duration::days(2)).unwrap().id;
    let said = |scopes: &[&str]| Verification {
        valid: true,
        owner: Some("alice".to_owned()),
        scopes: Some(scopes.iter().map(|s| s.to_string()).collect()),
        ..Verification::default()
    };
    vault.record_verification(&id, &said(&["repo"]), now - Duration::days(1)).unwrap();
    vault.record_verification(&id, &said(&["repo", "admin:org"]), now).unwrap();
    let session = tokenwarden_app::state::Session::default();
    session.open(vault);
    (session, id)
}

/// Sends a marker notification and returns the next call the server saw: when that is the
/// marker, nothing was sent in between.
fn next_is_marker(monitor: &Monitor) -> bool {
    let marker = Notice {
        title: "marker".to_owned(),
        body: String::new(),
        urgency: Urgency::Low,
        token_id: None,
        kind: tokenwarden_app::notifier::NoticeKind::Reminder,
    };
    desktop().notify(&marker).unwrap();
    monitor.next(std::time::Duration::from_secs(5)).is_some_and(|call| call.summary == "marker")
}

#[test]
fn a_high_alert_reaches_the_notification_server_once_with_its_open_action() {
    if !services("a_high_alert_reaches_the_notification_server_once") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let (session, _) = session_with_drift(&tmp.path().join("vault"), now);
    let _turn = SERVER.lock().unwrap_or_else(|p| p.into_inner());
    let monitor = Monitor::start();

    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &desktop(), now), 1);

    let call = monitor.next(std::time::Duration::from_secs(5)).expect("a Notify call reached the server");
    assert_eq!(call.app_name, "Tokenwarden");
    assert_eq!(call.summary, "deploy-bot changed at the provider");
    assert_eq!(call.body, "scopes widened at the provider: gained admin:org");
    assert_eq!(call.urgency, Some(2), "critical");
    assert_eq!(
        call.actions,
        ["default", "Open token", "snooze-1d", "Snooze 1 day", "snooze-1w", "Snooze 1 week"],
        "clicking opens the token; it can be snoozed, not rotated from here"
    );
    assert!(!call.summary.contains("ghp_") && !call.body.contains("ghp_"), "{call:?}");

    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &desktop(), now + Duration::minutes(1)), 0);
    assert!(next_is_marker(&monitor), "the alert was notified a second time");
}

#[test]
fn an_acknowledged_alert_is_never_notified() {
    if !services("an_acknowledged_alert_is_never_notified") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let (session, _) = session_with_drift(&tmp.path().join("vault"), now);
    let alert = session.peek(|v| v.open_alerts().unwrap()[0].id.clone()).unwrap();
    session.peek_mut(|v| v.acknowledge_alert(&alert, now)).unwrap().unwrap();
    let _turn = SERVER.lock().unwrap_or_else(|p| p.into_inner());
    let monitor = Monitor::start();

    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &desktop(), now), 0);
    assert!(next_is_marker(&monitor), "an acknowledged alert reached the server");
}

#[test]
fn an_alert_the_notifier_could_not_send_is_sent_by_a_later_pass_and_none_while_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let (session, id) = session_with_drift(&tmp.path().join("vault"), now);
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &Unreachable, now), 0);
    let recorder = Recorder::default();
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &recorder, now), 1);
    let sent = recorder.0.lock().unwrap().clone();
    assert_eq!((sent[0].token_id.as_deref(), sent[0].urgency), (Some(id.as_str()), Urgency::Critical));
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &recorder, now), 0, "once");
    session.lock();
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &recorder, now), 0);
}

#[test]
fn a_snoozed_alert_is_notified_again_after_its_snooze_and_not_before() {
    let tmp = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let (session, id) = session_with_drift(&tmp.path().join("vault"), now);
    let recorder = Recorder::default();
    assert!(!tokenwarden_app::monitor::snooze(&session, &id, 1, now), "nothing said yet to snooze");
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &recorder, now), 1);
    // What "Snooze 1 day" on that notification does.
    assert!(tokenwarden_app::monitor::snooze(&session, &id, 1, now));
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &recorder, now + Duration::hours(23)), 0);
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &recorder, now + Duration::days(1)), 1);
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &recorder, now + Duration::days(9)), 0, "once");
    let sent = recorder.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    assert_eq!((sent[1].token_id.as_deref(), &sent[1].title), (Some(id.as_str()), &sent[0].title));
    session.lock();
    assert!(!tokenwarden_app::monitor::snooze(&session, &id, 1, now), "locked: the alerts are out of reach");
}

#[test]
fn several_high_alerts_at_once_make_one_summary_notification() {
    use tokenwarden_providers::adapters::Verification;
    let tmp = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let (session, id) = session_with_drift(&tmp.path().join("vault"), now);
    // The owner changes too: a second high alert.
    let moved = Verification {
        valid: true,
        owner: Some("mallory".to_owned()),
        scopes: Some(vec!["repo".to_owned(), "admin:org".to_owned()]),
        ..Verification::default()
    };
    session.peek_mut(|v| v.record_verification(&id, &moved, now + Duration::hours(1))).unwrap().unwrap();
    let recorder = Recorder::default();
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &recorder, now), 2);
    let sent = recorder.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 1, "one summary: {sent:?}");
    assert_eq!(sent[0].title, "2 monitor alerts need attention");
    assert_eq!(sent[0].body.lines().count(), 2, "{}", sent[0].body);
    assert_eq!(sent[0].token_id, None, "a summary opens the app");
    assert_eq!(tokenwarden_app::monitor::notify_alerts(&session, &recorder, now), 0, "both marked");
}
