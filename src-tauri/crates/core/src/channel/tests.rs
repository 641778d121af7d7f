use super::*;
use std::io::{BufReader, Write};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use crate::reminders::IndexEntry;
use chrono::Utc;

#[test]
fn messages_are_one_json_object_per_line_and_read_back_the_same() {
    let all = [
        ToTray::Hello { pid: 42 },
        ToTray::LockState { locked: true },
        ToTray::InventoryChanged,
        ToTray::Alerts { high: 3 },
        ToTray::Labels {
            labels: vec![Label { token_id: "a".into(), name: "deploy \"bot\"\n".into(), provider: None }],
        },
    ];
    for message in all {
        let line = encode(&message);
        assert!(line.ends_with('\n') && line.matches('\n').count() == 1, "{line}");
        assert_eq!(decode::<ToTray>(&line).unwrap(), message);
    }
    let open = ToWindow::OpenToken { id: "0193-ab".into(), rotate: true };
    assert_eq!(encode(&open), "{\"type\":\"open_token\",\"id\":\"0193-ab\",\"rotate\":true}\n");
    assert_eq!(decode::<ToWindow>(&encode(&open)).unwrap(), open);
    assert_eq!(encode(&ToWindow::Lock), "{\"type\":\"lock\"}\n");
}

#[test]
fn malformed_or_unknown_messages_are_refused() {
    for line in ["", "not json", "{\"type\":\"explode\"}", "{\"type\":\"hello\"}", "{\"type\":\"lock\",\"x\":1}", "[1]"]
    {
        assert!(decode::<ToTray>(line).is_err(), "{line:?} was accepted");
    }
    // The window's requests are not the tray's messages, and the other way round.
    assert!(decode::<ToTray>("{\"type\":\"lock\"}").is_err());
    assert!(decode::<ToWindow>("{\"type\":\"inventory_changed\"}").is_err());
}

#[test]
fn a_line_over_the_cap_is_an_error_and_one_at_the_cap_is_read() {
    let mut at_cap = "x".repeat(MAX_LINE - 1);
    at_cap.push('\n');
    let mut reader = BufReader::new(at_cap.as_bytes());
    assert_eq!(read_line(&mut reader).unwrap().unwrap().len(), MAX_LINE);
    assert_eq!(read_line(&mut reader).unwrap(), None);

    let over = format!("{}\n{{\"type\":\"inventory_changed\"}}\n", "x".repeat(MAX_LINE));
    assert!(read_line(&mut BufReader::new(over.as_bytes())).is_err());
    let endless = "y".repeat(MAX_LINE * 4);
    assert!(read_line(&mut BufReader::new(endless.as_bytes())).is_err());
}

#[test]
fn only_a_peer_of_the_same_user_is_accepted() {
    assert_eq!(peer_decision(1000, Some(1000)), PeerDecision::Accept);
    assert_eq!(peer_decision(0, Some(0)), PeerDecision::Accept);
    assert!(matches!(peer_decision(1000, Some(1001)), PeerDecision::Refuse(_)));
    // Root connecting to a user's tray is another user too.
    assert!(matches!(peer_decision(1000, Some(0)), PeerDecision::Refuse(_)));
    assert!(matches!(peer_decision(0, Some(65534)), PeerDecision::Refuse(_)));
    assert!(matches!(peer_decision(1000, None), PeerDecision::Refuse(_)));
}

#[test]
fn each_vault_gets_its_own_socket_name() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let runtime = Path::new("/run/user/1000/tokenwarden");
    assert_ne!(socket_path(runtime, a.path()), socket_path(runtime, b.path()));
    assert_eq!(socket_path(runtime, a.path()), socket_path(runtime, &a.path().join(".")));
    assert!(socket_path(runtime, a.path()).to_string_lossy().ends_with(".sock"));
    assert_ne!(socket_path(runtime, a.path()), lock_path(runtime, a.path()));
}

#[test]
fn the_private_folder_is_made_0700_and_tightened_when_others_may_enter() {
    use std::os::unix::fs::PermissionsExt;
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("tokenwarden");
    private_dir(&dir).unwrap();
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    private_dir(&dir).unwrap();
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
}

fn start(dir: &Path) -> (Server, mpsc::Receiver<ServerEvent>) {
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let handler: Handler = Arc::new(move |event| {
        let _ = tx.lock().unwrap().send(event);
    });
    (Server::start(&dir.join("t.sock"), handler).unwrap(), rx)
}

#[test]
fn the_socket_is_0600_and_a_window_gets_requests_after_hello() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (server, events) = start(dir.path());
    assert_eq!(std::fs::metadata(server.path()).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(!server.has_window());

    let mut client = connect(server.path()).unwrap();
    send_message(&mut client, &ToTray::Hello { pid: 7 }).unwrap();
    send_message(&mut client, &ToTray::LockState { locked: false }).unwrap();
    let wait = Duration::from_secs(10);
    assert_eq!(events.recv_timeout(wait).unwrap(), ServerEvent::Message(ToTray::Hello { pid: 7 }));
    assert_eq!(events.recv_timeout(wait).unwrap(), ServerEvent::Message(ToTray::LockState { locked: false }));
    assert!(server.has_window());
    assert!(server.send(&ToWindow::Lock));
    let mut reader = BufReader::new(client.try_clone().unwrap());
    assert_eq!(read_message::<_, ToWindow>(&mut reader).unwrap(), Some(ToWindow::Lock));

    drop(reader);
    client.shutdown(std::net::Shutdown::Both).unwrap();
    assert_eq!(events.recv_timeout(wait).unwrap(), ServerEvent::WindowGone);
    assert!(!server.has_window());
}

#[test]
fn a_malformed_line_is_answered_with_an_error_and_the_next_client_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let (server, events) = start(dir.path());

    let mut bad = connect(server.path()).unwrap();
    bad.write_all(b"{\"type\":\"hello\",\"pid\":\"no\"}\n").unwrap();
    let mut reader = BufReader::new(bad.try_clone().unwrap());
    let answer = read_message::<_, ToWindow>(&mut reader).unwrap();
    assert!(matches!(answer, Some(ToWindow::Error { .. })), "{answer:?}");
    assert_eq!(read_message::<_, ToWindow>(&mut reader).unwrap(), None, "the connection stays open");

    let mut long = connect(server.path()).unwrap();
    // The whole line is not read: the writer may see the socket close under it.
    let _ = long.write_all("z".repeat(MAX_LINE * 2).as_bytes());
    let answer = read_message::<_, ToWindow>(&mut BufReader::new(long.try_clone().unwrap())).unwrap();
    assert!(matches!(answer, Some(ToWindow::Error { .. })), "{answer:?}");

    let mut good = connect(server.path()).unwrap();
    send_message(&mut good, &ToTray::InventoryChanged).unwrap();
    let wait = Duration::from_secs(10);
    assert_eq!(events.recv_timeout(wait).unwrap(), ServerEvent::Message(ToTray::InventoryChanged));
}

fn entry(id: &str, name: Option<&str>, days: Option<i64>) -> IndexEntry {
    let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 28, 12, 0, 0).unwrap();
    IndexEntry {
        token_id: id.to_owned(),
        name: name.map(str::to_owned),
        provider: Some("GitHub".to_owned()),
        expires_at: days.map(|d| now + chrono::Duration::days(d)),
        rotation_due_at: None,
        since: None,
        thresholds: Vec::new(),
    }
}

#[test]
fn labels_name_the_soonest_due_tokens_only_and_fit_in_one_line() {
    let long = "n".repeat(10_000);
    let mut entries: Vec<IndexEntry> =
        (0..200).map(|i| entry(&format!("t{i:03}"), Some(&long), Some(200 - i64::from(i)))).collect();
    entries.push(entry("undated", Some("no date"), None));
    let labels = labels_for(&entries);
    assert_eq!(labels.len(), MAX_LABELS);
    assert_eq!(labels[0].token_id, "t199", "soonest first");
    assert!(labels.iter().all(|l| l.name.chars().count() == MAX_NAME_CHARS));
    assert!(labels.iter().all(|l| l.token_id != "undated"));
    let line = encode(&ToTray::Labels { labels });
    assert!(line.len() < MAX_LINE, "{} bytes", line.len());
    assert!(matches!(decode::<ToTray>(&line), Ok(ToTray::Labels { .. })));
}

#[test]
fn labels_fill_only_entries_read_without_their_names() {
    let mut entries = vec![entry("a", None, Some(3)), entry("b", Some("kept"), Some(4)), entry("c", None, Some(5))];
    let labels = vec![
        Label { token_id: "a".into(), name: "deploy-bot".into(), provider: Some("GitLab".into()) },
        Label { token_id: "b".into(), name: "other".into(), provider: None },
    ];
    apply_labels(&mut entries, &labels);
    assert_eq!(entries[0].name.as_deref(), Some("deploy-bot"));
    assert_eq!(entries[0].provider.as_deref(), Some("GitLab"));
    assert_eq!(entries[1].name.as_deref(), Some("kept"));
    assert_eq!(entries[2].name, None);
}
