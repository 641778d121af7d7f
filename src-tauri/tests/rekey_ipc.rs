//! Re-encrypting the vault and the rollback check over IPC on the mock runtime: `vault_rekey`
//! refuses a wrong password and leaves the vault unlocked, keeps every secret and the password;
//! unlocking a vault whose database was put back to an older copy says it was rolled back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::open;
use serde_json::{json, Value};

const PASSWORD: &str = "pw one two three";
const SECRET: &str = "ghp_ipc0123456789abcdefghijklmnopqrstuvREKEY";

fn add(w: &common::Window, name: &str, secret: &str) -> String {
    let token = w.ok(
        "token_add",
        json!({ "input": {
            "name": name, "provider": "github", "kind": "personal_access_token", "secret": secret,
            "expires_at": null, "account": null, "environment": null, "scopes": [], "tags": [],
            "notes": null, "url": null
        }}),
    );
    token["id"].as_str().unwrap().to_owned()
}

#[test]
fn vault_rekey_keeps_the_secrets_and_the_password_and_refuses_a_wrong_password() {
    let w = open();
    w.ok("vault_create", json!({ "password": PASSWORD, "useKeyring": false }));
    let id = add(&w, "deploy", SECRET);
    let keys_before = std::fs::read(w.vault_dir().join("vault.keys")).unwrap();

    let err = w.call("vault_rekey", json!({ "password": "not the password" })).unwrap_err();
    assert_eq!(err["code"], "wrong_password");
    assert_eq!(std::fs::read(w.vault_dir().join("vault.keys")).unwrap(), keys_before, "nothing changed");
    assert_eq!(w.ok("vault_status", json!({}))["locked"], false, "a wrong password does not lock the vault");

    assert_eq!(w.ok("vault_rekey", json!({ "password": PASSWORD })), Value::Null);
    assert_ne!(std::fs::read(w.vault_dir().join("vault.keys")).unwrap(), keys_before);
    assert_eq!(w.ok("vault_status", json!({}))["locked"], false);
    assert_eq!(w.ok("token_reveal", json!({ "id": id })), SECRET);
    w.ok("vault_lock", json!({}));
    w.ok("vault_unlock", json!({ "password": PASSWORD }));
    assert_eq!(w.ok("token_reveal", json!({ "id": id })), SECRET);
}

#[test]
fn unlocking_an_older_database_put_back_says_it_was_rolled_back() {
    let w = open();
    w.ok("vault_create", json!({ "password": PASSWORD, "useKeyring": false }));
    add(&w, "one", SECRET);
    w.ok("vault_lock", json!({}));
    let dir = w.vault_dir();
    let old = std::fs::read(dir.join("vault.db")).unwrap();
    w.ok("vault_unlock", json!({ "password": PASSWORD }));
    add(&w, "two", "ghp_ipc0123456789abcdefghijklmnopqrstuvTWO0");
    w.ok("vault_lock", json!({}));
    for extra in ["vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(dir.join(extra));
    }
    std::fs::write(dir.join("vault.db"), old).unwrap();

    let err = w.call("vault_unlock", json!({ "password": PASSWORD })).unwrap_err();
    assert_eq!(err["code"], "corrupt");
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("rolled back") && message.contains("records 3") && message.contains("holds only 2"),
        "{message}"
    );
}
