//! The monitor's commands over IPC on the mock runtime, against the local fake provider server:
//! `monitor_status`, `alerts_list` and `alert_acknowledge` with the shapes the UI codes against,
//! after a background pass (`monitor::run_pass`, what the app's loop runs) raised an alert.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../tests/fake-providers/fake.rs"]
mod fake;

mod common;

use chrono::{Duration, Utc};
use common::Window;
use serde_json::{json, Value};
use tauri::Manager;
use tokenwarden_app::state::Session;

const GITLAB: &str = "glpat-IpcMonitorMonitor12";

/// The tests point the app at their own fake server through one process-wide variable, so they
/// take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn ok(w: &Window, cmd: &str, args: Value) -> Value {
    let value = w.ok(cmd, args);
    assert!(!value.to_string().contains(GITLAB), "{cmd} sent a secret back over IPC");
    value
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// The fake GitLab knowing one token, and a new vault (unlocked) holding it as "deploy".
fn gitlab_token_in_a_new_vault() -> (fake::FakeProviders, Window, String) {
    let fake = fake::FakeProviders::start();
    std::env::set_var("TOKENWARDEN_API_GITLAB", fake.url("gitlab"));
    fake.add_token(json!({ "provider": "gitlab", "token": GITLAB, "scopes": ["read_api"] }));
    let w = common::open();
    ok(&w, "vault_create", json!({ "password": "test password", "useKeyring": false }));
    let input = json!({ "input": {
        "name": "deploy", "provider": "gitlab", "kind": "personal_access_token", "secret": GITLAB,
        "expires_at": null, "account": null, "environment": null, "scopes": [], "tags": [], "notes": null, "url": null
    }});
    let id = ok(&w, "token_add", input)["id"].as_str().unwrap().to_owned();
    (fake, w, id)
}

#[test]
fn alerts_and_the_monitor_status_over_ipc_and_an_acknowledged_alert_leaves_the_list() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (fake, w, id) = gitlab_token_in_a_new_vault();
    // Nothing has run yet.
    let status = ok(&w, "monitor_status", json!({}));
    assert_eq!(
        keys(&status),
        ["checked_last_run", "enabled", "last_run", "next_check", "open_alerts"].map(String::from)
    );
    assert_eq!(
        status,
        json!({ "enabled": true, "last_run": null, "next_check": null, "checked_last_run": 0, "open_alerts": 0 })
    );
    assert_eq!(ok(&w, "alerts_list", json!({})), json!([]));

    // The check by hand is the consent; then the token dies at the provider.
    ok(&w, "verify_token", json!({ "id": id }));
    fake.update(json!({ "token": GITLAB, "revoked": true }));
    let session = w.window.state::<Session>();
    let tomorrow = Utc::now() + Duration::days(1) + Duration::minutes(1);
    let report = tokenwarden_app::monitor::run_pass(&session, tomorrow).expect("unlocked").unwrap();
    assert_eq!(report.checks.len(), 1);

    let alerts = ok(&w, "alerts_list", json!({}));
    let alert = &alerts.as_array().unwrap()[0];
    assert_eq!(alerts.as_array().unwrap().len(), 1, "{alerts}");
    assert_eq!(
        keys(alert),
        ["evidence", "id", "kind", "raised_at", "severity", "token_id", "token_name"].map(String::from)
    );
    assert_eq!(
        (alert["token_id"].as_str(), alert["token_name"].as_str(), alert["kind"].as_str(), alert["severity"].as_str()),
        (Some(id.as_str()), Some("deploy"), Some("died"), Some("high"))
    );
    assert_eq!(alert["raised_at"], tokenwarden_core::timestamp::encode(tomorrow));
    assert!(alert["evidence"].as_str().unwrap().contains("did not revoke"), "{alert}");

    let status = ok(&w, "monitor_status", json!({}));
    assert_eq!((status["checked_last_run"].as_u64(), status["open_alerts"].as_u64()), (Some(1), Some(1)));
    assert_eq!(status["last_run"], tokenwarden_core::timestamp::encode(tomorrow));
    assert!(status["next_check"].is_string(), "{status}");

    let alert_id = alert["id"].as_str().unwrap().to_owned();
    assert_eq!(ok(&w, "alert_acknowledge", json!({ "id": alert_id })), Value::Null);
    assert_eq!(ok(&w, "alerts_list", json!({})), json!([]));
    assert_eq!(ok(&w, "monitor_status", json!({}))["open_alerts"], 0);
    let again = w.call("alert_acknowledge", json!({ "id": alert_id })).unwrap_err();
    assert_eq!(again["code"], "invalid_input", "{again}");

    // Locked, the commands refuse and the background pass does nothing.
    ok(&w, "vault_lock", json!({}));
    assert_eq!(w.call("alerts_list", json!({})).unwrap_err()["code"], "locked");
    assert_eq!(w.call("monitor_status", json!({})).unwrap_err()["code"], "locked");
    let calls = fake.requests().as_array().unwrap().len();
    assert!(tokenwarden_app::monitor::run_pass(&session, tomorrow + Duration::days(1)).is_none());
    assert_eq!(fake.requests().as_array().unwrap().len(), calls, "no provider call while locked");
}

#[test]
fn the_monitor_is_turned_off_for_the_vault_or_for_one_token_and_then_checks_nothing_there() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (fake, w, id) = gitlab_token_in_a_new_vault();
    ok(&w, "verify_token", json!({ "id": id }));
    let session = w.window.state::<Session>();
    let calls = || fake.requests().as_array().unwrap().len();

    assert_eq!(ok(&w, "token_get", json!({ "id": id }))["monitored"], true, "on unless turned off");
    assert_eq!(ok(&w, "token_set_monitored", json!({ "id": id, "monitored": false })), Value::Null);
    assert_eq!(ok(&w, "token_get", json!({ "id": id }))["monitored"], false);
    let before = calls();
    let report = tokenwarden_app::monitor::run_pass(&session, Utc::now() + Duration::days(2)).expect("unlocked");
    assert!(report.map_or(true, |r| r.checks.is_empty()), "a token turned off is not checked");
    assert_eq!(calls(), before, "no call to the provider for it");

    ok(&w, "token_set_monitored", json!({ "id": id, "monitored": true }));
    let status = ok(&w, "monitor_set_enabled", json!({ "enabled": false }));
    assert_eq!((status["enabled"].as_bool(), status["next_check"].clone()), (Some(false), Value::Null));
    let report = tokenwarden_app::monitor::run_pass(&session, Utc::now() + Duration::days(3)).expect("unlocked");
    assert!(report.map_or(true, |r| r.checks.is_empty()), "the monitor turned off checks nothing");
    assert_eq!(calls(), before, "no call to any provider");

    let status = ok(&w, "monitor_set_enabled", json!({ "enabled": true }));
    assert_eq!(status["enabled"], true);
    let report = tokenwarden_app::monitor::run_pass(&session, Utc::now() + Duration::days(4)).expect("unlocked");
    assert_eq!(report.unwrap().checks.len(), 1, "on again, the token is checked");
    assert_eq!(
        w.call("token_set_monitored", json!({ "id": "nope", "monitored": false })).unwrap_err()["code"],
        "not_found"
    );
}
