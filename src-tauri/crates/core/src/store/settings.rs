//! The `settings` table: one JSON value per key (the user's settings, the audit log's head, the
//! reminder index's key and generation, dismissed findings, …). What each value means is its
//! owner's business; this module only reads and writes the rows.

use rusqlite::{params, Connection, OptionalExtension};

use super::run;
use crate::error::Result;

/// The stored value (JSON text) of `key`, if any.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    run(conn, || conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional())
}

/// Writes the value (JSON text) of `key`, replacing any.
pub(crate) fn put(conn: &Connection, key: &str, value: &str) -> Result<()> {
    run(conn, || {
        conn.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![key, value])
        .map(drop)
    })
}
