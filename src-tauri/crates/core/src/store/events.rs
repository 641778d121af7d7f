//! The `events` table (the audit log) and its head, kept in `settings`: the kinds of event, and
//! the hash chain every row joins as it is appended (an HMAC under the audit key the caller passes
//! over the previous hash and the row). Rows are never updated or deleted here, except by
//! [`rechain`] during a re-key. Reading the log and judging the chain is `crate::audit_log`'s.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{run, settings};
use crate::crypto;
use crate::error::{Error, Result};
use crate::timestamp;

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

/// One event as stored (its hashes apart).
pub(crate) struct EventRow {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub token_id: Option<String>,
    pub detail: String,
}

#[derive(Serialize, Deserialize)]
struct Head {
    seq: i64,
    hash: String,
}

fn unreadable_head() -> Error {
    Error::TamperedLog { detail: "the log head is unreadable".to_owned() }
}

/// The head as the database records it: the last event's seq and hash (hex); `None` before the
/// first event. An unreadable head is a tampered log.
pub(crate) fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    match settings::get(conn, HEAD_KEY)? {
        None => Ok(None),
        Some(raw) => {
            let head: Head = serde_json::from_str(&raw).map_err(|_| unreadable_head())?;
            Ok(Some((head.seq, head.hash)))
        }
    }
}

/// As [`head`], with an unreadable head read as `Some(None)` rather than an error.
pub(crate) fn head_if_readable(conn: &Connection) -> Result<Option<Option<(i64, String)>>> {
    Ok(settings::get(conn, HEAD_KEY)?.map(|raw| serde_json::from_str::<Head>(&raw).ok().map(|h| (h.seq, h.hash))))
}

/// The previous hash (raw) of an unreadable head is a tampered log too.
pub(crate) fn decode_hash(hash: &str) -> Result<Vec<u8>> {
    hex::decode(hash).map_err(|_| unreadable_head())
}

fn put_head(conn: &Connection, seq: i64, hash: &[u8]) -> Result<()> {
    let head =
        serde_json::to_string(&Head { seq, hash: hex::encode(hash) }).map_err(|e| Error::Internal(e.to_string()))?;
    settings::put(conn, HEAD_KEY, &head)
}

/// Appends a row and moves the head to it, inside the caller's transaction.
pub(crate) fn insert(conn: &Connection, row: &EventRow, prev_hash: &[u8], hash: &[u8]) -> Result<()> {
    run(conn, || {
        conn.prepare_cached(
            "INSERT INTO events (seq, at, kind, token_id, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![row.seq, row.at, row.kind, row.token_id, row.detail, prev_hash, hash])
    })?;
    put_head(conn, row.seq, hash)
}

/// The stored hash (hex) of event `seq`, if there is such an event.
pub(crate) fn hash_at(conn: &Connection, seq: i64) -> Result<Option<String>> {
    let hash: Option<Vec<u8>> =
        run(conn, || conn.query_row("SELECT hash FROM events WHERE seq = ?1", [seq], |r| r.get(0)).optional())?;
    Ok(hash.map(hex::encode))
}

/// The highest event seq in the database (0 when it holds none).
pub(crate) fn last_seq(conn: &Connection) -> Result<i64> {
    run(conn, || conn.query_row("SELECT coalesce(max(seq), 0) FROM events", [], |r| r.get(0)))
}

fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
    Ok(EventRow { seq: r.get(0)?, at: r.get(1)?, kind: r.get(2)?, token_id: r.get(3)?, detail: r.get(4)? })
}

/// The newest `limit` events, of one token or of all.
pub(crate) fn newest(conn: &Connection, token_id: Option<&str>, limit: usize) -> Result<Vec<EventRow>> {
    run(conn, || {
        let mut stmt = conn.prepare(
            "SELECT seq, at, kind, token_id, detail FROM events
             WHERE (?1 IS NULL OR token_id = ?1) ORDER BY seq DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![token_id, limit as i64], event_row)?;
        rows.collect()
    })
}

/// Calls `visit` with every event and its stored previous hash and hash, oldest first, one row at
/// a time; stops at the first error `visit` returns.
pub(crate) fn walk_chain(
    conn: &Connection,
    mut visit: impl FnMut(EventRow, Vec<u8>, Vec<u8>) -> Result<()>,
) -> Result<()> {
    let db = |e| super::error(conn, e);
    let mut stmt =
        conn.prepare("SELECT seq, at, kind, token_id, detail, prev_hash, hash FROM events ORDER BY seq").map_err(db)?;
    let mut rows = stmt.query([]).map_err(db)?;
    while let Some(r) = rows.next().map_err(db)? {
        let (prev, hash) = (r.get(5).map_err(db)?, r.get(6).map_err(db)?);
        visit(event_row(r).map_err(db)?, prev, hash)?;
    }
    Ok(())
}

/// For each token with an event of `kind`, the time (as stored) of its latest one.
pub(crate) fn latest_of_kind_by_token(conn: &Connection, kind: &str) -> Result<Vec<(String, String)>> {
    run(conn, || {
        let mut stmt = conn.prepare(
            "SELECT token_id, MAX(at) FROM events WHERE kind = ?1 AND token_id IS NOT NULL GROUP BY token_id",
        )?;
        let rows = stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    })
}

/// How many events the log holds.
pub(crate) fn count(conn: &Connection) -> Result<u64> {
    run(conn, || conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0)))
}

/// Rewrites every event's hashes with what `hash(prev, row)` gives, keeping each event's content,
/// and moves the head to match. The triggers that forbid updates are lifted for the duration of
/// the caller's transaction and put back.
fn rewrite_chain(tx: &rusqlite::Transaction<'_>, mut hash: impl FnMut(&[u8], &EventRow) -> [u8; 32]) -> Result<()> {
    let conn: &Connection = tx;
    let triggers: Vec<(String, String)> = run(conn, || {
        let mut stmt =
            conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    })?;
    for (name, _) in &triggers {
        run(conn, || conn.execute_batch(&format!("DROP TRIGGER \"{}\";", name.replace('"', "\"\""))))?;
    }
    let rows: Vec<EventRow> = run(conn, || {
        let mut stmt = conn.prepare("SELECT seq, at, kind, token_id, detail FROM events ORDER BY seq")?;
        let rows = stmt.query_map([], event_row)?;
        rows.collect()
    })?;
    let mut prev = vec![0u8; 32];
    let mut last = None;
    for row in rows {
        let new = hash(&prev, &row);
        run(conn, || {
            conn.execute(
                "UPDATE events SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
                params![row.seq, prev, new.as_slice()],
            )
        })?;
        prev = new.to_vec();
        last = Some(row.seq);
    }
    if let Some(seq) = last {
        put_head(conn, seq, &prev)?;
    }
    for (_, sql) in &triggers {
        run(conn, || conn.execute_batch(sql))?;
    }
    Ok(())
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

pub(crate) fn row_hash(key: &[u8; 32], prev: &[u8], row: &EventRow) -> [u8; 32] {
    chain_hash(key, prev, row.seq, &row.at, &row.kind, row.token_id.as_deref(), &row.detail)
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
    let (seq, prev) = match head(conn)? {
        Some((seq, hash)) => (seq + 1, decode_hash(&hash)?),
        None => (1, vec![0u8; 32]),
    };
    let row = EventRow {
        seq,
        at: at.to_owned(),
        kind: kind.to_owned(),
        token_id: token_id.map(str::to_owned),
        detail: detail.to_owned(),
    };
    let hash = row_hash(key, &prev, &row);
    insert(conn, &row, &prev, &hash)
}

/// Recomputes every event's hash under `key` (a re-keyed vault's audit key), keeping each event's
/// content, and moves the head to match. The caller has verified the chain under the old key
/// first, so this re-anchors an intact history and never launders a tampered one.
pub(crate) fn rechain(tx: &rusqlite::Transaction<'_>, key: &[u8; 32]) -> Result<()> {
    rewrite_chain(tx, |prev, row| row_hash(key, prev, row))
}
