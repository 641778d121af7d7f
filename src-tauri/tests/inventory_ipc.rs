//! The inventory over IPC on the mock runtime: create, add, list, reveal, edit, lock — the same
//! commands, capability and error mapping the real window uses, minus the webview.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::open;
use serde_json::{json, Value};
use tokenwarden_app::state::PickPurpose;

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
fn a_token_gets_its_own_reminder_days_and_can_follow_the_vaults_again() {
    let w = open();
    w.ok("vault_create", json!({ "password": "test password", "useKeyring": false }));
    let t = w.ok("token_add", input("t", Some("ghp_reminders0123456789abcdefghij"), Some("90d")));
    let id = t["id"].as_str().unwrap();
    assert_eq!(w.ok("token_get", json!({ "id": id }))["reminder_days"], Value::Null, "follows the vault's");
    let stored = w.ok("token_set_reminder_days", json!({ "id": id, "days": [7, 60, 7, 14] }));
    assert_eq!(stored, json!([60, 14, 7]), "deduplicated, largest first");
    assert_eq!(w.ok("token_get", json!({ "id": id }))["reminder_days"], json!([60, 14, 7]));
    let err = w.call("token_set_reminder_days", json!({ "id": id, "days": [0] })).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().starts_with("reminder_days:"), "{err}");
    assert_eq!(
        w.ok("token_get", json!({ "id": id }))["reminder_days"],
        json!([60, 14, 7]),
        "a refusal changes nothing"
    );
    assert_eq!(w.ok("token_set_reminder_days", json!({ "id": id, "days": null })), Value::Null);
    assert_eq!(w.ok("token_get", json!({ "id": id }))["reminder_days"], Value::Null);
    let unknown = w.call("token_set_reminder_days", json!({ "id": "no-such-token", "days": [3] })).unwrap_err();
    assert_eq!(unknown["code"], "not_found");
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
    let csv_handle = w.pick(&csv, PickPurpose::Import);
    let request = |columns: Value| {
        json!({ "request": {
            "handle": csv_handle, "format": null, "passphrase": null,
            "on_duplicate": "skip", "columns": columns
        }})
    };
    // "API Token" is not a header the mapper knows: the preview says no column holds the secret.
    let refused = w.call("import_preview", request(json!([]))).unwrap_err();
    assert_eq!(refused["code"], "invalid_input", "{refused}");
    let preview = w.ok("import_preview", request(json!([{ "header": "API Token", "field": "secret" }])));
    assert_eq!(preview["format"], "csv");
    assert_eq!(preview["file"], "tokens.csv", "the UI sees the file's name, not its path");
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
    let out_handle = w.pick(&out, PickPurpose::Export);
    let export = |handle: &str, overwrite: bool| {
        json!({ "request": {
            "handle": handle, "format": "backup", "include_secrets": false,
            "passphrase": "a long backup passphrase", "password": null, "armor": false, "overwrite": overwrite
        }})
    };
    let result = w.ok("export_file", export(&out_handle, false));
    assert_eq!(result["name"], "backup.age");
    assert_eq!((result["tokens"].as_u64(), result["with_secrets"].as_bool()), (Some(2), Some(true)));
    assert!(std::fs::read(&out).unwrap().starts_with(b"age-encryption.org/v1"));
    assert_eq!(w.call("export_file", export(&out_handle, false)).unwrap_err()["code"], "invalid_input");
    w.ok("export_file", export(&out_handle, true));

    // A backup without its passphrase asks for it with its own code; locking drops a pending plan.
    let restore = json!({ "request": {
        "handle": w.pick(&out, PickPurpose::Import), "format": null, "passphrase": null, "on_duplicate": "skip", "columns": []
    }});
    assert_eq!(w.call("import_preview", restore).unwrap_err()["code"], "passphrase_needed");
    w.ok("import_preview", request(json!([{ "header": "API Token", "field": "secret" }])));
    w.ok("vault_lock", json!({}));
    w.ok("vault_unlock", json!({ "password": "pw one two" }));
    assert_eq!(w.call("import_apply", json!({})).unwrap_err()["code"], "invalid_input");
}

fn export_request(handle: &str, format: &str, include_secrets: bool, password: Option<&str>) -> Value {
    json!({ "request": {
        "handle": handle, "format": format, "include_secrets": include_secrets,
        "passphrase": null, "password": password, "armor": false, "overwrite": false
    }})
}

fn import_request(handle: &str) -> Value {
    json!({ "request": { "handle": handle, "format": null, "passphrase": null, "on_duplicate": "skip", "columns": [] } })
}

#[test]
fn files_are_named_by_handles_that_die_with_the_session() {
    let w = open();
    w.ok("vault_create", json!({ "password": "pw one two", "useKeyring": false }));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tokens.csv");
    std::fs::write(&csv, "name,secret\nci,ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u\n").unwrap();
    // A handle nobody handed out, and a path where a handle belongs, are refused.
    for bogus in ["0123456789abcdef0123456789abcdef", csv.to_str().unwrap()] {
        let refused = w.call("import_preview", import_request(bogus)).unwrap_err();
        assert_eq!(refused["code"], "invalid_input", "{refused}");
        assert!(refused["message"].as_str().unwrap().contains("choose the file again"), "{refused}");
    }
    // A file chosen for reading cannot be written through its handle, nor the other way round.
    let import = w.pick(&csv, PickPurpose::Import);
    let refused = w.call("export_file", export_request(&import, "csv", false, None)).unwrap_err();
    assert_eq!(refused["code"], "invalid_input", "{refused}");
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "name,secret\nci,ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u\n");
    let out = dir.path().join("out.csv");
    let export = w.pick(&out, PickPurpose::Export);
    assert_eq!(w.call("import_preview", import_request(&export)).unwrap_err()["code"], "invalid_input");
    // The right handles work until the vault locks, and never after.
    w.ok("import_preview", import_request(&import));
    w.ok("vault_lock", json!({}));
    w.ok("vault_unlock", json!({ "password": "pw one two" }));
    let gone = w.call("import_preview", import_request(&import)).unwrap_err();
    assert_eq!(gone["code"], "invalid_input", "{gone}");
    let gone = w.call("export_file", export_request(&export, "csv", false, None)).unwrap_err();
    assert_eq!(gone["code"], "invalid_input", "{gone}");
    assert!(!out.exists());
    // Without a native dialog (the mock runtime) picking says so instead of hanging.
    assert_eq!(w.call("import_pick", json!({})).unwrap_err()["code"], "invalid_input");
}

#[test]
fn exports_into_the_vault_folder_or_a_home_dot_folder_are_refused() {
    let w = open();
    w.ok("vault_create", json!({ "password": "pw one two", "useKeyring": false }));
    w.ok("token_add", input("ci", Some("ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u"), None));
    let vault = w.vault_dir();
    let outside = tempfile::tempdir().unwrap();
    // Through a symlink to the vault folder, and through `..`, as well as straight in.
    std::os::unix::fs::symlink(&vault, outside.path().join("innocent")).unwrap();
    std::fs::create_dir(outside.path().join("sub")).unwrap();
    let home = std::path::PathBuf::from(std::env::var_os("HOME").unwrap());
    let dot = home.join(".tokenwarden-test-refused-export.csv");
    let targets = [
        vault.join("out.csv"),
        outside.path().join("innocent/out.csv"),
        outside.path().join("sub/../innocent/out.csv"),
        dot.clone(),
    ];
    for target in &targets {
        let handle = w.pick(target, PickPurpose::Export);
        let refused = w.call("export_file", export_request(&handle, "csv", false, None)).unwrap_err();
        assert_eq!(refused["code"], "invalid_input", "{}: {refused}", target.display());
        assert!(refused["message"].as_str().unwrap().contains("choose another folder"), "{refused}");
    }
    assert!(!vault.join("out.csv").exists() && !dot.exists());
    let fine = outside.path().join("sub/out.csv");
    w.ok("export_file", export_request(&w.pick(&fine, PickPurpose::Export), "csv", false, None));
    assert!(fine.exists());
}

#[test]
fn a_plaintext_export_needs_the_vault_password_again() {
    let w = open();
    w.ok("vault_create", json!({ "password": "pw one two", "useKeyring": false }));
    w.ok("token_add", input("ci", Some("ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u"), None));
    let dir = tempfile::tempdir().unwrap();
    for (format, with_secrets) in [("csv", true), ("json", true), ("keepassxc-xml", true)] {
        let out = dir.path().join(format!("out.{format}"));
        let handle = w.pick(&out, PickPurpose::Export);
        let missing = w.call("export_file", export_request(&handle, format, with_secrets, None)).unwrap_err();
        assert_eq!(missing["code"], "invalid_input", "{missing}");
        let wrong = w.call("export_file", export_request(&handle, format, with_secrets, Some("wrong pw"))).unwrap_err();
        assert_eq!(wrong["code"], "wrong_password", "{wrong}");
        assert!(!out.exists(), "nothing written for {format}");
        w.ok("export_file", export_request(&handle, format, with_secrets, Some("pw one two")));
        assert!(std::fs::read_to_string(&out).unwrap().contains("R8fQ2mX7"), "{format}");
    }
    // Metadata only: no password asked.
    let meta = dir.path().join("meta.csv");
    w.ok("export_file", export_request(&w.pick(&meta, PickPurpose::Export), "csv", false, None));
    assert!(!std::fs::read_to_string(&meta).unwrap().contains("R8fQ2mX7"));
}

#[test]
fn turning_keyring_unlock_on_needs_the_vault_password_again() {
    let w = open();
    w.ok("vault_create", json!({ "password": "pw one two", "useKeyring": false }));
    let keys = std::fs::read(w.vault_dir().join("vault.keys")).unwrap();
    for password in [Value::Null, json!("wrong pw")] {
        let refused = w.call("keyring_set", json!({ "enabled": true, "password": password })).unwrap_err();
        assert!(["invalid_input", "wrong_password"].contains(&refused["code"].as_str().unwrap()), "{refused}");
        assert_eq!(std::fs::read(w.vault_dir().join("vault.keys")).unwrap(), keys, "no keyring slot added");
    }
    let wrong = w.call("keyring_set", json!({ "enabled": true, "password": "wrong pw" })).unwrap_err();
    assert_eq!(wrong["code"], "wrong_password");
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

#[test]
fn token_rows_carry_the_list_fields_in_order_for_every_token_and_no_secret() {
    let w = open();
    assert_eq!(w.call("tokens_rows", json!({})).unwrap_err()["code"], "locked");
    w.ok("vault_create", json!({ "password": "pw one two", "useKeyring": false }));
    let mut with_notes = input("soon", Some("ghp_rows0123456789abcdefghijklmnopqrstuvSOON"), Some("2030-01-01"));
    with_notes["input"]["environment"] = json!("prod");
    with_notes["input"]["notes"] = json!("deploys the site");
    let soon = w.ok("token_add", with_notes);
    let gone = w.ok("token_add", input("gone", Some("ghp_rows0123456789abcdefghijklmnopqrstuvGONE"), None));
    w.ok("token_archive", json!({ "id": gone["id"] }));

    let rows = w.ok("tokens_rows", json!({}));
    assert!(!rows.to_string().contains("ghp_rows0123456789"), "the rows carry no secret");
    let full = w.ok("tokens_list", json!({}));
    assert_eq!(rows.as_array().unwrap().len(), 2, "archived tokens are listed too: {rows}");
    // Each row is the TokenRow's fields in declaration order, equal to the full view's.
    let fields = [
        "id",
        "name",
        "provider",
        "provider_name",
        "hint",
        "account",
        "environment",
        "tags",
        "notes",
        "created_at",
        "expires_at",
        "status",
    ];
    for (row, token) in rows.as_array().unwrap().iter().zip(full.as_array().unwrap()) {
        let row = row.as_array().unwrap();
        assert_eq!(row.len(), fields.len(), "{row:?}");
        for (value, field) in row.iter().zip(fields) {
            assert_eq!(value, &token[field], "{field} of {}", token["name"]);
        }
    }
    let first = rows[0].as_array().unwrap();
    assert_eq!(first[0], soon["id"]);
    assert_eq!(first[3], "GitHub");
    assert_eq!(first[8], "deploys the site");
    assert_eq!(first[10], "2030-01-01T00:00:00Z");
    assert_eq!(rows[1][11], "archived");
}
