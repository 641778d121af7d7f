//! The `usages` table: where each token lives or is used, with when that was last confirmed.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{instant, run};
use crate::error::Result;
use crate::timestamp;
use tokenwarden_formats::model::Usage;

const COLUMNS: &str = "id, token_id, kind, location, notes, created_at, last_confirmed_at";

fn usage_from_row(r: &Row<'_>) -> rusqlite::Result<Usage> {
    Ok(Usage {
        id: r.get(0)?,
        token_id: r.get(1)?,
        kind: r.get(2)?,
        location: r.get(3)?,
        notes: r.get(4)?,
        created_at: instant(Some(r.get(5)?))?.unwrap_or_default(),
        last_confirmed_at: instant(r.get(6)?)?,
    })
}

pub(crate) fn insert(conn: &Connection, usage: &Usage) -> Result<()> {
    run(conn, || {
        conn.prepare_cached(
            "INSERT INTO usages (id, token_id, kind, location, notes, created_at, last_confirmed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            usage.id,
            usage.token_id,
            usage.kind,
            usage.location,
            usage.notes,
            timestamp::encode(usage.created_at),
            usage.last_confirmed_at.map(timestamp::encode),
        ])
        .map(drop)
    })
}

/// A token's usages, oldest first.
pub(crate) fn of_token(conn: &Connection, token_id: &str) -> Result<Vec<Usage>> {
    run(conn, || {
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {COLUMNS} FROM usages WHERE token_id = ?1 ORDER BY created_at, id"))?;
        let rows = stmt.query_map([token_id], usage_from_row)?;
        rows.collect()
    })
}

/// Every usage, in the table's own order.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Usage>> {
    all_ordered(conn, "")
}

/// Every usage, oldest first.
pub(crate) fn all_by_creation(conn: &Connection) -> Result<Vec<Usage>> {
    all_ordered(conn, " ORDER BY created_at, id")
}

fn all_ordered(conn: &Connection, order: &str) -> Result<Vec<Usage>> {
    run(conn, || {
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM usages{order}"))?;
        let rows = stmt.query_map([], usage_from_row)?;
        rows.collect()
    })
}

/// The token a usage belongs to: `None` when there is no such usage, `Some(None)` when it has
/// no token.
pub(crate) fn token_of(conn: &Connection, usage_id: &str) -> Result<Option<Option<String>>> {
    run(conn, || conn.query_row("SELECT token_id FROM usages WHERE id = ?1", [usage_id], |r| r.get(0)).optional())
}

pub(crate) fn delete(conn: &Connection, usage_id: &str) -> Result<()> {
    run(conn, || conn.execute("DELETE FROM usages WHERE id = ?1", [usage_id]).map(drop))
}

/// Moves every usage of token `from` to token `to` (a rotation's new token).
pub(crate) fn move_to(conn: &Connection, from: &str, to: &str) -> Result<()> {
    run(conn, || conn.execute("UPDATE usages SET token_id = ?2 WHERE token_id = ?1", params![from, to]).map(drop))
}
