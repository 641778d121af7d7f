//! Where a token lives or is used (a CI secret, a server's environment, a `.env` file, an app).
//! Rotation turns these into the checklist of consumers to update.

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::audit_log::{self, EventKind};
use crate::error::{Error, Result};
use crate::timestamp;
use crate::vault::Vault;

pub use tokenwarden_formats::model::{Usage, USAGE_KINDS};

pub(crate) const USAGE_COLUMNS: &str = "id, token_id, kind, location, notes, created_at, last_confirmed_at";

/// A `usages` row selected with [`USAGE_COLUMNS`].
pub(crate) fn usage_from_row(r: &rusqlite::Row<'_>) -> Result<Usage> {
    let created: String = r.get(5)?;
    let confirmed: Option<String> = r.get(6)?;
    Ok(Usage {
        id: r.get(0)?,
        token_id: r.get(1)?,
        kind: r.get(2)?,
        location: r.get(3)?,
        notes: r.get(4)?,
        created_at: timestamp::decode(&created)?,
        last_confirmed_at: confirmed.map(|c| timestamp::decode(&c)).transpose()?,
    })
}

impl Vault {
    pub fn add_usage(
        &mut self,
        token_id: &str,
        kind: &str,
        location: &str,
        notes: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Usage> {
        self.token(token_id)?;
        let kind = kind.trim().to_ascii_lowercase().replace('-', "_");
        if !USAGE_KINDS.contains(&kind.as_str()) {
            return Err(Error::invalid("usage kind", format!("'{kind}' is not one of: {}", USAGE_KINDS.join(", "))));
        }
        let location = location.trim();
        if location.is_empty() || location.len() > 4096 {
            return Err(Error::invalid("usage location", "say where the token is used (1 to 4096 characters)"));
        }
        let id = uuid::Uuid::now_v7().to_string();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO usages (id, token_id, kind, location, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, token_id, kind, location, notes, timestamp::encode(now)],
        )?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::UsageAdded,
            Some(token_id),
            &serde_json::json!({ "kind": kind }),
        )?;
        tx.commit()?;
        Ok(Usage {
            id,
            token_id: token_id.to_owned(),
            kind,
            location: location.to_owned(),
            notes,
            created_at: now,
            last_confirmed_at: None,
        })
    }

    pub fn usages(&self, token_id: &str) -> Result<Vec<Usage>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {USAGE_COLUMNS} FROM usages WHERE token_id = ?1 ORDER BY created_at, id"
        ))?;
        let mut rows = stmt.query([token_id])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(usage_from_row(row)?);
        }
        Ok(out)
    }

    pub fn remove_usage(&mut self, usage_id: &str, now: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.transaction()?;
        let token_id: Option<String> = tx
            .query_row("SELECT token_id FROM usages WHERE id = ?1", [usage_id], |r| r.get(0))
            .map_err(|_| Error::invalid("usage", format!("no usage with id {usage_id}")))?;
        tx.execute("DELETE FROM usages WHERE id = ?1", [usage_id])?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::UsageRemoved,
            token_id.as_deref(),
            &serde_json::json!({}),
        )?;
        tx.commit()?;
        Ok(())
    }
}
