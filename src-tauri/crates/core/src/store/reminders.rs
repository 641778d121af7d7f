//! The `token_reminders` table (a token's own day-before thresholds, as a JSON list) and the one
//! read the reminder index is built from: every live token with a date to remind about.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{run, unreadable};
use crate::error::Result;
use crate::timestamp;

/// What the reminder index needs of one token.
pub(crate) struct ReminderRow {
    pub token_id: String,
    /// Only when asked for (the index names tokens only when it is sealed).
    pub name: Option<String>,
    pub provider: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub rotation_max_age_days: Option<u32>,
    /// The last rotation, else the creation; read only for a token with a rotation policy.
    pub rotated_at: Option<DateTime<Utc>>,
    /// The token's own thresholds (JSON list), if it has them.
    pub own_days: Option<String>,
    pub reminders_from: Option<DateTime<Utc>>,
}

/// Every active or rotating token that has an expiry or a rotation policy, soonest expiry first
/// (then by id), with names and providers when `labels`. Dates are read in place, and the rows
/// sorted here: SQLite's sorter would copy every row's record once more.
pub(crate) fn live_with_dates(conn: &Connection, labels: bool) -> Result<Vec<ReminderRow>> {
    let mut rows = run(conn, || {
        let mut stmt = conn.prepare(
            "SELECT t.id, CASE WHEN ?1 THEN t.name END, CASE WHEN ?1 THEN t.provider END, t.expires_at,
                    t.rotation_max_age_days,
                    CASE WHEN t.rotation_max_age_days IS NOT NULL THEN coalesce(t.last_rotated_at, t.created_at) END,
                    r.days, t.reminders_from
             FROM tokens t LEFT JOIN token_reminders r ON r.token_id = t.id
             WHERE t.status IN ('active', 'rotating')
               AND (t.expires_at IS NOT NULL OR t.rotation_max_age_days IS NOT NULL)",
        )?;
        let rows = stmt.query_map([labels], |r| {
            let at = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
                let raw = r.get_ref(i)?.as_str_or_null().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
                })?;
                raw.map(timestamp::decode).transpose().map_err(unreadable)
            };
            Ok(ReminderRow {
                token_id: r.get(0)?,
                name: r.get(1)?,
                provider: r.get(2)?,
                expires_at: at(3)?,
                rotation_max_age_days: r.get(4)?,
                rotated_at: at(5)?,
                own_days: r.get(6)?,
                reminders_from: at(7)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    // Ids are unique (the primary key), so no two rows compare equal and an unstable sort orders
    // them as a stable one would.
    rows.sort_unstable_by(|a, b| {
        (a.expires_at.is_none(), a.expires_at, &a.token_id).cmp(&(b.expires_at.is_none(), b.expires_at, &b.token_id))
    });
    Ok(rows)
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
