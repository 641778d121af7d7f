//! The audit log: append-only, hash-chained events. Each row's hash is an HMAC (under a key derived
//! from the master key) over the previous hash and the row's fields; the head (last seq and hash)
//! is kept in settings, so an edited, inserted or deleted row — even the last one — shows.
//! Event details are metadata only: field names, counts, never a secret value.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::crypto;
use crate::error::{Error, Result};
use crate::timestamp;
use crate::vault::Vault;

const HEAD_KEY: &str = "audit.head";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    VaultCreated,
    PasswordChanged,
    VaultRekeyed,
    KeyringEnabled,
    KeyringDisabled,
    Created,
    Edited,
    SecretReplaced,
    Revealed,
    Copied,
    Archived,
    Restored,
    Purged,
    UsageAdded,
    UsageRemoved,
    SettingsChanged,
    Imported,
    Exported,
    Verified,
    RotationStarted,
    RotationStep,
    Rotated,
    RotationAborted,
    Revoked,
    FindingDismissed,
    ScopesReviewed,
    AlertRaised,
    AlertAcknowledged,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::VaultCreated => "vault_created",
            EventKind::PasswordChanged => "password_changed",
            EventKind::VaultRekeyed => "vault_rekeyed",
            EventKind::KeyringEnabled => "keyring_enabled",
            EventKind::KeyringDisabled => "keyring_disabled",
            EventKind::Created => "created",
            EventKind::Edited => "edited",
            EventKind::SecretReplaced => "secret_replaced",
            EventKind::Revealed => "revealed",
            EventKind::Copied => "copied",
            EventKind::Archived => "archived",
            EventKind::Restored => "restored",
            EventKind::Purged => "purged",
            EventKind::UsageAdded => "usage_added",
            EventKind::UsageRemoved => "usage_removed",
            EventKind::SettingsChanged => "settings_changed",
            EventKind::Imported => "imported",
            EventKind::Exported => "exported",
            EventKind::Verified => "verified",
            EventKind::RotationStarted => "rotation_started",
            EventKind::RotationStep => "rotation_step",
            EventKind::Rotated => "rotated",
            EventKind::RotationAborted => "rotation_aborted",
            EventKind::Revoked => "revoked",
            EventKind::FindingDismissed => "finding_dismissed",
            EventKind::ScopesReviewed => "scopes_reviewed",
            EventKind::AlertRaised => "alert_raised",
            EventKind::AlertAcknowledged => "alert_acknowledged",
        }
    }
}

pub use tokenwarden_formats::model::Event;

#[derive(Serialize, serde::Deserialize)]
struct Head {
    seq: i64,
    hash: String,
}

fn chain_hash(
    key: &[u8; 32],
    prev: &[u8],
    seq: i64,
    at: &str,
    kind: &str,
    token_id: Option<&str>,
    detail: &str,
) -> [u8; 32] {
    crypto::hmac_sha256(
        key,
        &[
            prev,
            &seq.to_be_bytes(),
            at.as_bytes(),
            kind.as_bytes(),
            token_id.unwrap_or("").as_bytes(),
            detail.as_bytes(),
        ],
    )
}

/// Appends an event inside the caller's transaction (or connection), so the change and its
/// record commit together.
pub(crate) fn append(
    conn: &rusqlite::Connection,
    key: &[u8; 32],
    now: DateTime<Utc>,
    kind: EventKind,
    token_id: Option<&str>,
    detail: &serde_json::Value,
) -> Result<()> {
    append_raw(conn, key, &timestamp::encode(now), kind.as_str(), token_id, &detail.to_string())
}

/// Appends an event with a stored time and kind as they are (a restored backup's history).
pub(crate) fn append_raw(
    conn: &rusqlite::Connection,
    key: &[u8; 32],
    at: &str,
    kind: &str,
    token_id: Option<&str>,
    detail: &str,
) -> Result<()> {
    let head: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [HEAD_KEY], |r| r.get(0)).optional()?;
    let (seq, prev) = match head {
        Some(raw) => {
            let head: Head = serde_json::from_str(&raw)
                .map_err(|_| Error::TamperedLog { detail: "the log head is unreadable".to_owned() })?;
            let prev = hex::decode(&head.hash)
                .map_err(|_| Error::TamperedLog { detail: "the log head is unreadable".to_owned() })?;
            (head.seq + 1, prev)
        }
        None => (1, vec![0u8; 32]),
    };
    let hash = chain_hash(key, &prev, seq, at, kind, token_id, detail);
    conn.prepare_cached(
        "INSERT INTO events (seq, at, kind, token_id, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![seq, at, kind, token_id, detail, prev, hash.as_slice()])?;
    let head =
        serde_json::to_string(&Head { seq, hash: hex::encode(hash) }).map_err(|e| Error::Internal(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![HEAD_KEY, head])?;
    Ok(())
}

/// The head as the database records it: the last event's seq and hash (hex); `None` before the
/// first event.
pub(crate) fn stored_head(conn: &rusqlite::Connection) -> Result<Option<(i64, String)>> {
    let raw: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [HEAD_KEY], |r| r.get(0)).optional()?;
    match raw {
        None => Ok(None),
        Some(raw) => {
            let head: Head = serde_json::from_str(&raw)
                .map_err(|_| Error::TamperedLog { detail: "the log head is unreadable".to_owned() })?;
            Ok(Some((head.seq, head.hash)))
        }
    }
}

/// The stored hash (hex) of event `seq`, if there is such an event.
pub(crate) fn hash_at(conn: &rusqlite::Connection, seq: i64) -> Result<Option<String>> {
    let hash: Option<Vec<u8>> =
        conn.query_row("SELECT hash FROM events WHERE seq = ?1", [seq], |r| r.get(0)).optional()?;
    Ok(hash.map(hex::encode))
}

/// The highest event seq in the database (0 when it holds none).
pub(crate) fn last_seq(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0))?)
}

/// Recomputes every event's hash under `key` (a re-keyed vault's audit key), keeping each event's
/// content, and moves the head to match. The caller has verified the chain under the old key
/// first, so this re-anchors an intact history and never launders a tampered one. The triggers
/// that forbid updates are lifted for the duration of the caller's transaction and put back.
pub(crate) fn rechain(tx: &rusqlite::Transaction<'_>, key: &[u8; 32]) -> Result<()> {
    let triggers: Vec<(String, String)> = {
        let mut stmt =
            tx.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{}\";", name.replace('"', "\"\"")))?;
    }
    let rows: Vec<(i64, String, String, Option<String>, String)> = {
        let mut stmt = tx.prepare("SELECT seq, at, kind, token_id, detail FROM events ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut prev = vec![0u8; 32];
    let mut last = None;
    for (seq, at, kind, token_id, detail) in rows {
        let hash = chain_hash(key, &prev, seq, &at, &kind, token_id.as_deref(), &detail);
        tx.execute("UPDATE events SET prev_hash = ?2, hash = ?3 WHERE seq = ?1", params![seq, prev, hash.as_slice()])?;
        prev = hash.to_vec();
        last = Some(seq);
    }
    if let Some(seq) = last {
        let head = serde_json::to_string(&Head { seq, hash: hex::encode(&prev) })
            .map_err(|e| Error::Internal(e.to_string()))?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![HEAD_KEY, head],
        )?;
    }
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    Ok(())
}

impl Vault {
    /// Records an event on its own (for actions that change nothing else, such as a reveal).
    pub(crate) fn log(
        &mut self,
        now: DateTime<Utc>,
        kind: EventKind,
        token_id: Option<&str>,
        detail: serde_json::Value,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        append(&tx, &self.keys.audit, now, kind, token_id, &detail)?;
        tx.commit()?;
        Ok(())
    }

    /// The newest events first; `token_id` narrows to one token's history.
    pub fn events(&self, token_id: Option<&str>, limit: usize) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, kind, token_id, detail FROM events
             WHERE (?1 IS NULL OR token_id = ?1) ORDER BY seq DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![token_id, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, at, kind, token_id, detail) = row?;
            out.push(Event {
                seq,
                at: timestamp::decode(&at)?,
                kind,
                token_id,
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
            });
        }
        Ok(out)
    }

    /// Walks the whole chain. Returns the number of events, or says where it breaks.
    pub fn verify_log(&self) -> Result<u64> {
        let mut stmt =
            self.conn.prepare("SELECT seq, at, kind, token_id, detail, prev_hash, hash FROM events ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut expected_seq = 1i64;
        let mut prev = vec![0u8; 32];
        let tampered = |detail: String| Error::TamperedLog { detail };
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let at: String = r.get(1)?;
            let kind: String = r.get(2)?;
            let token_id: Option<String> = r.get(3)?;
            let detail: String = r.get(4)?;
            let stored_prev: Vec<u8> = r.get(5)?;
            let hash: Vec<u8> = r.get(6)?;
            if seq != expected_seq {
                return Err(tampered(format!("event {expected_seq} is missing (next is {seq})")));
            }
            if stored_prev != prev {
                return Err(tampered(format!("event {seq} does not follow event {}", seq - 1)));
            }
            let computed = chain_hash(&self.keys.audit, &prev, seq, &at, &kind, token_id.as_deref(), &detail);
            if computed.as_slice() != hash.as_slice() {
                return Err(tampered(format!("event {seq} was altered")));
            }
            prev = hash;
            expected_seq += 1;
        }
        let count = expected_seq - 1;
        let head: Option<String> =
            self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [HEAD_KEY], |r| r.get(0)).optional()?;
        match head.and_then(|raw| serde_json::from_str::<Head>(&raw).ok()) {
            Some(head) if head.seq == count && head.hash == hex::encode(&prev) => Ok(count as u64),
            None if count == 0 => Ok(0),
            Some(head) if head.seq > count => {
                Err(tampered(format!("events {} to {} were removed from the end", count + 1, head.seq)))
            }
            _ => Err(tampered("the log head does not match its last event".to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{KdfParams, NewToken, TokenKind, Vault};
    use chrono::{TimeZone, Utc};
    use secrecy::SecretString;

    fn vault_with_events(dir: &std::path::Path) -> Vault {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let cheap = KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
        let mut vault = Vault::create(dir, &SecretString::from("test password"), cheap, now).unwrap();
        for i in 0..4 {
            let secret = SecretString::from(format!("ghp_{i:036}"));
            let new =
                NewToken::new(format!("t{i}"), tokenwarden_providers::ProviderId::generic(), TokenKind::ApiKey, secret);
            vault.add_token(new, now).unwrap();
        }
        assert_eq!(vault.verify_log().unwrap(), 5);
        // Tampering needs the triggers out of the way, as an attacker with the key would do.
        vault.conn.execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;").unwrap();
        vault
    }

    fn broken(vault: &Vault) -> String {
        vault.verify_log().unwrap_err().to_string()
    }

    #[test]
    fn the_log_refuses_updates_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        let cheap = KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
        let vault = Vault::create(&dir.path().join("v"), &SecretString::from("test password"), cheap, now).unwrap();
        assert!(vault.conn.execute("UPDATE events SET kind = 'x'", []).is_err());
        assert!(vault.conn.execute("DELETE FROM events", []).is_err());
    }

    #[test]
    fn an_edited_event_breaks_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_events(&dir.path().join("v"));
        vault.conn.execute("UPDATE events SET kind = 'revealed' WHERE seq = 3", []).unwrap();
        assert!(broken(&vault).contains("event 3 was altered"), "{}", broken(&vault));
    }

    #[test]
    fn a_deleted_event_in_the_middle_breaks_the_chain() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_events(&dir.path().join("v"));
        vault.conn.execute("DELETE FROM events WHERE seq = 2", []).unwrap();
        assert!(broken(&vault).contains("event 2 is missing"), "{}", broken(&vault));
    }

    #[test]
    fn a_deleted_last_event_is_noticed_through_the_head() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_events(&dir.path().join("v"));
        vault.conn.execute("DELETE FROM events WHERE seq = 5", []).unwrap();
        assert!(broken(&vault).contains("removed from the end"), "{}", broken(&vault));
    }

    #[test]
    fn a_renumbered_chain_still_fails_without_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault_with_events(&dir.path().join("v"));
        // Delete event 2 and shift the rest down, keeping their stored hashes.
        vault
            .conn
            .execute_batch("DELETE FROM events WHERE seq = 2; UPDATE events SET seq = seq - 1 WHERE seq > 2;")
            .unwrap();
        let message = broken(&vault);
        assert!(message.contains("does not follow") || message.contains("altered"), "{message}");
    }
}
