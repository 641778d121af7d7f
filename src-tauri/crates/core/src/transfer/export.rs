//! Export of the vault's rows: gathers every token (with its secret when the format carries one),
//! its usages and, for a backup, the history; the formats crate turns them into the file's bytes.

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use super::{ExportFormat, ExportOptions, ExportedToken};
use crate::audit_log::{self, EventKind};
use crate::error::Result;
use crate::store;
use crate::usages::Usage;
use crate::vault::Vault;

/// An export's bytes (zeroized when dropped: a plain export holds secrets) and what it holds.
pub struct Exported {
    pub bytes: Zeroizing<Vec<u8>>,
    pub tokens: usize,
    pub with_secrets: bool,
}

impl Vault {
    /// Builds an export of every token (archived ones too) and logs an `exported` event.
    pub fn export(&mut self, options: &ExportOptions, now: DateTime<Utc>) -> Result<Exported> {
        let format = options.format;
        tokenwarden_formats::export::check_options(options)?;
        let with_secrets = format == ExportFormat::Backup || options.include_secrets;
        let tokens = self.exported_tokens(with_secrets)?;
        let history = if format == ExportFormat::Backup { self.events_for_export()? } else { Vec::new() };
        let bytes = tokenwarden_formats::export::write(options, &tokens, &history, now)?;
        let tx = self.conn.transaction()?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::Exported,
            None,
            &serde_json::json!({ "format": format.as_str(), "count": tokens.len(), "secrets": with_secrets }),
        )?;
        tx.commit()?;
        Ok(Exported { bytes, tokens: tokens.len(), with_secrets })
    }

    fn exported_tokens(&self, with_secrets: bool) -> Result<Vec<ExportedToken>> {
        let tokens = store::tokens::all_by_creation(&self.conn)?;
        let mut usages = self.all_usages()?;
        let mut out = Vec::with_capacity(tokens.len());
        for token in tokens {
            let secret = if with_secrets { Some(self.open_secret(&token.id)?) } else { None };
            let usages = usages.remove(&token.id).unwrap_or_default();
            out.push(ExportedToken { token, secret, usages });
        }
        Ok(out)
    }

    fn all_usages(&self) -> Result<std::collections::HashMap<String, Vec<Usage>>> {
        let mut out: std::collections::HashMap<String, Vec<Usage>> = std::collections::HashMap::new();
        for usage in store::usages::all_by_creation(&self.conn)? {
            out.entry(usage.token_id.clone()).or_default().push(usage);
        }
        Ok(out)
    }

    fn events_for_export(&self) -> Result<Vec<crate::audit_log::Event>> {
        let mut events = self.events(None, usize::MAX >> 1)?;
        events.reverse();
        Ok(events)
    }
}
