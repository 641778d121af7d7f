//! The reminder index on disk: sealed with a key from the keyring (here a `MemoryKeyStore`), plain
//! (ids and dates, no names) without it, rewritten after every change to the tokens, private, and
//! never holding a secret. Real SQLCipher vaults in temp dirs, fixed clocks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use secrecy::SecretString;
use std::path::Path;
use tokenwarden_core::keystore::MemoryKeyStore;
use tokenwarden_core::reminders::{self, ReminderIndex, ReminderState, Threshold, INDEX_FILE};
use tokenwarden_core::transfer::{self, Input, OnDuplicate, ReadOptions};
use tokenwarden_core::{KdfParams, NewToken, TokenKind, TokenPatch, Vault};
use tokenwarden_providers::ProviderId;

const CHEAP: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
const SECRET: &str = "ghp_CANARYcanaryCANARYcanaryCANARYcanary0042";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn vault(dir: &Path) -> Vault {
    Vault::create(dir, &SecretString::from("test password"), CHEAP, now()).unwrap()
}

fn token(name: &str, secret: &str, days: i64) -> NewToken {
    let mut t = NewToken::new(
        name,
        ProviderId::parse("github").unwrap(),
        TokenKind::PersonalAccessToken,
        SecretString::from(secret.to_owned()),
    );
    t.expires_at = Some(now() + Duration::days(days));
    t
}

fn index_bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join(INDEX_FILE)).unwrap()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn without_the_keyring_the_index_holds_ids_and_dates_but_no_names_and_no_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let mut v = vault(&dir);
    let t = v.add_token(token("deploy-bot", SECRET, 5), now()).unwrap();
    let bytes = index_bytes(&dir);
    assert!(!contains(&bytes, "deploy-bot"), "{}", String::from_utf8_lossy(&bytes));
    assert!(!contains(&bytes, SECRET) && !contains(&bytes, "CANARY") && !contains(&bytes, &t.hint));
    assert!(!contains(&bytes, "GitHub") && !contains(&bytes, "github"));
    assert!(contains(&bytes, &t.id));
    v.lock();

    let index = ReminderIndex::read(&dir, &MemoryKeyStore::default()).unwrap();
    assert!(!index.sealed && !index.names_known);
    assert_eq!(index.entries.len(), 1);
    assert_eq!(index.entries[0].name, None);
    assert_eq!(index.entries[0].expires_at, t.expires_at);
    let due = reminders::compute(now(), &index.entries, &ReminderState::default(), index.warn_days, index.urgent_days);
    assert_eq!(due.due.len(), 1);
    assert_eq!(due.due[0].title(now()), "A token expires in 5 days — unlock to see which");
}

#[test]
fn with_the_index_key_in_the_keyring_the_index_is_sealed_and_opens_while_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let mut v = vault(&dir);
    let t = v.add_token(token("deploy-bot", SECRET, 5), now()).unwrap();
    v.enable_reminder_index_key(&store).unwrap();
    assert!(v.reminder_index_key_enabled().unwrap());
    let bytes = index_bytes(&dir);
    assert!(!contains(&bytes, "deploy-bot") && !contains(&bytes, SECRET) && !contains(&bytes, "GitHub"));
    let entries = v.reminder_entries().unwrap();
    v.lock();

    let index = ReminderIndex::read(&dir, &store).unwrap();
    assert!(index.sealed && index.names_known);
    assert_eq!(index.entries, entries);
    assert_eq!(index.entries[0].name.as_deref(), Some("deploy-bot"));
    assert_eq!(index.entries[0].provider.as_deref(), Some("GitHub"));
    assert_eq!(index.entries[0].token_id, t.id);
    let s = reminders::compute(now(), &index.entries, &ReminderState::default(), index.warn_days, index.urgent_days);
    assert_eq!(s.due[0].title(now()), "GitHub · deploy-bot expires in 5 days");

    // Another keyring (another machine, or the key removed): dates still, names not.
    let index = ReminderIndex::read(&dir, &MemoryKeyStore::default()).unwrap();
    assert!(index.sealed && !index.names_known);
    assert_eq!(index.entries[0].name, None);
    assert_eq!(index.entries[0].expires_at, t.expires_at);
}

#[test]
fn a_tampered_sealed_index_is_reported_as_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let mut v = vault(&dir);
    v.add_token(token("deploy-bot", SECRET, 5), now()).unwrap();
    v.enable_reminder_index_key(&store).unwrap();
    v.lock();
    let mut file: serde_json::Value = serde_json::from_slice(&index_bytes(&dir)).unwrap();
    let labels = file["labels"].as_str().unwrap().to_owned();
    let flipped = format!("{}{}", &labels[..10], if &labels[10..11] == "A" { "B" } else { "A" }) + &labels[11..];
    file["labels"] = serde_json::Value::String(flipped);
    std::fs::write(dir.join(INDEX_FILE), serde_json::to_vec(&file).unwrap()).unwrap();
    let err = ReminderIndex::read(&dir, &store).unwrap_err();
    assert_eq!(err.code(), tokenwarden_core::ErrorCode::Corrupt, "{err}");
}

#[test]
fn the_index_is_rewritten_after_add_update_purge_and_import() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let mut v = vault(&dir);
    v.enable_reminder_index_key(&store).unwrap();
    let read = || ReminderIndex::read(&dir, &store).unwrap().entries;
    assert!(read().is_empty());

    let a = v.add_token(token("alpha", SECRET, 5), now()).unwrap();
    assert_eq!(read().len(), 1);
    v.add_tokens(vec![token("beta", "ghp_BETAbetaBETAbetaBETAbetaBETAbetaBETA0001", 9)], now()).unwrap();
    assert_eq!(read().len(), 2);

    let later = now() + Duration::days(100);
    let patch = TokenPatch { expires_at: Some(Some(later)), ..TokenPatch::default() };
    v.update_token(&a.id, patch, now()).unwrap();
    assert_eq!(read().iter().find(|e| e.token_id == a.id).unwrap().expires_at, Some(later));

    v.set_token_reminder_days(&a.id, Some(vec![3, 14]), now()).unwrap();
    assert_eq!(v.token_reminder_days(&a.id).unwrap(), Some(vec![14, 3]));
    let thresholds = read().into_iter().find(|e| e.token_id == a.id).unwrap().thresholds;
    assert_eq!(thresholds, [Threshold::DaysBefore(3), Threshold::DaysBefore(14), Threshold::AtExpiry]);

    v.purge_token(&a.id, now()).unwrap();
    assert_eq!(read().iter().map(|e| e.name.clone().unwrap()).collect::<Vec<_>>(), ["beta"]);

    let csv = "name,secret,expires_at\nimported,ghp_IMPORTimportIMPORTimportIMPORTimport0003,2027-01-01\n";
    let batch =
        transfer::read(&Input { name: "in.csv", bytes: csv.as_bytes() }, None, &ReadOptions::default()).unwrap();
    let plan = v.plan_import("in.csv", batch, OnDuplicate::Skip).unwrap();
    v.apply_import(plan, now(), &mut |_, _| {}).unwrap();
    let mut names: Vec<_> = read().into_iter().map(|e| e.name.unwrap()).collect();
    names.sort();
    assert_eq!(names, ["beta", "imported"]);

    // Archived tokens need no reminders.
    let beta = v.resolve("beta").unwrap();
    v.archive_token(&beta.id, now()).unwrap();
    assert_eq!(read().len(), 1);
}

#[test]
fn vault_and_token_thresholds_and_rotation_policies_reach_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let mut v = vault(&dir);
    let mut settings = v.settings().unwrap();
    settings.reminder_days = vec![14];
    v.save_settings(&settings, now()).unwrap();
    let mut t = token("rotated", SECRET, 60);
    t.rotation_max_age_days = Some(90);
    let t = v.add_token(t, now()).unwrap();
    let entry = v.reminder_entries().unwrap().remove(0);
    assert_eq!(entry.thresholds, [Threshold::DaysBefore(14), Threshold::AtExpiry, Threshold::RotationDue]);
    assert_eq!(entry.rotation_due_at, Some(t.created_at + Duration::days(90)));
    assert!(v.set_token_reminder_days(&t.id, Some(vec![0]), now()).is_err());
    v.set_token_reminder_days(&t.id, Some(vec![]), now()).unwrap();
    assert_eq!(v.reminder_entries().unwrap()[0].thresholds, [Threshold::AtExpiry, Threshold::RotationDue]);
    v.set_token_reminder_days(&t.id, None, now()).unwrap();
    assert_eq!(v.token_reminder_days(&t.id).unwrap(), None);
}

#[cfg(unix)]
#[test]
fn the_index_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let mut v = vault(&dir);
    v.add_token(token("alpha", SECRET, 5), now()).unwrap();
    let mode = std::fs::metadata(dir.join(INDEX_FILE)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn disabling_the_index_key_writes_the_index_plain_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let mut v = vault(&dir);
    v.add_token(token("alpha", SECRET, 5), now()).unwrap();
    v.enable_reminder_index_key(&store).unwrap();
    v.disable_reminder_index_key(&store).unwrap();
    let index = ReminderIndex::read(&dir, &store).unwrap();
    assert!(!index.sealed && !index.names_known);
    assert_eq!(index.entries.len(), 1);
}
