//! The inventory over IPC on the mock runtime: create, add, list, reveal, edit, lock — the same
//! commands, capability and error mapping the real window uses, minus the webview.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::open;
use serde_json::{json, Value};

fn input(name: &str, secret: Option<&str>, expires: Option<&str>) -> Value {
    json!({ "input": {
        "name": name, "provider": "github", "kind": "personal_access_token", "secret": secret,
        "expires_at": expires, "account": "octo", "environment": null, "scopes": ["repo"], "tags": ["ci"],
        "notes": null, "url": null
    }})
}

#[test]
fn create_add_list_reveal_lock_unlock_over_ipc() {
    let w = open();
    assert_eq!(w.ok("vault_status", json!({}))["exists"], false);
    assert_eq!(w.call("tokens_list", json!({})).unwrap_err()["code"], "locked");
    w.ok("vault_create", json!({ "password": "pw one two", "useKeyring": false }));
    let status = w.ok("vault_status", json!({}));
    assert_eq!((status["exists"].clone(), status["locked"].clone()), (json!(true), json!(false)));

    let soon = w.ok("token_add", input("soon", Some("ghp_ipc0123456789abcdefghijklmnopqrstuvSOON"), Some("7d")));
    assert_eq!(soon["hint"], "ghp_…SOON");
    assert!(soon.get("secret").is_none(), "responses never carry the secret");
    w.ok("token_add", input("never", Some("ghp_ipc0123456789abcdefghijklmnopqrstuNEVER"), None));
    let list = w.ok("tokens_list", json!({}));
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["soon", "never"]);
    assert!(!list.to_string().contains("ghp_ipc0123456789"), "the list carries no secret");

    let id = soon["id"].as_str().unwrap();
    assert_eq!(w.ok("token_reveal", json!({ "id": id })), "ghp_ipc0123456789abcdefghijklmnopqrstuvSOON");
    let edited =
        w.ok("token_update", json!({ "id": id, "input": input("soon renamed", None, Some("2030-01-01"))["input"] }));
    assert_eq!(edited["name"], "soon renamed");
    assert_eq!(edited["expires_at"], "2030-01-01T00:00:00Z");
    assert_eq!(w.ok("token_reveal", json!({ "id": id })), "ghp_ipc0123456789abcdefghijklmnopqrstuvSOON", "kept");
    let detail = w.ok("token_get", json!({ "id": id }));
    let history: Vec<&str> =
        detail["history"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(history, ["revealed", "edited", "revealed", "created"]);

    w.ok("vault_lock", json!({}));
    assert_eq!(w.call("token_reveal", json!({ "id": id })).unwrap_err()["code"], "locked");
    assert_eq!(w.call("vault_unlock", json!({ "password": "wrong" })).unwrap_err()["code"], "wrong_password");
    w.ok("vault_unlock", json!({ "password": "pw one two" }));
    assert_eq!(w.ok("tokens_list", json!({})).as_array().unwrap().len(), 2);
}

#[test]
fn invalid_input_comes_back_with_its_code_and_field() {
    let w = open();
    w.ok("vault_create", json!({ "password": "test password", "useKeyring": false }));
    let err = w.call("token_add", input("x", None, None)).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().starts_with("secret:"), "{err}");
    let err = w.call("token_add", input("x", Some("ghp_whatever0123456789abcdefgh"), Some("someday"))).unwrap_err();
    assert!(err["message"].as_str().unwrap().starts_with("expires:"), "{err}");
    let err = w.call("settings_save", json!({ "settings": { "auto_lock_secs": 300, "clipboard_clear_secs": 1, "warn_days": 30, "urgent_days": 7, "theme": "system" } })).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    w.ok("settings_save", json!({ "settings": { "auto_lock_secs": 600, "clipboard_clear_secs": 5, "warn_days": 14, "urgent_days": 3, "theme": "dark" } }));
    assert_eq!(w.ok("settings_get", json!({}))["warn_days"], 14);
}

#[test]
fn archive_and_delete_over_ipc() {
    let w = open();
    w.ok("vault_create", json!({ "password": "test password", "useKeyring": false }));
    let t = w.ok("token_add", input("t", Some("ghp_archive0123456789abcdefghij"), None));
    let id = t["id"].as_str().unwrap();
    w.ok("token_archive", json!({ "id": id }));
    assert_eq!(w.ok("tokens_list", json!({}))[0]["status"], "archived");
    w.ok("token_delete", json!({ "id": id }));
    assert_eq!(w.ok("tokens_list", json!({})), json!([]));
    assert_eq!(w.call("token_get", json!({ "id": id })).unwrap_err()["code"], "not_found");
}

#[test]
fn import_preview_apply_and_export_over_ipc() {
    let w = open();
    w.ok("vault_create", json!({ "password": "pw one two", "useKeyring": false }));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tokens.csv");
    std::fs::write(
        &csv,
        "Title,API Token,Expires\nci bot,ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u,2027-02-01\nold,glpat-Vd83kLm2Qp9Zx7Tn4Wb1,\n",
    )
    .unwrap();
    let request = |columns: Value| {
        json!({ "request": {
            "path": csv.to_str().unwrap(), "format": null, "passphrase": null,
            "on_duplicate": "skip", "columns": columns
        }})
    };
    // "API Token" is not a header the mapper knows: the preview says no column holds the secret.
    let refused = w.call("import_preview", request(json!([]))).unwrap_err();
    assert_eq!(refused["code"], "invalid_input", "{refused}");
    let preview = w.ok("import_preview", request(json!([{ "header": "API Token", "field": "secret" }])));
    assert_eq!(preview["format"], "csv");
    assert_eq!(preview["summary"]["created"], 2);
    assert_eq!(preview["rows"][0]["provider"], "github");
    assert_eq!(preview["rows"][0]["provider_detected"], true);
    assert!(!preview.to_string().contains("R8fQ2mX7"), "the preview holds no secret: {preview}");
    assert_eq!(w.ok("tokens_list", json!({})).as_array().unwrap().len(), 0, "a preview writes nothing");

    let summary = w.ok("import_apply", json!({}));
    assert_eq!(summary["created"], 2);
    assert_eq!(w.ok("tokens_list", json!({})).as_array().unwrap().len(), 2);
    let again = w.call("import_apply", json!({})).unwrap_err();
    assert_eq!(again["code"], "invalid_input", "a plan applies once: {again}");

    let out = dir.path().join("backup.age");
    let export = |path: &std::path::Path, overwrite: bool| {
        json!({ "request": {
            "path": path.to_str().unwrap(), "format": "backup", "include_secrets": false,
            "passphrase": "a long backup passphrase", "armor": false, "overwrite": overwrite
        }})
    };
    let result = w.ok("export_file", export(&out, false));
    assert_eq!((result["tokens"].as_u64(), result["with_secrets"].as_bool()), (Some(2), Some(true)));
    assert!(std::fs::read(&out).unwrap().starts_with(b"age-encryption.org/v1"));
    assert_eq!(w.call("export_file", export(&out, false)).unwrap_err()["code"], "invalid_input");
    w.ok("export_file", export(&out, true));

    // A backup without its passphrase asks for it with its own code; locking drops a pending plan.
    let restore = json!({ "request": {
        "path": out.to_str().unwrap(), "format": null, "passphrase": null, "on_duplicate": "skip", "columns": []
    }});
    assert_eq!(w.call("import_preview", restore).unwrap_err()["code"], "passphrase_needed");
    w.ok("import_preview", request(json!([{ "header": "API Token", "field": "secret" }])));
    w.ok("vault_lock", json!({}));
    w.ok("vault_unlock", json!({ "password": "pw one two" }));
    assert_eq!(w.call("import_apply", json!({})).unwrap_err()["code"], "invalid_input");
}

#[test]
fn a_request_to_open_a_token_waits_until_the_ui_takes_it_once() {
    use tauri::Manager;
    let w = open();
    assert_eq!(w.ok("open_request_take", json!({})), Value::Null);
    tokenwarden_app::window::open_token(w.window.app_handle(), "0192f3a4-5b6c-7d8e-9f00-112233445566", true);
    let taken = w.ok("open_request_take", json!({}));
    assert_eq!(taken, json!({ "id": "0192f3a4-5b6c-7d8e-9f00-112233445566", "rotate": true }));
    assert_eq!(w.ok("open_request_take", json!({})), Value::Null, "a request is handed over once");
}
