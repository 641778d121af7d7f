//! The disk scan over IPC on the mock runtime: a folder chosen through the dialog's handle is
//! scanned off the UI thread with progress events, the ticked findings are linked and imported in
//! one step, no answer or event carries a secret, and locking drops the findings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{open, Window};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tauri::{Listener, Manager};
use tokenwarden_app::state::{PickPurpose, Session};

/// Canary secrets: a GitLab token the vault holds, a Hugging Face token it does not.
const KNOWN: &str = "glpat-Ca7aRyKn0wnTok3nQr1t";
const UNKNOWN: &str = "hf_CanaryUnkn0wnTokenLsPzWxVbNrYcJdHg";

fn add(w: &Window, name: &str, provider: &str, secret: &str) -> String {
    let input = json!({ "input": {
        "name": name, "provider": provider, "kind": "personal_access_token", "secret": secret,
        "expires_at": null, "account": null, "environment": null, "scopes": [], "tags": [],
        "notes": null, "url": null
    }});
    w.ok("token_add", input)["id"].as_str().unwrap().to_owned()
}

/// An unlocked vault holding KNOWN, and a folder whose `.env` holds both tokens.
fn prepared() -> (Window, tempfile::TempDir, String) {
    let w = open();
    w.ok("vault_create", json!({ "password": "pw one two", "useKeyring": false }));
    let known = add(&w, "gitlab deploy", "gitlab", KNOWN);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), format!("GITLAB_TOKEN={KNOWN}\nHF_TOKEN={UNKNOWN}\n")).unwrap();
    (w, dir, known)
}

fn ids(results: &Value, group: &str) -> Vec<Value> {
    results["findings"].as_array().unwrap().iter().filter(|f| f["group"] == group).map(|f| f["id"].clone()).collect()
}

#[test]
fn a_chosen_folder_is_scanned_then_the_ticked_findings_are_linked_and_imported() {
    let (w, dir, known) = prepared();
    let events = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&events);
    w.window
        .app_handle()
        .listen_any("scan-progress", move |event| seen.lock().unwrap().push(event.payload().to_owned()));

    let handle = w.pick(dir.path(), PickPurpose::Scan);
    let results = w.ok("scan_start", json!({ "request": { "home": false, "folders": [handle] } }));
    assert_eq!(results["cancelled"], false);
    assert_eq!(results["counts"]["files"], 1, "{results}");
    let known_ids = ids(&results, "known");
    let unknown_ids = ids(&results, "unknown");
    assert_eq!((known_ids.len(), unknown_ids.len()), (1, 1), "{results}");
    let known_finding = results["findings"].as_array().unwrap().iter().find(|f| f["group"] == "known").unwrap();
    assert_eq!(known_finding["token_name"], "gitlab deploy");
    assert_eq!(known_finding["provider_name"], "GitLab");
    assert_eq!(known_finding["hint"], "glpat-…Qr1t");
    let unknown_finding = results["findings"].as_array().unwrap().iter().find(|f| f["group"] == "unknown").unwrap();
    assert_eq!(unknown_finding["provider_name"], "Hugging Face");

    let progress = events.lock().unwrap().clone();
    assert!(!progress.is_empty(), "progress events were sent");
    let last: Value = serde_json::from_str(progress.last().unwrap()).unwrap();
    assert!(last.get("files").is_some() && last.get("bytes").is_some() && last.get("elapsed_ms").is_some(), "{last}");

    let applied = w.ok("scan_apply", json!({ "request": { "link": known_ids, "import": unknown_ids } }));
    assert_eq!(applied, json!({ "linked": 1, "imported": 1 }));
    let list = w.ok("tokens_list", json!({}));
    let imported = list.as_array().unwrap().iter().find(|t| t["provider"] == "hugging-face").expect("imported");
    assert_eq!(imported["hint"], "hf_…JdHg");
    let detail = w.ok("token_get", json!({ "id": known }));
    let usages = detail["usages"].as_array().unwrap();
    assert_eq!(usages.len(), 1, "{detail}");
    assert_eq!(usages[0]["kind"], "plaintext_file");
    assert_eq!(usages[0]["location"], format!("{}:1", dir.path().join(".env").display()));
    let again = w.call("scan_apply", json!({ "request": { "link": [], "import": [] } })).unwrap_err();
    assert_eq!(again["code"], "invalid_input", "findings apply once: {again}");

    // Canary: no answer and no event carried either secret.
    let everything = format!("{results} {applied} {list} {detail} {}", progress.join(" "));
    for secret in [KNOWN, UNKNOWN] {
        assert!(!everything.contains(secret), "a secret crossed IPC");
    }
    // The imported secret is the one on disk.
    assert_eq!(w.ok("token_reveal", json!({ "id": imported["id"] })), UNKNOWN);
}

#[test]
fn a_dead_or_possible_finding_is_refused_and_nothing_is_applied() {
    let (w, dir, known) = prepared();
    let handle = w.pick(dir.path(), PickPurpose::Scan);
    let results = w.ok("scan_start", json!({ "request": { "home": false, "folders": [handle] } }));
    let known_ids = ids(&results, "known");
    // An unknown finding offered for linking is not linkable.
    let refused = w.call("scan_apply", json!({ "request": { "link": ids(&results, "unknown"), "import": [] } }));
    assert_eq!(refused.unwrap_err()["code"], "invalid_input");
    assert!(w.ok("token_get", json!({ "id": known }))["usages"].as_array().unwrap().is_empty());
    assert!(!known_ids.is_empty());
}

#[test]
fn locking_drops_the_findings_and_the_folder_choice() {
    let (w, dir, _) = prepared();
    let handle = w.pick(dir.path(), PickPurpose::Scan);
    let results = w.ok("scan_start", json!({ "request": { "home": false, "folders": [handle.clone()] } }));
    assert!(w.window.state::<Session>().has_scan_report());
    w.ok("vault_lock", json!({}));
    assert!(!w.window.state::<Session>().has_scan_report(), "the unknown secrets died with the lock");
    w.ok("vault_unlock", json!({ "password": "pw one two" }));
    let request = json!({ "request": { "link": ids(&results, "known"), "import": ids(&results, "unknown") } });
    assert_eq!(w.call("scan_apply", request).unwrap_err()["code"], "invalid_input");
    let stale = w.call("scan_start", json!({ "request": { "home": false, "folders": [handle] } })).unwrap_err();
    assert_eq!(stale["code"], "invalid_input", "the folder handle died with the lock: {stale}");
    assert_eq!(w.ok("tokens_list", json!({})).as_array().unwrap().len(), 1, "nothing was imported");
}

#[test]
fn a_file_chosen_for_import_is_not_a_folder_to_scan() {
    let (w, dir, _) = prepared();
    let handle = w.pick(&dir.path().join(".env"), PickPurpose::Import);
    let refused = w.call("scan_start", json!({ "request": { "home": false, "folders": [handle] } })).unwrap_err();
    assert_eq!(refused["code"], "invalid_input");
}

#[test]
fn a_cancelled_scan_keeps_no_findings() {
    let (w, dir, _) = prepared();
    let session = w.window.state::<Session>();
    let stop = session.begin_scan().unwrap();
    assert_eq!(
        w.call("scan_start", json!({ "request": { "home": false, "folders": [] } })).unwrap_err()["code"],
        "invalid_input",
        "one scan at a time"
    );
    w.ok("scan_cancel", json!({}));
    let report = tokenwarden_core::scan::scan(
        &[dir.path().to_owned()],
        &Default::default(),
        &stop,
        chrono::Utc::now(),
        |m| session.peek(|v| m(v)).unwrap(),
        |_| {},
    )
    .unwrap();
    assert!(!session.end_scan(&stop, Some(report)), "a stopped scan's findings are dropped");
    assert!(!session.has_scan_report());
    assert_eq!(
        w.call("scan_apply", json!({ "request": { "link": [], "import": [] } })).unwrap_err()["code"],
        "invalid_input"
    );
}

#[test]
fn scanning_while_locked_is_refused() {
    let (w, _dir, _) = prepared();
    w.ok("vault_lock", json!({}));
    let refused = w.call("scan_start", json!({ "request": { "home": true, "folders": [] } })).unwrap_err();
    assert_eq!(refused["code"], "locked");
}
