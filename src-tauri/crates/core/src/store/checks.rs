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

/// What the audit reads of a token's latest check: when it was, what it said, the last real use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestCheck {
    pub token_id: String,
    pub last_at: DateTime<Utc>,
    pub valid: bool,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<StoredCheck> for LatestCheck {
    /// What the audit reads of a whole history row.
    fn from(c: StoredCheck) -> Self {
        LatestCheck {
            token_id: c.token_id,
            last_at: c.last_at,
            valid: c.record.valid,
            last_used_at: c.record.last_used_at,
        }
    }
}

/// The latest row of every token that has one (as [`latest_of_all`] picks it: the latest
/// `last_at`, then the highest id), with only what the audit reads: from `checks_latest`, which
/// the schema's triggers keep in step with `checks` (one row a token, however long its history).
pub(crate) fn latest_for_audit(conn: &Connection) -> Result<Vec<LatestCheck>> {
    super::run(conn, || {
        let mut stmt = conn.prepare_cached("SELECT token_id, last_at, valid, last_used_at FROM checks_latest")?;
        let rows = stmt.query_map([], |r| {
            Ok(LatestCheck {
                token_id: r.get(0)?,
                last_at: required_time(r.get(1)?)?,
                valid: r.get(2)?,
                last_used_at: time(r.get(3)?)?,
            })
        })?;
        rows.collect()
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

/// Writes many rows as they are, in the caller's transaction (a seeded history: see
/// `Vault::seed_check_history`).
pub(crate) fn insert_many(conn: &Connection, rows: &[StoredCheck]) -> Result<()> {
    super::run(conn, || {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO checks (token_id, first_at, last_at, seen, valid, owner, scopes, expires_at, last_used_at, \
             last_used_source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for row in rows {
            let r = &row.record;
            stmt.execute(params![
                row.token_id,
                timestamp::encode(row.first_at),
                timestamp::encode(row.last_at),
                row.seen,
                r.valid,
                r.owner,
                r.scopes.as_ref().map(|s| serde_json::Value::from(s.clone()).to_string()),
                r.expires_at.map(timestamp::encode),
                r.last_used_at.map(timestamp::encode),
                r.last_used_source,
            ])?;
        }
        Ok(())
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn conn() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::migrations::apply(&mut conn).unwrap();
        // Rows of tokens this test never creates.
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        conn
    }

    fn row(token_id: &str, at: DateTime<Utc>, valid: bool, used: Option<DateTime<Utc>>) -> StoredCheck {
        let record = CheckRecord {
            valid,
            owner: Some("owner".into()),
            scopes: Some(vec!["repo".into()]),
            expires_at: None,
            last_used_at: used,
            last_used_source: None,
        };
        StoredCheck { token_id: token_id.to_owned(), first_at: at, last_at: at, seen: 1, record }
    }

    #[test]
    fn the_audits_latest_checks_are_the_rows_the_full_read_picks_ties_included() {
        let conn = conn();
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let rows = vec![
            row("b", t0 + Duration::days(90), true, Some(t0)),
            row("a", t0, true, None),
            row("b", t0, false, None),
            row("a", t0 + Duration::days(30), false, Some(t0 + Duration::days(29))),
            row("a", t0 + Duration::days(10), true, None),
            // Two answers in the same second: the later row (higher id) is the latest.
            row("c", t0, true, None),
            row("c", t0, false, Some(t0)),
        ];
        insert_many(&conn, &rows).unwrap();
        let read = audit_view(&conn);
        assert_eq!(read, full_view(&conn));
        let verdicts: Vec<(&str, bool)> = read.iter().map(|c| (c.token_id.as_str(), c.valid)).collect();
        assert_eq!(verdicts, vec![("a", false), ("b", true), ("c", false)]);
    }

    fn audit_view(conn: &Connection) -> Vec<LatestCheck> {
        let mut read = latest_for_audit(conn).unwrap();
        read.sort_by(|x, y| x.token_id.cmp(&y.token_id));
        read
    }

    fn full_view(conn: &Connection) -> Vec<LatestCheck> {
        let mut full: Vec<LatestCheck> = latest_of_all(conn).unwrap().into_iter().map(LatestCheck::from).collect();
        full.sort_by(|x, y| x.token_id.cmp(&y.token_id));
        full
    }

    #[test]
    fn the_latest_checks_stay_in_step_as_runs_grow_rows_are_pruned_and_tokens_go() {
        let conn = conn();
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let same = |valid| CheckRecord {
            valid,
            owner: None,
            scopes: None,
            expires_at: None,
            last_used_at: None,
            last_used_source: None,
        };
        // Recorded out of order: an older answer arrives after a newer one.
        assert!(record(&conn, "a", &same(true), t0 + Duration::days(10)).unwrap());
        assert!(record(&conn, "a", &same(false), t0).unwrap());
        assert_eq!(audit_view(&conn), full_view(&conn));
        assert!(audit_view(&conn)[0].valid, "the later answer is the latest: {:?}", audit_view(&conn));
        // The same answer again: the latest row's run grows (an update, not a new row).
        assert!(!record(&conn, "a", &same(true), t0 + Duration::days(20)).unwrap());
        assert_eq!(audit_view(&conn), full_view(&conn));
        assert_eq!(audit_view(&conn)[0].last_at, t0 + Duration::days(20));
        record(&conn, "b", &same(true), t0).unwrap();
        record(&conn, "b", &same(false), t0 + Duration::days(400)).unwrap();
        assert_eq!(audit_view(&conn), full_view(&conn));
        // A token's latest row deleted: the one before it is the latest again.
        conn.execute("DELETE FROM checks WHERE token_id = 'b' AND valid = 0", []).unwrap();
        assert_eq!(audit_view(&conn), full_view(&conn));
        assert!(audit_view(&conn)[1].valid);
        // Pruning keeps each token's latest row.
        prune(&conn, t0 + Duration::days(500)).unwrap();
        assert_eq!(audit_view(&conn), full_view(&conn));
        assert_eq!(audit_view(&conn).len(), 2);
        // All of a token's rows go (as they do with the token).
        conn.execute("DELETE FROM checks WHERE token_id = 'a'", []).unwrap();
        assert_eq!(audit_view(&conn), full_view(&conn));
        assert_eq!(audit_view(&conn).len(), 1);
    }

    #[test]
    fn a_vault_with_a_history_gets_its_latest_checks_when_it_is_migrated() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        // Migrate to 6 by hand: the history exists before the table that mirrors it.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files.iter().filter(|f| *f.file_name().unwrap().to_string_lossy() < *"0007") {
            conn.execute_batch(&std::fs::read_to_string(file).unwrap()).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        insert_many(&conn, &[row("a", t0, true, None), row("a", t0, false, None), row("b", t0, true, Some(t0))])
            .unwrap();
        super::super::migrations::apply(&mut conn).unwrap();
        assert_eq!(audit_view(&conn), full_view(&conn));
        assert_eq!(audit_view(&conn).len(), 2);
    }
}
