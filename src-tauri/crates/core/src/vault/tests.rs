//! The vault's promises about its files: the head record outside the database catches a
//! rolled-back `vault.db`, and a re-key, finished or cut short at its commit point, loses nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::anchor::Anchor;
use super::rekey::{RekeyOutcome, REKEY_DB_FILE};
use super::*;
use crate::audit_log::EventKind;
use crate::crypto::MasterKey;
use crate::error::Error;
use crate::{NewToken, TokenKind};
use chrono::TimeZone;
use std::path::PathBuf;

const CHEAP: KdfParams = KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap()
}

fn password() -> SecretString {
    SecretString::from("test password")
}

fn secret(i: usize) -> String {
    format!("ghp_{i:036}")
}

/// A vault with `n` tokens; returns the dir and the token ids in order.
fn vault_with(n: usize) -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let mut vault = Vault::create(&dir, &password(), CHEAP, now()).unwrap();
    let ids = add(&mut vault, 0..n);
    vault.lock();
    (tmp, dir, ids)
}

fn add(vault: &mut Vault, range: std::ops::Range<usize>) -> Vec<String> {
    range
        .map(|i| {
            let new = NewToken::new(
                format!("t{i}"),
                tokenwarden_providers::ProviderId::generic(),
                TokenKind::ApiKey,
                SecretString::from(secret(i)),
            );
            vault.add_token(new, now()).unwrap().id
        })
        .collect()
}

fn unlock(dir: &Path) -> Result<Vault> {
    Vault::unlock_with_password(dir, &password()).map(|(v, _)| v)
}

fn assert_secrets(vault: &mut Vault, ids: &[String]) {
    for (i, id) in ids.iter().enumerate() {
        let got = vault.reveal_secret(id, EventKind::Revealed, now()).unwrap();
        assert_eq!(got.expose_secret(), secret(i));
    }
}

fn copy_db(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for name in [DB_FILE, "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(to.join(name));
        if from.join(name).exists() {
            std::fs::copy(from.join(name), to.join(name)).unwrap();
        }
    }
}

fn recorded_seq(dir: &Path) -> i64 {
    let text = std::fs::read_to_string(dir.join(HEAD_FILE)).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap()["seq"].as_i64().unwrap()
}

#[test]
fn every_committed_write_moves_the_head_record_outside_the_database() {
    let (_tmp, dir, _) = vault_with(3);
    // vault_created + 3 created events.
    assert_eq!(recorded_seq(&dir), 4);
    let mut vault = unlock(&dir).unwrap();
    add(&mut vault, 3..5);
    assert_eq!(recorded_seq(&dir), 6);
}

#[test]
fn an_older_vault_db_put_back_is_refused_as_a_rollback_naming_both_counts() {
    let (tmp, dir, _) = vault_with(2);
    let old = tmp.path().join("old");
    copy_db(&dir, &old);
    let mut vault = unlock(&dir).unwrap();
    add(&mut vault, 2..5);
    vault.lock();
    copy_db(&old, &dir);
    let err = unlock(&dir).err().expect("the rolled-back database was accepted");
    assert!(matches!(err, Error::RolledBack { recorded: 6, found: 3 }), "{err}");
    let message = err.to_string();
    assert!(message.contains("rolled back") && message.contains('6') && message.contains('3'), "{message}");
    assert_eq!(err.code(), crate::ErrorCode::Corrupt);
}

#[test]
fn a_head_record_one_step_behind_the_database_is_the_crash_window_and_is_accepted() {
    let (_tmp, dir, _) = vault_with(2);
    let vault = unlock(&dir).unwrap();
    let hash = crate::store::events::hash_at(&vault.conn, 2).unwrap().unwrap();
    Anchor::new(&dir, vault.vault_id(), &vault.keys).record(2, &hash).unwrap();
    vault.lock();
    let vault = unlock(&dir).unwrap();
    assert_eq!(recorded_seq(&dir), 3, "the record caught up at unlock");
    vault.lock();
}

#[test]
fn a_vault_without_a_head_record_gets_one_at_unlock() {
    let (_tmp, dir, _) = vault_with(1);
    let mut vault = unlock(&dir).unwrap();
    vault.keyfile.clear_head_recorded(&vault.master);
    vault.keyfile.write(true).unwrap();
    vault.lock();
    std::fs::remove_file(dir.join(HEAD_FILE)).unwrap();
    assert!(!std::fs::read_to_string(dir.join(KEYS_FILE)).unwrap().contains("head_recorded"));
    let vault = unlock(&dir).expect("an older vault without a record opens");
    vault.lock();
    assert_eq!(recorded_seq(&dir), 2);
    assert!(std::fs::read_to_string(dir.join(KEYS_FILE)).unwrap().contains("\"head_recorded\": true"));
}

#[test]
fn a_deleted_head_record_is_refused_once_vault_keys_says_there_is_one() {
    let (_tmp, dir, _) = vault_with(1);
    std::fs::remove_file(dir.join(HEAD_FILE)).unwrap();
    let err = unlock(&dir).err().expect("a vault whose head record was deleted opened");
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("missing"), "{err}");
}

#[test]
fn rekey_reseals_every_secret_under_a_new_key_and_the_old_key_file_no_longer_opens_it() {
    let (tmp, dir, ids) = vault_with(5);
    let old_keys = std::fs::read(dir.join(KEYS_FILE)).unwrap();
    let vault = unlock(&dir).unwrap();
    let old_db_key = *vault.keys.database;
    let (mut vault, outcome) = vault.rekey(&password(), CHEAP, None, now()).unwrap();
    assert_eq!(outcome, RekeyOutcome::NoKeyring);
    assert_ne!(*vault.keys.database, old_db_key);
    assert_eq!(vault.events(None, 1).unwrap()[0].kind, "vault_rekeyed");
    assert_eq!(vault.verify_log().unwrap(), 7);
    assert_secrets(&mut vault, &ids);
    // Fingerprints follow the new key: the same secret is still recognised as a duplicate.
    let fp = vault.keys.fingerprint(secret(3).as_bytes());
    assert_eq!(vault.find_by_fingerprint(&fp).unwrap(), vec![ids[3].clone()]);
    vault.lock();
    assert!(!dir.join(REKEY_DB_FILE).exists());
    let mut vault = unlock(&dir).expect("the re-keyed vault opens with the password");
    assert_secrets(&mut vault, &ids);
    vault.lock();
    // The old key file and the same password: the new database does not open.
    let copy = tmp.path().join("copy");
    copy_db(&dir, &copy);
    std::fs::write(copy.join(KEYS_FILE), &old_keys).unwrap();
    let err = unlock(&copy).err().expect("the old key file opened the re-keyed database");
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
}

#[test]
fn rekey_with_the_wrong_password_changes_nothing() {
    let (_tmp, dir, ids) = vault_with(2);
    let before = std::fs::read(dir.join(KEYS_FILE)).unwrap();
    let vault = unlock(&dir).unwrap();
    let err = vault.rekey(&SecretString::from("not the password"), CHEAP, None, now()).err().unwrap();
    assert!(matches!(err, Error::WrongPassword { .. }), "{err}");
    assert_eq!(std::fs::read(dir.join(KEYS_FILE)).unwrap(), before);
    let mut vault = unlock(&dir).unwrap();
    assert_secrets(&mut vault, &ids);
}

/// Runs a re-key up to and including its commit point, and stops there, as a crash would.
fn rekey_to_commit_point(dir: &Path) {
    let vault = unlock(dir).unwrap();
    let master = MasterKey::generate();
    let keys = master.derive(vault.vault_id());
    let staged = dir.join(REKEY_DB_FILE);
    vault.export_to(&staged, &keys).unwrap();
    vault.reseal_staged(&staged, &keys, now()).unwrap();
    let mut keyfile = vault.keyfile.clone();
    keyfile.set_password(&master, password().expose_secret().as_bytes(), CHEAP).unwrap();
    drop(vault);
    keyfile.write(true).unwrap();
}

#[test]
fn a_rekey_interrupted_after_its_commit_point_is_finished_at_the_next_unlock() {
    let (_tmp, dir, ids) = vault_with(4);
    rekey_to_commit_point(&dir);
    assert!(dir.join(REKEY_DB_FILE).exists());
    let mut vault = unlock(&dir).expect("the vault opens after the interrupted re-key");
    assert!(!dir.join(REKEY_DB_FILE).exists());
    assert_secrets(&mut vault, &ids);
    assert_eq!(vault.events(None, 20).unwrap().iter().filter(|e| e.kind == "vault_rekeyed").count(), 1);
    vault.verify_log().unwrap();
}

#[test]
fn a_rekey_interrupted_before_its_commit_point_is_discarded_at_the_next_unlock() {
    let (_tmp, dir, ids) = vault_with(4);
    let vault = unlock(&dir).unwrap();
    let keys = MasterKey::generate().derive(vault.vault_id());
    vault.export_to(&dir.join(REKEY_DB_FILE), &keys).unwrap();
    vault.lock();
    let mut vault = unlock(&dir).expect("the vault opens with its old key");
    assert!(!dir.join(REKEY_DB_FILE).exists());
    assert_secrets(&mut vault, &ids);
}

#[test]
fn an_unlock_during_a_running_rekey_leaves_its_staged_database_alone() {
    let (_tmp, dir, ids) = vault_with(2);
    let vault = unlock(&dir).unwrap();
    let keys = MasterKey::generate().derive(vault.vault_id());
    // Held as the re-keying process holds it.
    let lock = vault.export_to(&dir.join(REKEY_DB_FILE), &keys).unwrap();
    let err = unlock(&dir).err().expect("an unlock went ahead during a re-key");
    assert!(err.to_string().contains("re-keying"), "{err}");
    assert!(dir.join(REKEY_DB_FILE).exists());
    drop(lock);
    vault.lock();
    let mut vault = unlock(&dir).unwrap();
    assert!(!dir.join(REKEY_DB_FILE).exists());
    assert_secrets(&mut vault, &ids);
}

#[test]
fn a_vault_left_open_during_a_rekey_elsewhere_can_neither_undo_it_nor_spoil_its_head_record() {
    let (_tmp, dir, ids) = vault_with(2);
    let mut stale = unlock(&dir).unwrap();
    let (fresh, _) = unlock(&dir).unwrap().rekey(&password(), CHEAP, None, now()).unwrap();
    fresh.lock();
    // Writing its old key file back would pair the new database with the old key.
    let err = stale.change_password(&SecretString::from("another password"), CHEAP, now()).err().unwrap();
    assert!(err.to_string().contains("changed since this vault was unlocked"), "{err}");
    // Its commits land in the replaced file and must not sign vault.head with the old key.
    add(&mut stale, 2..3);
    stale.lock();
    let mut vault = unlock(&dir).expect("the re-keyed vault opens");
    assert_secrets(&mut vault, &ids);
}
