//! Where a token lives or is used (a CI secret, a server's environment, a `.env` file, an app).
//! Rotation turns these into the checklist of consumers to update.

use chrono::{DateTime, Utc};

use crate::audit_log::{self, EventKind};
use crate::error::{Error, Result};
use crate::store;
use crate::vault::Vault;

pub use tokenwarden_formats::model::{Usage, USAGE_KINDS};

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
        let usage = Usage {
            id: uuid::Uuid::now_v7().to_string(),
            token_id: token_id.to_owned(),
            kind,
            location: location.to_owned(),
            notes,
            created_at: now,
            last_confirmed_at: None,
        };
        let tx = self.conn.transaction()?;
        store::usages::insert(&tx, &usage)?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::UsageAdded,
            Some(token_id),
            &serde_json::json!({ "kind": usage.kind }),
        )?;
        tx.commit()?;
        Ok(usage)
    }

    pub fn usages(&self, token_id: &str) -> Result<Vec<Usage>> {
        store::usages::of_token(&self.conn, token_id)
    }

    pub fn remove_usage(&mut self, usage_id: &str, now: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.transaction()?;
        let token_id = store::usages::token_of(&tx, usage_id)?
            .ok_or_else(|| Error::invalid("usage", format!("no usage with id {usage_id}")))?;
        store::usages::delete(&tx, usage_id)?;
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
