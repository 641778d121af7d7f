//! The reminder index: `reminders.idx` beside the vault, what the scheduler and the tray need while
//! the vault is locked. Token ids, expiry and rotation dates and thresholds are always there; names
//! and providers only inside a part sealed with the index key, which lives in the vault's settings
//! and — once `enable_reminder_index_key` succeeded — in the OS keyring. It never holds a secret or a hint.
//! The whole file carries a MAC and a generation shared with `reminders.state` (see `auth`).

use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

use super::auth::{keyring_account, ReminderKey, Verdict};
use super::{provider_label, validate_days, ReminderState, Threshold, Thresholds, STATE_FILE};
use crate::audit_log::{self, EventKind};
use crate::crypto;
use crate::error::{Error, Result};
use crate::expiry;
use crate::keystore::KeyStore;
use crate::settings::Settings;
use crate::store;
use crate::timestamp;
use crate::vault::Vault;

pub const INDEX_FILE: &str = "reminders.idx";
/// 2: the file carries a generation and a MAC.
const VERSION: u32 = 2;
/// Settings rows (inside the encrypted database) for the index key and whether the keyring has it.
const KEY_SETTING: &str = "reminders.index_key";
const IN_KEYRING_SETTING: &str = "reminders.index_key_in_keyring";
/// The newest generation of the files beside the vault that the vault wrote: older files were put back.
const GENERATION_SETTING: &str = "reminders.generation";

/// One token as the scheduler sees it. `name` and `provider` are `None` when read without the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub token_id: String,
    pub name: Option<String>,
    pub provider: Option<String>,
    // The dates are written as chrono writes them, without its formatter (10,000 tokens make
    // 28,000 dates): `timestamp::serialize_opt`.
    #[serde(serialize_with = "timestamp::serialize_opt")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "timestamp::serialize_opt")]
    pub rotation_due_at: Option<DateTime<Utc>>,
    pub thresholds: Vec<Threshold>,
    /// When the token entered the vault or its expiry or rotation policy last changed: a threshold
    /// already passed then never notifies. `None` for tokens from before this was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "timestamp::serialize_opt")]
    pub since: Option<DateTime<Utc>>,
}

/// The index as read from disk, while the vault is locked.
#[derive(Debug, Clone)]
pub struct ReminderIndex {
    pub entries: Vec<IndexEntry>,
    /// The file has a sealed part (the index key was put in the keyring).
    pub sealed: bool,
    pub warn_days: u32,
    pub urgent_days: u32,
    /// The sealed part was opened: every entry has its name and provider.
    pub names_known: bool,
    /// The file's generation, when its MAC was verified (`reminders.state` must carry the same).
    pub generation: Option<u64>,
    /// Whether the file could be verified. When it failed, `entries` are the plain part's dates only.
    pub verdict: Verdict,
}

/// The file. `entries` never carry names or providers; `labels` (sealed) carries the full entries.
#[derive(Serialize, Deserialize)]
struct IndexFile {
    version: u32,
    sealed: bool,
    warn_days: u32,
    urgent_days: u32,
    entries: Vec<IndexEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    labels: Option<String>,
    /// Shared with `reminders.state`; absent (0) in files of version 1.
    #[serde(default)]
    generation: u64,
    /// HMAC over the file as written without this field; absent in files of version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mac: Option<String>,
}

impl IndexFile {
    /// The file's bytes, with a MAC under `key` when there is one.
    fn into_signed_bytes(mut self, key: &ReminderKey) -> Result<Vec<u8>> {
        self.mac = None;
        // Sized for the whole file up front (about 170 bytes an entry): 10,000 entries are 1.7 MB,
        // which growing by doubling would copy several times over.
        let estimate = 256 + self.entries.len() * 176 + self.labels.as_ref().map_or(0, String::len);
        let mut body = Vec::with_capacity(estimate);
        serde_json::to_writer(&mut body, &self).map_err(|e| Error::Internal(e.to_string()))?;
        let tag = key.tag(INDEX_FILE, &body);
        // Written once, compact (for 10k tokens the pretty form was twice the bytes): serde writes
        // the fields in declaration order and leaves `mac`, the last, out when it is None, so the
        // file is the body with `,"mac":TAG` before its closing brace. A test holds this to serde.
        let Some(b'}') = body.pop() else {
            return Err(Error::Internal("the reminder index did not serialize as an object".to_owned()));
        };
        body.extend_from_slice(b",\"mac\":");
        serde_json::to_writer(&mut body, &tag).map_err(|e| Error::Internal(e.to_string()))?;
        body.push(b'}');
        Ok(body)
    }

    /// Whether the MAC is right; `None` when the file has none.
    fn mac_ok(&mut self, key: &ReminderKey) -> Result<Option<bool>> {
        let Some(tag) = self.mac.take() else { return Ok(None) };
        let body = serde_json::to_vec(&self).map_err(|e| Error::Internal(e.to_string()))?;
        let ok = key.verify(INDEX_FILE, &body, &tag);
        self.mac = Some(tag);
        Ok(Some(ok))
    }
}

fn read_file(path: &Path) -> Result<Option<IndexFile>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::Io { path: path.to_owned(), source: e }),
    };
    let file: IndexFile = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Corrupt { path: path.to_owned(), detail: format!("not a reminder index: {e}") })?;
    if file.version > VERSION {
        return Err(Error::invalid(
            "reminders",
            format!("{} was written by a newer Tokenwarden; update Tokenwarden", path.display()),
        ));
    }
    Ok(Some(file))
}

/// The generation of `reminders.idx` in `dir` if its MAC is right under `key` (older or not).
pub(crate) fn verified_generation(dir: &Path, key: &ReminderKey) -> Option<u64> {
    let mut file = read_file(&dir.join(INDEX_FILE)).ok()??;
    file.mac_ok(key).ok()??.then_some(file.generation)
}

/// Moves a verified `reminders.idx` to `generation` (after `reminders.state` was written with
/// it), keeping everything else. An index that does not verify is left as it is: it stays untrusted.
pub(crate) fn restamp(dir: &Path, key: &ReminderKey, generation: u64) -> Result<()> {
    let path = dir.join(INDEX_FILE);
    let Some(mut file) = read_file(&path)? else { return Ok(()) };
    if file.mac_ok(key)? != Some(true) {
        return Ok(());
    }
    file.generation = generation;
    crate::files::write_atomic(&path, &file.into_signed_bytes(key)?, true)
}

impl ReminderIndex {
    /// Reads `reminders.idx` without unlocking, checked with the index key from `store` (see
    /// [`ReminderIndex::read_with`]). Without the key the file cannot be checked; it gives dates only.
    pub fn read(dir: &Path, store: &dyn KeyStore) -> Result<ReminderIndex> {
        ReminderIndex::read_with(dir, ReminderKey::from_keyring(dir, store)?.as_ref())
    }

    /// Reads `reminders.idx`, checking its MAC and generation with `key` (from the keyring, or
    /// [`Vault::reminder_key`]), and opens its sealed part. A file that fails the checks is not an
    /// error: `verdict` says why, and the entries are the plain part's ids and dates, without names.
    /// A missing file reads as an empty index with the default thresholds.
    pub fn read_with(dir: &Path, key: Option<&ReminderKey>) -> Result<ReminderIndex> {
        let path = dir.join(INDEX_FILE);
        let Some(mut file) = read_file(&path)? else {
            let defaults = Settings::default();
            return Ok(ReminderIndex {
                entries: Vec::new(),
                sealed: false,
                warn_days: defaults.warn_days,
                urgent_days: defaults.urgent_days,
                names_known: false,
                generation: None,
                verdict: Verdict::Verified,
            });
        };
        let verdict = match key {
            None => Verdict::NoKey,
            Some(key) => match file.mac_ok(key)? {
                None => Verdict::Unsigned,
                Some(false) => Verdict::Invalid("its MAC does not match: edited by hand, or from another vault".into()),
                Some(true) if file.generation < key.floor => Verdict::Invalid(format!(
                    "an older copy was put back: generation {}, the vault wrote {}",
                    file.generation, key.floor
                )),
                Some(true) => Verdict::Verified,
            },
        };
        // Thresholds out of range are not trusted (they would overflow date arithmetic).
        let (warn_days, urgent_days) = match Settings::check_attention_days(file.warn_days, file.urgent_days) {
            Ok(()) => (file.warn_days, file.urgent_days),
            Err(problem) => {
                eprintln!("tokenwarden: {}: ignoring {problem}; using the default thresholds", path.display());
                let defaults = Settings::default();
                (defaults.warn_days, defaults.urgent_days)
            }
        };
        let generation = verdict.is_verified().then_some(file.generation);
        let mut index = ReminderIndex {
            entries: file.entries,
            sealed: file.sealed,
            warn_days,
            urgent_days,
            names_known: false,
            generation,
            verdict,
        };
        // The sealed part is authenticated on its own too, so a file of version 1 (no MAC) still
        // gives names; one that failed its MAC gives dates only.
        let Some(labels) = file.labels.filter(|_| file.sealed) else { return Ok(index) };
        let Some(key) = key.filter(|_| !matches!(index.verdict, Verdict::Invalid(_))) else { return Ok(index) };
        let opened = base64::engine::general_purpose::STANDARD
            .decode(labels)
            .ok()
            .and_then(|sealed| crypto::open(&key.index, &sealed, key.vault_id.as_bytes()));
        let entries = opened.and_then(|plain| serde_json::from_slice::<Vec<IndexEntry>>(&plain).ok());
        match entries {
            Some(entries) => {
                index.entries = entries;
                index.names_known = true;
            }
            None => {
                index.verdict = Verdict::Invalid("its sealed part fails authentication".into());
                index.generation = None;
            }
        }
        Ok(index)
    }
}

impl Vault {
    /// What the scheduler needs about every active or rotating token that has an expiry or a
    /// rotation policy: dates and thresholds (the vault's, or the token's own), name and provider.
    pub fn reminder_entries(&self) -> Result<Vec<IndexEntry>> {
        self.entries_for_index(true)
    }

    /// As [`Vault::reminder_entries`]; without `labels`, each entry's name and provider are left
    /// out (the index's plain part never holds them, and making them for 10,000 tokens costs).
    fn entries_for_index(&self, labels: bool) -> Result<Vec<IndexEntry>> {
        let thresholds = Thresholds::from_settings(&self.settings()?);
        let rows = store::reminders::live_with_dates(&self.conn, labels)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let store::reminders::ReminderRow {
                token_id,
                name,
                provider,
                expires_at,
                rotation_max_age_days: max_age,
                rotated_at,
                own_days,
                reminders_from: since,
            } = row;
            let rotation_due_at = match max_age.map(|d| expiry::check_days("rotation_max_age_days", d)) {
                Some(Ok(days)) => rotated_at.and_then(|at| expiry::add_days(at, i64::from(days))),
                Some(Err(problem)) => {
                    eprintln!("tokenwarden: token {token_id}: ignoring its rotation policy ({problem})");
                    None
                }
                None => None,
            };
            let own_days: Option<Vec<u32>> = own_days.as_deref().map(parse_days).transpose()?;
            out.push(IndexEntry {
                thresholds: thresholds.for_token(own_days.as_deref(), expires_at, rotation_due_at),
                token_id,
                name: name.filter(|_| labels),
                provider: provider.filter(|_| labels).map(|p| provider_label(&p)),
                expires_at,
                rotation_due_at,
                since,
            });
        }
        Ok(out)
    }

    /// Rewrites `reminders.idx` from the tokens, atomically (mode 0600). Sealed when the index key
    /// is in the keyring; otherwise ids, dates and thresholds only.
    /// Also rewrites `reminders.state` with the same new generation (what of it could be trusted;
    /// an old unauthenticated file becomes authenticated here) and remembers that generation.
    pub fn write_reminder_index(&self) -> Result<()> {
        let in_keyring = self.setting_json::<bool>(IN_KEYRING_SETTING)?.unwrap_or(false);
        let entries = self.entries_for_index(in_keyring)?;
        let settings = self.settings()?;
        let key = self.ensure_reminder_key()?;
        let dir = self.dir();
        // Read against the files as they are, before either is replaced.
        let mut state = ReminderState::load(dir, Some(&key), &ReminderIndex::read_with(dir, Some(&key))?)?;
        let generation = [Some(key.floor), verified_generation(dir, &key), state.verified_generation()]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        let labels = if in_keyring {
            let plain = Zeroizing::new(serde_json::to_vec(&entries).map_err(|e| Error::Internal(e.to_string()))?);
            let sealed = crypto::seal(&key.index, &plain, self.vault_id().as_bytes());
            Some(base64::engine::general_purpose::STANDARD.encode(sealed))
        } else {
            None
        };
        let file = IndexFile {
            version: VERSION,
            sealed: labels.is_some(),
            warn_days: settings.warn_days,
            urgent_days: settings.urgent_days,
            entries: entries.into_iter().map(|e| IndexEntry { name: None, provider: None, ..e }).collect(),
            labels,
            generation,
            mac: None,
        };
        crate::files::write_atomic(&dir.join(INDEX_FILE), &file.into_signed_bytes(&key)?, true)?;
        // No state file yet (nothing sent or silenced): none is made, so asking changes nothing.
        if dir.join(STATE_FILE).exists() {
            state.write_signed(dir, &key, generation)?;
        }
        self.put_setting_json(GENERATION_SETTING, &serde_json::Value::from(generation))
    }

    /// The key that checks and authenticates the files beside the vault, with the newest generation
    /// the vault wrote; `None` until the index was first written by this version.
    pub fn reminder_key(&self) -> Result<Option<ReminderKey>> {
        let floor = self.setting_json::<u64>(GENERATION_SETTING)?.unwrap_or(0);
        Ok(self.index_key()?.map(|key| ReminderKey::new(key, self.vault_id(), floor)))
    }

    /// As [`Vault::reminder_key`], making the index key (kept in the vault's settings) on first use.
    pub fn ensure_reminder_key(&self) -> Result<ReminderKey> {
        if let Some(key) = self.reminder_key()? {
            return Ok(key);
        }
        let key = Zeroizing::new(crypto::random_bytes::<32>());
        // The JSON string is built in place and wiped; no unwiped copy of the hex remains.
        let json = crypto::hex_zeroizing("\"", key.as_slice(), "\"");
        store::settings::put(&self.conn, KEY_SETTING, &json)?;
        let floor = self.setting_json::<u64>(GENERATION_SETTING)?.unwrap_or(0);
        Ok(ReminderKey::new(key, self.vault_id(), floor))
    }

    /// Puts the index key into the OS keyring (made on first use) so the index can be opened while
    /// the vault is locked, and rewrites the index sealed. On failure nothing changes: the index
    /// stays plain, with ids and dates only.
    pub fn enable_reminder_index_key(&mut self, store: &dyn KeyStore) -> Result<()> {
        let key = self.ensure_reminder_key()?.index;
        let account = keyring_account(self.vault_id());
        store.store(&account, key.as_slice())?;
        // As for the vault key: a keyring that accepts a key but forgets it must not be trusted.
        let stored = store.load(&account)?;
        if stored.as_deref().map(Vec::as_slice) != Some(key.as_slice()) {
            return Err(Error::KeyringUnavailable {
                detail: "the keyring did not return the reminder index key it was given".to_owned(),
            });
        }
        self.put_setting_json(IN_KEYRING_SETTING, &serde_json::Value::Bool(true))?;
        self.write_reminder_index()
    }

    /// Takes the index key out of the keyring and rewrites the index plain (ids and dates only).
    pub fn disable_reminder_index_key(&mut self, store: &dyn KeyStore) -> Result<()> {
        self.put_setting_json(IN_KEYRING_SETTING, &serde_json::Value::Bool(false))?;
        self.write_reminder_index()?;
        store.delete(&keyring_account(self.vault_id()))
    }

    /// Whether the index is written sealed (its key was put in the keyring).
    pub fn reminder_index_key_enabled(&self) -> Result<bool> {
        Ok(self.setting_json::<bool>(IN_KEYRING_SETTING)?.unwrap_or(false))
    }

    /// A token's own day-before thresholds, or `None` when it follows the vault's.
    pub fn token_reminder_days(&self, id: &str) -> Result<Option<Vec<u32>>> {
        let token = self.token(id)?;
        let raw = store::reminders::days(&self.conn, &token.id)?;
        raw.as_deref().map(parse_days).transpose()
    }

    /// Sets a token's own day-before thresholds (`None`: follow the vault's). Each 1..=365, at most 10.
    pub fn set_token_reminder_days(&mut self, id: &str, days: Option<Vec<u32>>, now: DateTime<Utc>) -> Result<()> {
        let token = self.token(id)?;
        let days = days.map(|mut d| {
            d.sort_unstable_by(|a, b| b.cmp(a));
            d.dedup();
            d
        });
        if let Some(d) = &days {
            validate_days("reminder_days", d)?;
        }
        let tx = self.conn.transaction()?;
        let json = days.as_ref().map(|d| serde_json::Value::from(d.clone()).to_string());
        store::reminders::set_days(&tx, &token.id, json.as_deref())?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::Edited,
            Some(&token.id),
            &serde_json::json!({ "fields": ["reminder_days"] }),
        )?;
        tx.commit()?;
        self.refresh_reminder_index();
        Ok(())
    }

    /// Called after every commit that changes tokens. Best effort on purpose: the change is already
    /// committed, so failing the call would report a saved change as lost and invite a duplicate
    /// retry; a stale index is rewritten by the next change or by the app on unlock.
    pub(crate) fn refresh_reminder_index(&self) {
        let _ = self.write_reminder_index();
    }

    fn index_key(&self) -> Result<Option<Zeroizing<[u8; 32]>>> {
        // Read as raw text into a wiped buffer (a JSON string of hex digits, which needs no unescaping).
        let raw: Option<Zeroizing<String>> = store::settings::get(&self.conn, KEY_SETTING)?.map(Zeroizing::new);
        let Some(raw) = raw else { return Ok(None) };
        let hex = raw.trim().strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or_default();
        let mut key = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(hex.as_bytes(), key.as_mut_slice()).map_err(|_| Error::Corrupt {
            path: self.dir().join(crate::vault::DB_FILE),
            detail: "the reminder index key in the settings is malformed".to_owned(),
        })?;
        Ok(Some(key))
    }

    fn put_setting_json(&self, key: &str, value: &serde_json::Value) -> Result<()> {
        store::settings::put(&self.conn, key, &value.to_string())
    }
}

fn parse_days(raw: &str) -> Result<Vec<u32>> {
    serde_json::from_str(raw).map_err(|e| Error::Internal(format!("stored reminder days '{raw}' are malformed: {e}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_signed_index_is_exactly_what_serde_writes_with_its_mac() {
        let key = ReminderKey::new(Zeroizing::new([3u8; 32]), "vault-1", 0);
        let at = chrono::DateTime::parse_from_rfc3339("2027-01-02T03:04:05Z").unwrap().with_timezone(&chrono::Utc);
        for labels in [None, Some("c2VhbGVk".to_owned())] {
            let file = || IndexFile {
                version: VERSION,
                sealed: labels.is_some(),
                warn_days: 14,
                urgent_days: 3,
                entries: vec![IndexEntry {
                    token_id: "t\"1".to_owned(),
                    name: None,
                    provider: None,
                    expires_at: Some(at),
                    rotation_due_at: None,
                    thresholds: vec![Threshold::DaysBefore(7), Threshold::AtExpiry],
                    since: Some(at),
                }],
                labels: labels.clone(),
                generation: 9,
                mac: None,
            };
            let signed = file().into_signed_bytes(&key).unwrap();
            let mut expected = file();
            expected.mac = Some(key.tag(INDEX_FILE, &serde_json::to_vec(&file()).unwrap()));
            assert_eq!(String::from_utf8(signed).unwrap(), serde_json::to_string(&expected).unwrap());
        }
        // Thresholds are written as their text, and read back from it.
        let written = serde_json::to_string(&[Threshold::DaysBefore(7), Threshold::AtExpiry, Threshold::RotationDue]);
        assert_eq!(written.unwrap(), r#"["7d","expiry","rotation"]"#);
        let read: Vec<Threshold> = serde_json::from_str(r#"["30d","expiry","rotation"]"#).unwrap();
        assert_eq!(read, vec![Threshold::DaysBefore(30), Threshold::AtExpiry, Threshold::RotationDue]);
    }
}
