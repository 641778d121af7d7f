//! The `events` table (the audit log) and its head, kept in `settings`. Rows go in with the hash
//! the audit log computed; this module never computes or judges a hash (see `crate::audit_log`).
//! Rows are never updated or deleted here, except by [`rewrite_chain`] during a re-key.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{run, settings};
use crate::error::{Error, Result};

const HEAD_KEY: &str = "audit.head";

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
pub(crate) fn rewrite_chain(
    tx: &rusqlite::Transaction<'_>,
    mut hash: impl FnMut(&[u8], &EventRow) -> [u8; 32],
) -> Result<()> {
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
