//! The `alerts` table: what the monitor raised, with its evidence in words, until acknowledged.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::severity::Severity;
use crate::store::checks::{required_time, time};
use crate::timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Drift,
    Died,
    StillInUse,
    UnusualUse,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Drift => "drift",
            AlertKind::Died => "died",
            AlertKind::StillInUse => "still_in_use",
            AlertKind::UnusualUse => "unusual_use",
        }
    }
}

impl std::str::FromStr for AlertKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        [AlertKind::Drift, AlertKind::Died, AlertKind::StillInUse, AlertKind::UnusualUse]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                Error::invalid("alert kind", format!("'{s}' is not one of: drift, died, still_in_use, unusual_use"))
            })
    }
}

/// An alert before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert {
    pub token_id: String,
    pub kind: AlertKind,
    pub severity: Severity,
    pub evidence: String,
}

/// A stored alert. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub id: String,
    pub token_id: String,
    pub token_name: String,
    pub kind: AlertKind,
    pub severity: Severity,
    pub evidence: String,
    pub raised_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub notified_at: Option<DateTime<Utc>>,
    /// Set by "Snooze" on its notification: said again once this has passed.
    pub snoozed_until: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "a.id, a.token_id, t.name, a.kind, a.severity, a.evidence, a.raised_at, a.acknowledged_at, \
                       a.notified_at, a.snoozed_until";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Alert> {
    let kind: String = r.get(3)?;
    let severity: String = r.get(4)?;
    Ok(Alert {
        id: r.get(0)?,
        token_id: r.get(1)?,
        token_name: r.get(2)?,
        kind: kind.parse().unwrap_or(AlertKind::Drift),
        severity: severity.parse().unwrap_or(Severity::High),
        evidence: r.get(5)?,
        raised_at: required_time(r.get(6)?)?,
        acknowledged_at: time(r.get(7)?)?,
        notified_at: time(r.get(8)?)?,
        snoozed_until: time(r.get(9)?)?,
    })
}

/// Inserts an alert unless the same one (token, kind, evidence) is still open. Returns its id
/// when it was inserted.
pub(crate) fn raise(conn: &Connection, alert: &NewAlert, at: DateTime<Utc>) -> Result<Option<String>> {
    super::run(conn, || {
        let open: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM alerts WHERE token_id = ?1 AND kind = ?2 AND evidence = ?3 \
             AND acknowledged_at IS NULL)",
            params![alert.token_id, alert.kind.as_str(), alert.evidence],
            |r| r.get(0),
        )?;
        if open {
            return Ok(None);
        }
        let id = uuid::Uuid::now_v7().to_string();
        conn.execute(
            "INSERT INTO alerts (id, token_id, kind, severity, evidence, raised_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                alert.token_id,
                alert.kind.as_str(),
                severity_str(alert.severity),
                alert.evidence,
                timestamp::encode(at)
            ],
        )?;
        Ok(Some(id))
    })
}

pub(crate) fn severity_str(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
    }
}

/// Alerts not yet acknowledged, newest first.
pub(crate) fn open(conn: &Connection) -> Result<Vec<Alert>> {
    super::run(conn, || {
        let sql = format!(
            "SELECT {COLUMNS} FROM alerts a JOIN tokens t ON t.id = a.token_id WHERE a.acknowledged_at IS NULL \
             ORDER BY a.raised_at DESC, a.id DESC"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], from_row)?;
        rows.collect::<rusqlite::Result<_>>()
    })
}

/// Every alert of a token, acknowledged or not, oldest first.
pub(crate) fn of_token(conn: &Connection, token_id: &str) -> Result<Vec<Alert>> {
    super::run(conn, || {
        let sql = format!("SELECT {COLUMNS} FROM alerts a JOIN tokens t ON t.id = a.token_id WHERE a.token_id = ?1 ORDER BY a.raised_at, a.id");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([token_id], from_row)?;
        rows.collect::<rusqlite::Result<_>>()
    })
}

/// Marks an alert acknowledged; returns the number of rows changed (0: unknown or already done).
pub(crate) fn acknowledge(conn: &Connection, id: &str, at: DateTime<Utc>) -> Result<usize> {
    super::run(conn, || {
        conn.execute(
            "UPDATE alerts SET acknowledged_at = ?2 WHERE id = ?1 AND acknowledged_at IS NULL",
            params![id, timestamp::encode(at)],
        )
    })
}

/// Marks an alert as said by a desktop notification (again, after a snooze: which ends it).
pub(crate) fn mark_notified(conn: &Connection, id: &str, at: DateTime<Utc>) -> Result<usize> {
    super::run(conn, || {
        conn.execute(
            "UPDATE alerts SET notified_at = ?2, snoozed_until = NULL \
             WHERE id = ?1 AND (notified_at IS NULL OR snoozed_until IS NOT NULL)",
            params![id, timestamp::encode(at)],
        )
    })
}

/// Snoozes a token's open alerts that a notification has said: they are said again after
/// `until`. Returns how many were snoozed.
pub(crate) fn snooze(conn: &Connection, token_id: &str, until: DateTime<Utc>) -> Result<usize> {
    super::run(conn, || {
        conn.execute(
            "UPDATE alerts SET snoozed_until = ?2 \
             WHERE token_id = ?1 AND acknowledged_at IS NULL AND notified_at IS NOT NULL",
            params![token_id, timestamp::encode(until)],
        )
    })
}

/// How many alerts are open.
pub(crate) fn count_open(conn: &Connection) -> Result<u32> {
    super::run(conn, || conn.query_row("SELECT count(*) FROM alerts WHERE acknowledged_at IS NULL", [], |r| r.get(0)))
}
