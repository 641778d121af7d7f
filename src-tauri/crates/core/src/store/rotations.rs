//! The `rotations` table: one row per rotation, its step, the new secret sealed while it waits,
//! and the consumer checklist (JSON). Which step may follow which is the domain's rule
//! (`crate::rotation`); [`set_step`] only makes each transition happen once.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{instant, run};
use crate::error::Result;
use crate::timestamp;

/// A rotation as stored, with its token's name and provider. The sealed new secret is not in it.
pub(crate) struct RotationRow {
    pub id: String,
    pub token_id: String,
    pub token_name: String,
    pub provider: String,
    pub method: String,
    pub step: String,
    pub new_token_id: Option<String>,
    pub new_hint: Option<String>,
    pub new_expires_at: Option<DateTime<Utc>>,
    pub verified_by: Option<String>,
    pub api_requested_at: Option<DateTime<Utc>>,
    pub old_invalidated: bool,
    /// The checklist, as JSON.
    pub consumers: String,
    pub revoke_method: Option<String>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT r.id, r.token_id, t.name, t.provider, r.method, r.step, r.new_token_id, r.new_hint,
    r.new_expires_at, r.verified_by, r.api_requested_at, r.old_invalidated, r.consumers, r.revoke_method,
    r.started_at, r.updated_at, r.finished_at
    FROM rotations r JOIN tokens t ON t.id = r.token_id";

fn rotation_from_row(r: &Row<'_>) -> rusqlite::Result<RotationRow> {
    Ok(RotationRow {
        id: r.get(0)?,
        token_id: r.get(1)?,
        token_name: r.get(2)?,
        provider: r.get(3)?,
        method: r.get(4)?,
        step: r.get(5)?,
        new_token_id: r.get(6)?,
        new_hint: r.get(7)?,
        new_expires_at: instant(r.get(8)?)?,
        verified_by: r.get(9)?,
        api_requested_at: instant(r.get(10)?)?,
        old_invalidated: r.get(11)?,
        consumers: r.get(12)?,
        revoke_method: r.get(13)?,
        started_at: instant(r.get(14)?)?.unwrap_or_default(),
        updated_at: instant(r.get(15)?)?.unwrap_or_default(),
        finished_at: instant(r.get(16)?)?,
    })
}

const OPEN: &str = "r.step NOT IN ('done', 'aborted')";

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Option<RotationRow>> {
    run(conn, || conn.query_row(&format!("{SELECT} WHERE r.id = ?1"), [id], rotation_from_row).optional())
}

/// The unfinished rotation of a token, if any.
pub(crate) fn open_for(conn: &Connection, token_id: &str) -> Result<Option<RotationRow>> {
    run(conn, || {
        conn.query_row(&format!("{SELECT} WHERE r.token_id = ?1 AND {OPEN}"), [token_id], rotation_from_row).optional()
    })
}

/// Every unfinished rotation, oldest first.
pub(crate) fn open_all(conn: &Connection) -> Result<Vec<RotationRow>> {
    run(conn, || {
        let mut stmt = conn.prepare(&format!("{SELECT} WHERE {OPEN} ORDER BY r.started_at, r.id"))?;
        let rows = stmt.query_map([], rotation_from_row)?;
        rows.collect()
    })
}

/// Every rotation of a token, newest first.
pub(crate) fn of_token(conn: &Connection, token_id: &str) -> Result<Vec<RotationRow>> {
    run(conn, || {
        let mut stmt =
            conn.prepare(&format!("{SELECT} WHERE r.token_id = ?1 ORDER BY r.started_at DESC, r.id DESC"))?;
        let rows = stmt.query_map([token_id], rotation_from_row)?;
        rows.collect()
    })
}

/// A new rotation at step `started`.
pub(crate) fn insert(
    conn: &Connection,
    id: &str,
    token_id: &str,
    method: &str,
    consumers: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    run(conn, || {
        conn.execute(
            "INSERT INTO rotations (id, token_id, method, step, consumers, started_at, updated_at)
             VALUES (?1, ?2, ?3, 'started', ?4, ?5, ?5)",
            params![id, token_id, method, consumers, timestamp::encode(now)],
        )
        .map(drop)
    })
}

/// Moves a rotation from step `from` to `to`. `false` when it was not at `from` (any more): the
/// guard makes each transition happen once even if two processes race.
pub(crate) fn set_step(conn: &Connection, id: &str, from: &str, to: &str, now: DateTime<Utc>) -> Result<bool> {
    let changed = run(conn, || {
        conn.execute(
            "UPDATE rotations SET step = ?3, updated_at = ?4 WHERE id = ?1 AND step = ?2",
            params![id, from, to, timestamp::encode(now)],
        )
    })?;
    Ok(changed == 1)
}

/// Notes that the provider is being asked for the new token (`Some(now)`), or that it answered
/// with an error (`None`).
pub(crate) fn set_api_requested(conn: &Connection, id: &str, at: Option<DateTime<Utc>>) -> Result<()> {
    run(conn, || match at {
        Some(at) => conn.execute(
            "UPDATE rotations SET api_requested_at = ?2, updated_at = ?2 WHERE id = ?1",
            params![id, timestamp::encode(at)],
        ),
        None => conn.execute("UPDATE rotations SET api_requested_at = NULL WHERE id = ?1", [id]),
    })
    .map(drop)
}

/// The new secret, sealed, with what is known of it (the provider's request is answered).
pub(crate) fn store_new_secret(
    conn: &Connection,
    id: &str,
    sealed: &[u8],
    fingerprint: &[u8],
    hint: &str,
    expires_at: Option<DateTime<Utc>>,
    old_invalidated: bool,
) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE rotations SET new_sealed = ?2, new_fingerprint = ?3, new_hint = ?4, new_expires_at = ?5,
                 old_invalidated = ?6, api_requested_at = NULL WHERE id = ?1",
            params![id, sealed, fingerprint, hint, expires_at.map(timestamp::encode), old_invalidated],
        )
        .map(drop)
    })
}

/// The sealed new secret, while the rotation holds one.
pub(crate) fn new_sealed(conn: &Connection, id: &str) -> Result<Option<Vec<u8>>> {
    let sealed: Option<Option<Vec<u8>>> =
        run(conn, || conn.query_row("SELECT new_sealed FROM rotations WHERE id = ?1", [id], |r| r.get(0)).optional())?;
    Ok(sealed.flatten())
}

/// Who vouched for the new secret, and the expiry the provider reported for it (if it did).
pub(crate) fn set_verified(
    conn: &Connection,
    id: &str,
    by: &str,
    provider_expiry: Option<DateTime<Utc>>,
) -> Result<()> {
    run(conn, || {
        conn.execute("UPDATE rotations SET verified_by = ?2 WHERE id = ?1", params![id, by])?;
        if let Some(at) = provider_expiry {
            conn.execute("UPDATE rotations SET new_expires_at = ?2 WHERE id = ?1", params![id, timestamp::encode(at)])?;
        }
        Ok(())
    })
}

/// The consumer checklist (JSON), changed at `now`.
pub(crate) fn set_consumers(conn: &Connection, id: &str, consumers: &str, now: DateTime<Utc>) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE rotations SET consumers = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, consumers, timestamp::encode(now)],
        )
        .map(drop)
    })
}

/// The new secret became token `new_token_id`: the rotation's sealed copy is wiped.
pub(crate) fn set_promoted(conn: &Connection, id: &str, new_token_id: &str) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE rotations SET new_token_id = ?2, new_sealed = NULL WHERE id = ?1",
            params![id, new_token_id],
        )
        .map(drop)
    })
}

pub(crate) fn set_revoke_method(conn: &Connection, id: &str, method: &str) -> Result<()> {
    run(conn, || conn.execute("UPDATE rotations SET revoke_method = ?2 WHERE id = ?1", params![id, method]).map(drop))
}

pub(crate) fn set_finished(conn: &Connection, id: &str, now: DateTime<Utc>) -> Result<()> {
    run(conn, || {
        conn.execute("UPDATE rotations SET finished_at = ?2 WHERE id = ?1", params![id, timestamp::encode(now)])
            .map(drop)
    })
}

/// An aborted rotation: its new secret is wiped, and it finished at `now`.
pub(crate) fn set_aborted(conn: &Connection, id: &str, now: DateTime<Utc>) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE rotations SET new_sealed = NULL, new_fingerprint = NULL, finished_at = ?2 WHERE id = ?1",
            params![id, timestamp::encode(now)],
        )
        .map(drop)
    })
}

/// Every rotation that holds a sealed new secret: its id and the sealed bytes.
pub(crate) fn all_sealed(conn: &Connection) -> Result<Vec<(String, Vec<u8>)>> {
    run(conn, || {
        let mut stmt = conn.prepare("SELECT id, new_sealed FROM rotations WHERE new_sealed IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    })
}

/// Replaces a waiting new secret with the same secret sealed under other keys (a re-key).
pub(crate) fn reseal(conn: &Connection, id: &str, sealed: &[u8], fingerprint: &[u8]) -> Result<()> {
    run(conn, || {
        conn.execute(
            "UPDATE rotations SET new_sealed = ?2, new_fingerprint = ?3 WHERE id = ?1",
            params![id, sealed, fingerprint],
        )
        .map(drop)
    })
}
