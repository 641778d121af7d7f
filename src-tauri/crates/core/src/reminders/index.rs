//! The reminder index: `reminders.idx` beside the vault, what the scheduler and the tray need while
//! the vault is locked. Token ids, expiry and rotation dates and thresholds are always there; names
//! and providers only inside a part sealed with the index key, which lives in the vault's settings
//! and — once `enable_reminder_index_key` succeeded — in the OS keyring. It never holds a secret or a hint.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

use super::{provider_label, validate_days, Threshold, Thresholds};
use crate::crypto;
use crate::error::{Error, Result};
use crate::events::{self, EventKind};
use crate::expiry;
use crate::keystore::KeyStore;
use crate::settings::Settings;
use crate::vault::{Vault, VaultStatus};

pub const INDEX_FILE: &str = "reminders.idx";
const VERSION: u32 = 1;
/// Settings rows (inside the encrypted database) for the index key and whether the keyring has it.
const KEY_SETTING: &str = "reminders.index_key";
const IN_KEYRING_SETTING: &str = "reminders.index_key_in_keyring";

/// One token as the scheduler sees it. `name` and `provider` are `None` when read without the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub token_id: String,
    pub name: Option<String>,
    pub provider: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub rotation_due_at: Option<DateTime<Utc>>,
    pub thresholds: Vec<Threshold>,
    /// When the token entered the vault or its expiry or rotation policy last changed: a threshold
    /// already passed then never notifies. `None` for tokens from before this was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
}

fn keyring_account(vault_id: &str) -> String {
    format!("reminder-index:{vault_id}")
}

impl ReminderIndex {
    /// Reads `reminders.idx` without unlocking. The sealed part is opened with the index key from
    /// `store`; when the keyring cannot give it (or the file is plain) names and providers are
    /// `None`. A missing file reads as an empty index with the default thresholds.
    pub fn read(dir: &Path, store: &dyn KeyStore) -> Result<ReminderIndex> {
        let path = dir.join(INDEX_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let defaults = Settings::default();
                return Ok(ReminderIndex {
                    entries: Vec::new(),
                    sealed: false,
                    warn_days: defaults.warn_days,
                    urgent_days: defaults.urgent_days,
                    names_known: false,
                });
            }
            Err(e) => return Err(Error::Io { path, source: e }),
        };
        let corrupt = |detail: String| Error::Corrupt { path: path.clone(), detail };
        let file: IndexFile =
            serde_json::from_slice(&bytes).map_err(|e| corrupt(format!("not a reminder index: {e}")))?;
        if file.version > VERSION {
            return Err(Error::invalid(
                "reminders",
                format!("{} was written by a newer Tokenwarden; update Tokenwarden", path.display()),
            ));
        }
        // Thresholds out of range are not trusted (they would overflow date arithmetic).
        let (warn_days, urgent_days) = match Settings::check_attention_days(file.warn_days, file.urgent_days) {
            Ok(()) => (file.warn_days, file.urgent_days),
            Err(problem) => {
                eprintln!("tokenwarden: {}: ignoring {problem}; using the default thresholds", path.display());
                let defaults = Settings::default();
                (defaults.warn_days, defaults.urgent_days)
            }
        };
        let mut index =
            ReminderIndex { entries: file.entries, sealed: file.sealed, warn_days, urgent_days, names_known: false };
        let Some(labels) = file.labels.filter(|_| file.sealed) else { return Ok(index) };
        let vault_id = VaultStatus::probe(dir)?.vault_id.ok_or(Error::NoVault { path: dir.to_owned() })?;
        // No keyring, a locked one, or no key in it: the dates alone still make reminders.
        let Ok(Some(key)) = store.load(&keyring_account(&vault_id)) else { return Ok(index) };
        let key: Zeroizing<[u8; 32]> = Zeroizing::new(
            key.as_slice().try_into().map_err(|_| corrupt("the keyring's index key has the wrong length".into()))?,
        );
        let sealed = base64::engine::general_purpose::STANDARD
            .decode(labels)
            .map_err(|_| corrupt("the sealed part is not base64".into()))?;
        let plain = crypto::open(&key, &sealed, vault_id.as_bytes())
            .ok_or_else(|| corrupt("the sealed part fails authentication".into()))?;
        index.entries =
            serde_json::from_slice(&plain).map_err(|e| corrupt(format!("the sealed part is malformed: {e}")))?;
        index.names_known = true;
        Ok(index)
    }
}

impl Vault {
    /// What the scheduler needs about every active or rotating token that has an expiry or a
    /// rotation policy: dates and thresholds (the vault's, or the token's own), name and provider.
    pub fn reminder_entries(&self) -> Result<Vec<IndexEntry>> {
        let thresholds = Thresholds::from_settings(&self.settings()?);
        let mut stmt = self.conn.prepare(
            "SELECT t.id, t.name, t.provider, t.expires_at, t.rotation_max_age_days,
                    coalesce(t.last_rotated_at, t.created_at), r.days, t.reminders_from
             FROM tokens t LEFT JOIN token_reminders r ON r.token_id = t.id
             WHERE t.status IN ('active', 'rotating')
               AND (t.expires_at IS NOT NULL OR t.rotation_max_age_days IS NOT NULL)
             ORDER BY t.expires_at IS NULL, t.expires_at, t.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<u32>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (token_id, name, provider, expires_at, max_age, rotated_at, own_days, since) = row?;
            let expires_at = expires_at.as_deref().map(expiry::from_storage).transpose()?;
            let rotation_due_at = match max_age.map(|d| expiry::check_days("rotation_max_age_days", d)) {
                Some(Ok(days)) => expiry::add_days(expiry::from_storage(&rotated_at)?, i64::from(days)),
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
                name: Some(name),
                provider: Some(provider_label(&provider)),
                expires_at,
                rotation_due_at,
                since: since.as_deref().map(expiry::from_storage).transpose()?,
            });
        }
        Ok(out)
    }

    /// Rewrites `reminders.idx` from the tokens, atomically (mode 0600). Sealed when the index key
    /// is in the keyring; otherwise ids, dates and thresholds only.
    pub fn write_reminder_index(&self) -> Result<()> {
        let entries = self.reminder_entries()?;
        let settings = self.settings()?;
        let in_keyring = self.setting_json::<bool>(IN_KEYRING_SETTING)?.unwrap_or(false);
        let labels = match (in_keyring, self.index_key()?) {
            (true, Some(key)) => {
                let plain = Zeroizing::new(serde_json::to_vec(&entries).map_err(|e| Error::Internal(e.to_string()))?);
                let sealed = crypto::seal(&key, &plain, self.vault_id().as_bytes());
                Some(base64::engine::general_purpose::STANDARD.encode(sealed))
            }
            _ => None,
        };
        let file = IndexFile {
            version: VERSION,
            sealed: labels.is_some(),
            warn_days: settings.warn_days,
            urgent_days: settings.urgent_days,
            entries: entries.into_iter().map(|e| IndexEntry { name: None, provider: None, ..e }).collect(),
            labels,
        };
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| Error::Internal(e.to_string()))?;
        crate::files::write_atomic(&self.dir().join(INDEX_FILE), &bytes, true)
    }

    /// Puts the index key into the OS keyring (made on first use) so the index can be opened while
    /// the vault is locked, and rewrites the index sealed. On failure nothing changes: the index
    /// stays plain, with ids and dates only.
    pub fn enable_reminder_index_key(&mut self, store: &dyn KeyStore) -> Result<()> {
        let key = match self.index_key()? {
            Some(key) => key,
            None => {
                let key = Zeroizing::new(crypto::random_bytes::<32>());
                // The JSON string is built in place and wiped; no unwiped copy of the hex remains.
                let json = crypto::hex_zeroizing("\"", key.as_slice(), "\"");
                crate::settings::put_setting(&self.conn, KEY_SETTING, &json)?;
                key
            }
        };
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
        let raw: Option<String> = self
            .conn
            .query_row("SELECT days FROM token_reminders WHERE token_id = ?1", [&token.id], |r| r.get(0))
            .optional()?;
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
        match &days {
            Some(d) => tx.execute(
                "INSERT INTO token_reminders (token_id, days) VALUES (?1, ?2)
                 ON CONFLICT(token_id) DO UPDATE SET days = excluded.days",
                params![token.id, serde_json::Value::from(d.clone()).to_string()],
            )?,
            None => tx.execute("DELETE FROM token_reminders WHERE token_id = ?1", [&token.id])?,
        };
        events::append(
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
        let raw: Option<Zeroizing<String>> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY_SETTING], |r| r.get::<_, String>(0))
            .optional()?
            .map(Zeroizing::new);
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
        crate::settings::put_setting(&self.conn, key, &value.to_string())
    }
}

fn parse_days(raw: &str) -> Result<Vec<u32>> {
    serde_json::from_str(raw).map_err(|e| Error::Internal(format!("stored reminder days '{raw}' are malformed: {e}")))
}
