//! The `checks` table: what each provider check said about a token, one row per run of identical
//! answers. Holds no secret: validity, owner, scopes, dates and a source address.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::error::Result;
use crate::timestamp;

/// What one check said. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckRecord {
    pub valid: bool,
    pub owner: Option<String>,
    /// `None` when the provider does not report scopes.
    pub scopes: Option<Vec<String>>,
    pub expires_at: Option<DateTime<Utc>>,
    /// The last real use: the monitor's own calls are left out.
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_source: Option<String>,
}

/// A run of identical answers in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCheck {
    pub token_id: String,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// How many checks said this.
    pub seen: u32,
    #[serde(flatten)]
    pub record: CheckRecord,
}

const COLUMNS: &str =
    "id, token_id, first_at, last_at, seen, valid, owner, scopes, expires_at, last_used_at, last_used_source";

pub(crate) fn time(raw: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    raw.map(|s| timestamp::decode(&s))
        .transpose()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

pub(crate) fn required_time(raw: String) -> rusqlite::Result<DateTime<Utc>> {
    time(Some(raw)).map(|t| t.unwrap_or_default())
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<StoredCheck> {
    let scopes: Option<String> = r.get(7)?;
    Ok(StoredCheck {
        token_id: r.get(1)?,
        first_at: required_time(r.get(2)?)?,
        last_at: required_time(r.get(3)?)?,
        seen: r.get(4)?,
        record: CheckRecord {
            valid: r.get(5)?,
            owner: r.get(6)?,
            scopes: scopes.and_then(|s| serde_json::from_str(&s).ok()),
            expires_at: time(r.get(8)?)?,
            last_used_at: time(r.get(9)?)?,
            last_used_source: r.get(10)?,
        },
    })
}

/// The latest row for a token.
pub(crate) fn latest(conn: &Connection, token_id: &str) -> Result<Option<StoredCheck>> {
    super::run(conn, || {
        let sql = format!("SELECT {COLUMNS} FROM checks WHERE token_id = ?1 ORDER BY last_at DESC, id DESC LIMIT 1");
        conn.query_row(&sql, [token_id], from_row).optional()
    })
}

/// Every row for a token, oldest first.
pub(crate) fn history(conn: &Connection, token_id: &str) -> Result<Vec<StoredCheck>> {
    super::run(conn, || {
        let sql = format!("SELECT {COLUMNS} FROM checks WHERE token_id = ?1 ORDER BY first_at, id");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([token_id], from_row)?;
        rows.collect::<rusqlite::Result<_>>()
    })
}

/// The latest row of every token that has one.
pub(crate) fn latest_of_all(conn: &Connection) -> Result<Vec<StoredCheck>> {
    super::run(conn, || {
        let sql = format!(
            // One index seek per token (not per row): the audit reads this over the whole vault.
            "SELECT {COLUMNS} FROM checks WHERE id IN (SELECT (SELECT id FROM checks i WHERE i.token_id = t.token_id \
             ORDER BY last_at DESC, id DESC LIMIT 1) FROM (SELECT DISTINCT token_id FROM checks) t)"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], from_row)?;
        rows.collect::<rusqlite::Result<_>>()
    })
}

/// Every last-used source ever recorded for a token.
pub(crate) fn sources(conn: &Connection, token_id: &str) -> Result<Vec<String>> {
    super::run(conn, || {
        let mut stmt = conn.prepare(
            "SELECT DISTINCT last_used_source FROM checks WHERE token_id = ?1 AND last_used_source IS NOT NULL",
        )?;
        let rows = stmt.query_map([token_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()
    })
}

/// Records a check made at `at`: when it says what the latest row says, that row's run grows;
/// otherwise a new row starts. Returns whether a new row was written.
pub(crate) fn record(conn: &Connection, token_id: &str, record: &CheckRecord, at: DateTime<Utc>) -> Result<bool> {
    let stamp = timestamp::encode(at);
    if let Some(last) = latest(conn, token_id)? {
        if last.record == *record {
            super::run(conn, || {
                conn.execute(
                    "UPDATE checks SET last_at = max(last_at, ?2), seen = seen + 1 WHERE id = \
                     (SELECT id FROM checks WHERE token_id = ?1 ORDER BY last_at DESC, id DESC LIMIT 1)",
                    params![token_id, stamp],
                )
            })?;
            return Ok(false);
        }
    }
    let scopes = record.scopes.as_ref().map(|s| serde_json::Value::from(s.clone()).to_string());
    super::run(conn, || {
        conn.execute(
            "INSERT INTO checks (token_id, first_at, last_at, seen, valid, owner, scopes, expires_at, last_used_at, \
         last_used_source) VALUES (?1, ?2, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                token_id,
                stamp,
                record.valid,
                record.owner,
                scopes,
                record.expires_at.map(timestamp::encode),
                record.last_used_at.map(timestamp::encode),
                record.last_used_source,
            ],
        )
    })?;
    Ok(true)
}

/// Deletes rows whose run ended before `before`, always keeping each token's latest row.
pub(crate) fn prune(conn: &Connection, before: DateTime<Utc>) -> Result<usize> {
    super::run(conn, || {
        conn.execute(
            "DELETE FROM checks WHERE last_at < ?1 AND id NOT IN \
             (SELECT (SELECT id FROM checks i WHERE i.token_id = o.token_id ORDER BY last_at DESC, id DESC LIMIT 1) \
              FROM checks o GROUP BY token_id)",
            [timestamp::encode(before)],
        )
    })
}

/// The tokens the monitor may watch: `monitored` is set.
pub(crate) fn unmonitored(conn: &Connection) -> Result<Vec<String>> {
    super::run(conn, || {
        let mut stmt = conn.prepare("SELECT id FROM tokens WHERE monitored = 0")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()
    })
}

/// Turns the monitor on or off for one token.
pub(crate) fn set_monitored(conn: &Connection, token_id: &str, monitored: bool) -> Result<usize> {
    super::run(conn, || conn.execute("UPDATE tokens SET monitored = ?2 WHERE id = ?1", params![token_id, monitored]))
}
