//! The audit log: append-only, hash-chained events. Each row's hash is an HMAC (under a key derived
//! from the master key) over the previous hash and the row's fields; the head (last seq and hash)
//! is kept in settings, so an edited, inserted or deleted row — even the last one — shows.
//! Event details are metadata only: field names, counts, never a secret value.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::store::events;
use crate::timestamp;
use crate::vault::Vault;

pub use crate::store::events::EventKind;
/// The chain itself (hashing, appending, re-keying) is kept with its table in `store::events`.
pub(crate) use crate::store::events::{append, append_raw};
pub use tokenwarden_formats::model::Event;

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
        let mut out = Vec::new();
        for row in events::newest(&self.conn, token_id, limit)? {
            out.push(Event {
                seq: row.seq,
                at: timestamp::decode(&row.at)?,
                kind: row.kind,
                token_id: row.token_id,
                detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null),
            });
        }
        Ok(out)
    }

    /// Walks the whole chain. Returns the number of events, or says where it breaks.
    pub fn verify_log(&self) -> Result<u64> {
        let mut expected_seq = 1i64;
        let mut prev = vec![0u8; 32];
        let tampered = |detail: String| Error::TamperedLog { detail };
        events::walk_chain(&self.conn, |row, stored_prev, hash| {
            let seq = row.seq;
            if seq != expected_seq {
                return Err(tampered(format!("event {expected_seq} is missing (next is {seq})")));
            }
            if stored_prev != prev {
                return Err(tampered(format!("event {seq} does not follow event {}", seq - 1)));
            }
            if events::row_hash(&self.keys.audit, &prev, &row).as_slice() != hash.as_slice() {
                return Err(tampered(format!("event {seq} was altered")));
            }
            prev = hash;
            expected_seq += 1;
            Ok(())
        })?;
        let count = expected_seq - 1;
        match events::head_if_readable(&self.conn)?.flatten() {
            Some((seq, hash)) if seq == count && hash == hex::encode(&prev) => Ok(count as u64),
            None if count == 0 => Ok(0),
            Some((seq, _)) if seq > count => {
                Err(tampered(format!("events {} to {} were removed from the end", count + 1, seq)))
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
