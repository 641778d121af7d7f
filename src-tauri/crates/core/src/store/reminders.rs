//! The `token_reminders` table (a token's own day-before thresholds, as a JSON list) and the one
//! read the reminder index is built from: every live token with a date to remind about.

use rusqlite::{params, Connection, OptionalExtension};

use super::run;
use crate::error::Result;

/// What the reminder index needs of one token, as stored.
pub(crate) struct ReminderRow {
    pub token_id: String,
    pub name: String,
    pub provider: String,
    pub expires_at: Option<String>,
    pub rotation_max_age_days: Option<u32>,
    /// The last rotation, else the creation.
    pub rotated_at: String,
    /// The token's own thresholds (JSON list), if it has them.
    pub own_days: Option<String>,
    pub reminders_from: Option<String>,
}

/// Every active or rotating token that has an expiry or a rotation policy, soonest expiry first.
pub(crate) fn live_with_dates(conn: &Connection) -> Result<Vec<ReminderRow>> {
    run(conn, || {
        let mut stmt = conn.prepare(
            "SELECT t.id, t.name, t.provider, t.expires_at, t.rotation_max_age_days,
                    coalesce(t.last_rotated_at, t.created_at), r.days, t.reminders_from
             FROM tokens t LEFT JOIN token_reminders r ON r.token_id = t.id
             WHERE t.status IN ('active', 'rotating')
               AND (t.expires_at IS NOT NULL OR t.rotation_max_age_days IS NOT NULL)
             ORDER BY t.expires_at IS NULL, t.expires_at, t.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ReminderRow {
                token_id: r.get(0)?,
                name: r.get(1)?,
                provider: r.get(2)?,
                expires_at: r.get(3)?,
                rotation_max_age_days: r.get(4)?,
                rotated_at: r.get(5)?,
                own_days: r.get(6)?,
                reminders_from: r.get(7)?,
            })
        })?;
        rows.collect()
    })
}

/// A token's own thresholds (JSON list), if it has them.
pub(crate) fn days(conn: &Connection, token_id: &str) -> Result<Option<String>> {
    run(conn, || {
        conn.query_row("SELECT days FROM token_reminders WHERE token_id = ?1", [token_id], |r| r.get(0)).optional()
    })
}

/// Sets a token's own thresholds (a JSON list), or clears them (`None`: it follows the vault's).
pub(crate) fn set_days(conn: &Connection, token_id: &str, days: Option<&str>) -> Result<()> {
    run(conn, || match days {
        Some(days) => conn.execute(
            "INSERT INTO token_reminders (token_id, days) VALUES (?1, ?2)
             ON CONFLICT(token_id) DO UPDATE SET days = excluded.days",
            params![token_id, days],
        ),
        None => conn.execute("DELETE FROM token_reminders WHERE token_id = ?1", [token_id]),
    })
    .map(drop)
}
/// Gives token `to` the same own thresholds as `from` (a rotation's new token).
pub(crate) fn copy(conn: &Connection, from: &str, to: &str) -> Result<()> {
    run(conn, || {
        conn.execute(
            "INSERT INTO token_reminders (token_id, days) SELECT ?2, days FROM token_reminders WHERE token_id = ?1",
            params![from, to],
        )
    })
    .map(drop)
}
