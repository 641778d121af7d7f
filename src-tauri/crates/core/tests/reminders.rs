//! The reminder index on disk: sealed with a key from the keyring (here a `MemoryKeyStore`), plain
//! (ids and dates, no names) without it, rewritten after every change to the tokens, private, and
//! never holding a secret. Real SQLCipher vaults in temp dirs, fixed clocks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use secrecy::SecretString;
use std::path::Path;
use tokenwarden_core::keystore::MemoryKeyStore;
use tokenwarden_core::reminders::{
    self, ReminderIndex, ReminderKey, ReminderState, Threshold, Verdict, INDEX_FILE, STATE_FILE,
};
use tokenwarden_core::transfer::{self, Input, OnDuplicate, ReadOptions};
use tokenwarden_core::{KdfParams, NewToken, TokenKind, TokenPatch, Vault};
use tokenwarden_providers::ProviderId;

const CHEAP: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
const SECRET: &str = "ghp_CANARYcanaryCANARYcanaryCANARYcanary0042";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

/// When the tokens of most tests were added: long enough before `now` that their thresholds fall due after.
fn added() -> DateTime<Utc> {
    now() - Duration::days(60)
}

fn vault(dir: &Path) -> Vault {
    Vault::create(dir, &SecretString::from("test password"), CHEAP, added()).unwrap()
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
    // Added two months ago, so the 7-day threshold passed after it was added and is due now.
    let t = v.add_token(token("deploy-bot", SECRET, 5), added()).unwrap();
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
    let t = v.add_token(token("deploy-bot", SECRET, 5), added()).unwrap();
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
fn a_tampered_sealed_index_is_reported_and_falls_back_to_dates_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let mut v = vault(&dir);
    let t = v.add_token(token("deploy-bot", SECRET, 5), now()).unwrap();
    v.enable_reminder_index_key(&store).unwrap();
    v.lock();
    let mut file: serde_json::Value = serde_json::from_slice(&index_bytes(&dir)).unwrap();
    let labels = file["labels"].as_str().unwrap().to_owned();
    let flipped = format!("{}{}", &labels[..10], if &labels[10..11] == "A" { "B" } else { "A" }) + &labels[11..];
    file["labels"] = serde_json::Value::String(flipped);
    std::fs::write(dir.join(INDEX_FILE), serde_json::to_vec(&file).unwrap()).unwrap();
    let index = ReminderIndex::read(&dir, &store).unwrap();
    assert!(matches!(index.verdict, Verdict::Invalid(_)), "{:?}", index.verdict);
    assert!(index.verdict.warning(INDEX_FILE, "dates only").is_some());
    assert!(!index.names_known && index.generation.is_none());
    assert_eq!(index.entries[0].name, None);
    assert_eq!(index.entries[0].expires_at, t.expires_at, "the dates still remind");
}

/// A vault with one token due in 5 days (its 7-day reminder due now), the index key in `store`,
/// locked: what the app and the CLI see while the vault is locked with the keyring on.
fn locked_with_keyring(dir: &Path, store: &MemoryKeyStore) -> String {
    let mut v = vault(dir);
    let t = v.add_token(token("deploy-bot", SECRET, 5), added()).unwrap();
    v.enable_reminder_index_key(store).unwrap();
    v.lock();
    t.id
}

/// What the locked CLI computes for `remind --fail-if-due`: the reminders due within 30 days.
fn due_while_locked(dir: &Path, store: &MemoryKeyStore) -> (usize, Verdict, Verdict) {
    let key = ReminderKey::from_keyring(dir, store).unwrap();
    let index = ReminderIndex::read_with(dir, key.as_ref()).unwrap();
    let state = ReminderState::load(dir, key.as_ref(), &index).unwrap();
    let due = reminders::upcoming(now(), Duration::days(30), &index.entries, &state, 30, 7);
    (due.len(), index.verdict, state.verdict().clone())
}

#[test]
fn a_dismissal_round_trip_with_the_keyring_is_verified_and_kept_through_the_next_index_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let id = locked_with_keyring(&dir, &store);
    assert_eq!(due_while_locked(&dir, &store), (1, Verdict::Verified, Verdict::Verified));

    let key = ReminderKey::from_keyring(&dir, &store).unwrap();
    let index = ReminderIndex::read_with(&dir, key.as_ref()).unwrap();
    let mut state = ReminderState::load(&dir, key.as_ref(), &index).unwrap();
    state.dismiss(&id, Threshold::AtExpiry);
    state.dismiss(&id, Threshold::DaysBefore(7));
    state.save(&dir, key.as_ref()).unwrap();
    assert_eq!(due_while_locked(&dir, &store), (0, Verdict::Verified, Verdict::Verified));

    // Unlocked, a change rewrites the index: the dismissals were trusted, so they carry over.
    let v = Vault::unlock_with_password(&dir, &SecretString::from("test password")).unwrap().0;
    v.write_reminder_index().unwrap();
    let key = v.reminder_key().unwrap();
    let index = ReminderIndex::read_with(&dir, key.as_ref()).unwrap();
    assert_eq!(index.verdict, Verdict::Verified);
    let state = ReminderState::load(&dir, key.as_ref(), &index).unwrap();
    assert_eq!(state.verdict(), &Verdict::Verified);
    v.lock();
    assert_eq!(due_while_locked(&dir, &store), (0, Verdict::Verified, Verdict::Verified));
}

#[test]
fn a_dismissal_written_into_the_state_by_hand_is_ignored_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let id = locked_with_keyring(&dir, &store);
    let dismissals = serde_json::json!([
        { "token_id": id, "threshold": "expiry" },
        { "token_id": id, "threshold": "7d" },
    ]);

    // Into a file with a MAC: the MAC no longer matches.
    let key = ReminderKey::from_keyring(&dir, &store).unwrap();
    let index = ReminderIndex::read_with(&dir, key.as_ref()).unwrap();
    ReminderState::load(&dir, key.as_ref(), &index).unwrap().save(&dir, key.as_ref()).unwrap();
    let mut file: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join(STATE_FILE)).unwrap()).unwrap();
    assert!(file["mac"].is_string());
    file["dismissed"] = dismissals.clone();
    std::fs::write(dir.join(STATE_FILE), serde_json::to_vec(&file).unwrap()).unwrap();
    let (due, index_verdict, state_verdict) = due_while_locked(&dir, &store);
    assert_eq!((due, index_verdict), (1, Verdict::Verified), "the dismissal silences nothing");
    assert!(matches!(&state_verdict, Verdict::Invalid(why) if why.contains("MAC")), "{state_verdict:?}");
    assert!(state_verdict.warning(STATE_FILE, "ignored").unwrap().contains("cannot be trusted"));

    // A file without a MAC, as an older version wrote it: untrusted for dismissals, reported.
    let legacy = serde_json::json!({ "version": 1, "sent": [], "snoozed": [
        { "token_id": id, "threshold": "7d", "until": (now() + Duration::days(20)).to_rfc3339() }
    ], "dismissed": dismissals });
    std::fs::write(dir.join(STATE_FILE), serde_json::to_vec(&legacy).unwrap()).unwrap();
    let (due, _, state_verdict) = due_while_locked(&dir, &store);
    assert_eq!((due, &state_verdict), (1, &Verdict::Unsigned));
    assert!(state_verdict.warning(STATE_FILE, "ignored").is_some());
}

#[test]
fn an_old_state_file_is_read_as_untrusted_once_and_rewritten_authenticated_at_the_next_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let id = locked_with_keyring(&dir, &store);
    let sent_at = now().to_rfc3339();
    let due_at = (now() - Duration::days(2)).to_rfc3339();
    let legacy = serde_json::json!({ "version": 1, "snoozed": [], "dismissed": [],
        "sent": [{ "token_id": id, "threshold": "7d", "due_at": due_at, "sent_at": sent_at }] });
    std::fs::write(dir.join(STATE_FILE), serde_json::to_vec(&legacy).unwrap()).unwrap();
    let key = ReminderKey::from_keyring(&dir, &store).unwrap();
    let index = ReminderIndex::read_with(&dir, key.as_ref()).unwrap();
    let mut state = ReminderState::load(&dir, key.as_ref(), &index).unwrap();
    assert_eq!(state.verdict(), &Verdict::Unsigned);
    state.dismiss(&id, Threshold::AtExpiry);
    state.save(&dir, key.as_ref()).unwrap();
    let (_, index_verdict, state_verdict) = due_while_locked(&dir, &store);
    assert_eq!((index_verdict, state_verdict), (Verdict::Verified, Verdict::Verified));
    let index = ReminderIndex::read_with(&dir, key.as_ref()).unwrap();
    let state = ReminderState::load(&dir, key.as_ref(), &index).unwrap();
    let s = reminders::compute(now(), &index.entries, &state, 30, 7);
    assert!(s.due.is_empty(), "what was sent before the upgrade stays sent: {:?}", s.due);
}

#[test]
fn a_hand_edited_index_with_a_date_moved_or_an_entry_removed_is_detected() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let mut v = vault(&dir);
    v.add_token(token("deploy-bot", SECRET, 5), added()).unwrap();
    v.add_token(token("other", "ghp_OTHERotherOTHERotherOTHERotherOTHER0099", 9), added()).unwrap();
    v.enable_reminder_index_key(&store).unwrap();
    let key = v.reminder_key().unwrap();
    let original: serde_json::Value = serde_json::from_slice(&index_bytes(&dir)).unwrap();
    let check = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut file = original.clone();
        edit(&mut file);
        std::fs::write(dir.join(INDEX_FILE), serde_json::to_vec(&file).unwrap()).unwrap();
        // Locked (key from the keyring) and unlocked (key from the vault) alike.
        for index in [ReminderIndex::read(&dir, &store).unwrap(), ReminderIndex::read_with(&dir, key.as_ref()).unwrap()]
        {
            assert!(matches!(&index.verdict, Verdict::Invalid(why) if why.contains("MAC")), "{:?}", index.verdict);
            assert!(index.verdict.warning(INDEX_FILE, "dates only").is_some());
            assert!(!index.names_known && index.generation.is_none());
        }
    };
    let later = (now() + Duration::days(300)).to_rfc3339();
    check(&|f| f["entries"][0]["expires_at"] = serde_json::Value::String(later.clone()));
    check(&|f| {
        f["entries"].as_array_mut().unwrap().remove(0);
    });
    // Untouched, it verifies.
    std::fs::write(dir.join(INDEX_FILE), serde_json::to_vec(&original).unwrap()).unwrap();
    assert_eq!(ReminderIndex::read(&dir, &store).unwrap().verdict, Verdict::Verified);
}

#[test]
fn an_older_copy_of_the_state_put_back_is_detected_and_its_snooze_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let id = locked_with_keyring(&dir, &store);
    let key = ReminderKey::from_keyring(&dir, &store).unwrap();
    let index = ReminderIndex::read_with(&dir, key.as_ref()).unwrap();
    let mut state = ReminderState::load(&dir, key.as_ref(), &index).unwrap();
    state.snooze_token(&id, &index.entries[0].thresholds, now() + Duration::days(30));
    state.save(&dir, key.as_ref()).unwrap();
    let old_copy = std::fs::read(dir.join(STATE_FILE)).unwrap();
    assert_eq!(due_while_locked(&dir, &store).0, 0, "snoozed");

    // The snooze is lifted (the reminder is shown and marked sent), then the old copy put back.
    let index = ReminderIndex::read_with(&dir, key.as_ref()).unwrap();
    let mut state = ReminderState::load(&dir, key.as_ref(), &index).unwrap();
    let s = reminders::compute(now() + Duration::days(31), &index.entries, &state, 30, 7);
    state.mark_schedule_sent(&s, now());
    state.save(&dir, key.as_ref()).unwrap();
    std::fs::write(dir.join(STATE_FILE), &old_copy).unwrap();
    let (due, index_verdict, state_verdict) = due_while_locked(&dir, &store);
    assert_eq!(index_verdict, Verdict::Verified);
    assert!(matches!(&state_verdict, Verdict::Invalid(why) if why.contains("older copy")), "{state_verdict:?}");
    assert_eq!(due, 1, "the replayed snooze silences nothing");
}

#[test]
fn both_files_put_back_together_are_detected_once_the_vault_is_unlocked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let id = locked_with_keyring(&dir, &store);
    let key = ReminderKey::from_keyring(&dir, &store).unwrap();
    let index = ReminderIndex::read_with(&dir, key.as_ref()).unwrap();
    let mut state = ReminderState::load(&dir, key.as_ref(), &index).unwrap();
    state.dismiss(&id, Threshold::AtExpiry);
    state.dismiss(&id, Threshold::DaysBefore(7));
    state.save(&dir, key.as_ref()).unwrap();
    let old = [INDEX_FILE, STATE_FILE].map(|f| std::fs::read(dir.join(f)).unwrap());

    // Unlocked: the expiry changes, which rewrites both files under a newer generation.
    let mut v = Vault::unlock_with_password(&dir, &SecretString::from("test password")).unwrap().0;
    let patch = TokenPatch { expires_at: Some(Some(now() + Duration::days(6))), ..TokenPatch::default() };
    v.update_token(&id, patch, added()).unwrap();
    for (f, bytes) in [INDEX_FILE, STATE_FILE].iter().zip(&old) {
        std::fs::write(dir.join(f), bytes).unwrap();
    }
    let key = v.reminder_key().unwrap();
    let index = ReminderIndex::read_with(&dir, key.as_ref()).unwrap();
    assert!(matches!(&index.verdict, Verdict::Invalid(why) if why.contains("older copy")), "{:?}", index.verdict);
    let state = ReminderState::load(&dir, key.as_ref(), &index).unwrap();
    assert!(matches!(state.verdict(), Verdict::Invalid(why) if why.contains("older copy")), "{:?}", state.verdict());
    let due = reminders::upcoming(now(), Duration::days(30), &v.reminder_entries().unwrap(), &state, 30, 7);
    assert_eq!(due.len(), 1, "the put-back dismissals silence nothing");
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

#[test]
fn the_index_lists_the_soonest_expiry_first_then_tokens_with_only_a_rotation_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let store = MemoryKeyStore::default();
    let mut v = vault(&dir);
    let mut rotation_only = token("rotation only", "ghp_ROTATIONrotationROTATIONrotation000001", 0);
    rotation_only.expires_at = None;
    rotation_only.rotation_max_age_days = Some(30);
    let rotation_only = v.add_token(rotation_only, added()).unwrap();
    let later = v.add_token(token("later", "ghp_LATERlaterLATERlaterLATERlaterLATER000002", 40), added()).unwrap();
    let soon = v.add_token(token("soon", "ghp_SOONsoonSOONsoonSOONsoonSOONsoonSOO000003", 3), added()).unwrap();
    let mut no_date = token("no date", "ghp_NODATEnodateNODATEnodateNODATEnodat000004", 0);
    no_date.expires_at = None;
    v.add_token(no_date, added()).unwrap();

    let entries = v.reminder_entries().unwrap();
    let ids: Vec<&str> = entries.iter().map(|e| e.token_id.as_str()).collect();
    assert_eq!(ids, [soon.id.as_str(), later.id.as_str(), rotation_only.id.as_str()], "no date: not listed");
    assert_eq!(entries[0].name.as_deref(), Some("soon"));
    assert_eq!(entries[2].rotation_due_at, Some(rotation_only.created_at + Duration::days(30)));

    // The file holds them in the same order: plain without the key, named once it is sealed.
    let plain = ReminderIndex::read(&dir, &store).unwrap();
    assert_eq!(plain.entries.iter().map(|e| e.token_id.as_str()).collect::<Vec<_>>(), ids);
    assert!(plain.entries.iter().all(|e| e.name.is_none() && e.provider.is_none()));
    v.enable_reminder_index_key(&store).unwrap();
    let sealed = ReminderIndex::read(&dir, &store).unwrap();
    assert_eq!(sealed.entries, entries);
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

/// Reminders of the whole index since `from`, as the app would send them stepping through time.
fn fired_between(v: &Vault, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(Threshold, DateTime<Utc>)> {
    let entries = v.reminder_entries().unwrap();
    let mut state = ReminderState::default();
    let (mut at, mut fired) = (from, Vec::new());
    while at <= to {
        let s = reminders::compute(at, &entries, &state, 30, 7);
        fired.extend(s.due.iter().map(|r| (r.threshold, at)));
        state.mark_schedule_sent(&s, at);
        match s.next_wake {
            Some(next) => at = next,
            None => break,
        }
    }
    fired
}

#[test]
fn a_token_added_inside_its_thresholds_is_reminded_only_from_the_next_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let mut v = vault(&dir);
    // 5 days left when added: 30d and 7d had passed; 1d is the first reminder, on time.
    let t = v.add_token(token("fresh", SECRET, 5), now()).unwrap();
    let exp = t.expires_at.unwrap();
    assert_eq!(v.reminder_entries().unwrap()[0].since, Some(now()));
    assert_eq!(
        fired_between(&v, now(), exp),
        [(Threshold::DaysBefore(1), exp - Duration::days(1)), (Threshold::AtExpiry, exp)]
    );
    // The plain index on disk carries it too, so the schedule holds while the vault is locked.
    let index = ReminderIndex::read(&dir, &MemoryKeyStore::default()).unwrap();
    assert_eq!(index.entries[0].since, Some(now()));
    assert!(reminders::compute(now(), &index.entries, &ReminderState::default(), 30, 7).due.is_empty());
}

#[test]
fn changing_the_expiry_restarts_the_count_and_other_edits_do_not() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let mut v = vault(&dir);
    let t = v.add_token(token("edited", SECRET, 90), added()).unwrap();
    // A rename two months later keeps the old starting point.
    let patch = TokenPatch { name: Some("renamed".into()), ..TokenPatch::default() };
    v.update_token(&t.id, patch, now()).unwrap();
    assert_eq!(v.reminder_entries().unwrap()[0].since, Some(added()));
    // Moving the expiry to 3 days from now: nothing fires at once; the 1-day threshold does later.
    let new_expiry = now() + Duration::days(3);
    let patch = TokenPatch { expires_at: Some(Some(new_expiry)), ..TokenPatch::default() };
    v.update_token(&t.id, patch, now()).unwrap();
    assert_eq!(v.reminder_entries().unwrap()[0].since, Some(now()));
    assert_eq!(
        fired_between(&v, now(), new_expiry),
        [(Threshold::DaysBefore(1), new_expiry - Duration::days(1)), (Threshold::AtExpiry, new_expiry)]
    );
}

#[test]
fn an_import_counts_from_the_moment_of_import_not_the_files_creation_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let mut v = vault(&dir);
    let soon = (now() + Duration::days(2)).to_rfc3339();
    let csv = format!(
        "name,secret,provider,expires_at,created_at\nold one,{SECRET},github,{soon},2025-01-01T00:00:00Z\n\
         second,ghp_SECONDsecondSECONDsecondSECONDsecond0042,github,{soon},2025-01-01T00:00:00Z\n"
    );
    let batch =
        transfer::read(&Input { name: "tokens.csv", bytes: csv.as_bytes() }, None, &ReadOptions::default()).unwrap();
    let plan = v.plan_import("tokens.csv", batch, OnDuplicate::Skip).unwrap();
    v.apply_import(plan, now(), &mut |_, _| {}).unwrap();
    let entries = v.reminder_entries().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.since == Some(now())), "{entries:?}");
    assert!(reminders::compute(now(), &entries, &ReminderState::default(), 30, 7).due.is_empty());
}

#[test]
fn an_index_with_huge_thresholds_is_read_with_the_defaults_and_schedules_without_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let hostile = r#"{"version":1,"sealed":false,"warn_days":4000000000,"urgent_days":4000000000,"entries":[
        {"token_id":"a","name":null,"provider":null,"expires_at":"2026-12-01T00:00:00Z","rotation_due_at":null,
         "thresholds":["30d","expiry"]}]}"#;
    std::fs::write(tmp.path().join(INDEX_FILE), hostile).unwrap();
    let index = ReminderIndex::read(tmp.path(), &MemoryKeyStore::default()).unwrap();
    assert_eq!((index.warn_days, index.urgent_days), (30, 7), "the defaults replace what cannot be trusted");
    let state = ReminderState::default();
    // What `tokenwarden-cli remind` and the tray do with the index's warning days.
    let window = Duration::days(i64::from(index.warn_days));
    let due = reminders::upcoming(now(), window, &index.entries, &state, index.warn_days, index.urgent_days);
    assert_eq!(due.len(), 1);
    reminders::compute(now(), &index.entries, &state, index.warn_days, index.urgent_days);
}

#[test]
fn index_dates_at_the_edge_of_time_schedule_without_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    // The earliest instant chrono holds: 30 days before it does not exist.
    let edge = DateTime::<Utc>::MIN_UTC.to_rfc3339();
    let hostile = format!(
        r#"{{"version":1,"sealed":false,"warn_days":30,"urgent_days":7,"entries":[
        {{"token_id":"a","name":null,"provider":null,"expires_at":"{edge}","rotation_due_at":"{edge}",
         "thresholds":["365d","30d","expiry","rotation"]}}]}}"#
    );
    std::fs::write(tmp.path().join(INDEX_FILE), hostile).unwrap();
    let index = ReminderIndex::read(tmp.path(), &MemoryKeyStore::default()).unwrap();
    let state = ReminderState::default();
    let schedule = reminders::compute(now(), &index.entries, &state, 30, 7);
    assert!(!schedule.due.is_empty(), "the expiry itself is still due");
    let within = Duration::days(36_500);
    reminders::upcoming(DateTime::<Utc>::MAX_UTC - Duration::days(1), within, &index.entries, &state, 30, 7);
}
