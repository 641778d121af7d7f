//! Planning an import (the preview) and applying it in one transaction.

use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;
use tokenwarden_providers::ProviderId;

use super::{Format, ImportBatch, ImportRecord, ImportedEvent};
use crate::audit_log::{self, EventKind};
use crate::error::{Error, Result};
use crate::expiry;
use crate::store;
use crate::timestamp;
use crate::tokens::{self, NewToken, TokenKind};
use crate::usages::USAGE_KINDS;
use crate::vault::Vault;

/// The kind of every event restored from a backup; the original kind is in its detail.
pub const RESTORED_HISTORY: &str = "restored_history";

/// What to do with a row whose secret is already in the vault (or earlier in the same file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OnDuplicate {
    /// Leave the existing token alone (the default).
    #[default]
    Skip,
    /// Copy the row's metadata onto the existing token; its secret stays.
    Update,
    /// Add the row as another token anyway.
    Import,
}

impl FromStr for OnDuplicate {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "skip" => Ok(OnDuplicate::Skip),
            "update" => Ok(OnDuplicate::Update),
            "import" => Ok(OnDuplicate::Import),
            _ => Err(Error::invalid("on duplicate", format!("'{s}' is not one of: skip, update, import"))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PlannedAction {
    Create,
    Update,
    Skip,
}

/// One row of the preview. Metadata only.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviewRow {
    /// Where in the file: "line 12", "record 3".
    pub at: String,
    pub name: String,
    pub provider: String,
    /// The provider as the catalog spells it ("Hugging Face").
    pub provider_name: String,
    /// The provider was recognised from the secret rather than named by the file.
    pub provider_detected: bool,
    pub kind: String,
    pub hint: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub action: PlannedAction,
    /// The existing token (id) or earlier row ("line 4") with the same secret.
    pub duplicate_of: Option<String>,
    pub usages: usize,
    pub problems: Vec<String>,
}

/// A checked import, ready to apply. Holds the secrets: no Debug.
pub struct ImportPlan {
    pub format: Format,
    pub file: String,
    pub rows: Vec<PreviewRow>,
    /// For CSV: how columns were mapped.
    pub columns: Vec<super::ColumnMap>,
    records: Vec<ImportRecord>,
    /// `kinds[i]`: the provider and kind of `records[i]`, as the check found them.
    kinds: Vec<(ProviderId, TokenKind)>,
    events: Vec<ImportedEvent>,
    backup_id: Option<String>,
    /// Each record's secret fingerprinted, as the plan found duplicates with them, so applying
    /// does not make them again; `fingerprint_key` is the fingerprint of nothing under the same
    /// key, which tells whether the vault's keys are still those (a re-key in between changes them).
    fingerprints: Vec<[u8; 32]>,
    fingerprint_key: [u8; 32],
}

/// What an applied import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportSummary {
    pub format: String,
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub usages: usize,
    pub events: usize,
    pub errors: usize,
}

impl ImportPlan {
    /// Counts of what applying would do, for a dry run.
    pub fn summary(&self) -> ImportSummary {
        let count = |a: PlannedAction| self.rows.iter().filter(|r| r.action == a).count();
        ImportSummary {
            format: self.format.to_string(),
            created: count(PlannedAction::Create),
            updated: count(PlannedAction::Update),
            skipped: count(PlannedAction::Skip),
            usages: self.rows.iter().filter(|r| r.action == PlannedAction::Create).map(|r| r.usages).sum(),
            events: self.events.len(),
            errors: 0,
        }
    }
}

fn to_new_token(record: &ImportRecord, provider: ProviderId, kind: TokenKind) -> NewToken {
    NewToken {
        name: record.name.clone(),
        provider,
        kind,
        secret: record.secret.clone(),
        account: record.account.clone(),
        environment: record.environment.clone(),
        scopes: record.scopes.clone(),
        tags: record.tags.clone(),
        purpose: record.purpose.clone(),
        notes: record.notes.clone(),
        url: record.url.clone(),
        expires_at: record.expires_at,
        rotation_max_age_days: record.rotation_max_age_days,
    }
}

fn into_new_token(record: ImportRecord, provider: ProviderId, kind: TokenKind) -> NewToken {
    NewToken {
        name: record.name,
        provider,
        kind,
        secret: record.secret,
        account: record.account,
        environment: record.environment,
        scopes: record.scopes,
        tags: record.tags,
        purpose: record.purpose,
        notes: record.notes,
        url: record.url,
        expires_at: record.expires_at,
        rotation_max_age_days: record.rotation_max_age_days,
    }
}

/// An import file's records checked against the vault's rules, which need no vault: every field,
/// date and usage, and each row of the preview but for what it will do. What needs the unlocked
/// vault (duplicates, by keyed fingerprint) is [`Vault::plan_checked`]'s. Holds the secrets: no Debug.
pub struct CheckedImport {
    file: String,
    batch: ImportBatch,
    /// The preview's rows, `rows[i]` of `batch.records[i]`, each to be created until planned.
    rows: Vec<PreviewRow>,
    /// Each record's provider (named by the file, else recognised from the secret) and kind.
    kinds: Vec<(ProviderId, TokenKind)>,
}

/// Checks every record of `batch`, read from `file`, against the vault's rules (see
/// [`CheckedImport`]). A record that breaks them is an error naming the file, the record and the
/// field. Needs no vault, so it can run while one is being unlocked.
pub fn check_import(file: &str, batch: ImportBatch) -> Result<CheckedImport> {
    let mut rows: Vec<PreviewRow> = Vec::with_capacity(batch.records.len());
    let mut kinds = Vec::with_capacity(batch.records.len());
    for record in &batch.records {
        let detected = record.provider.is_none();
        let provider = record.provider.clone().unwrap_or_else(|| {
            tokenwarden_providers::provider_for_prefix(record.secret.expose_secret())
                .unwrap_or_else(ProviderId::generic)
        });
        let kind = record.kind.unwrap_or(TokenKind::Other);
        let invalid = |e: Error| match e {
            Error::InvalidInput { field, problem } => {
                Error::Import { file: file.to_owned(), at: record.at.clone(), field, problem }
            }
            other => other,
        };
        tokens::check_fields(&tokens::NewFields {
            secret: &record.secret,
            name: &record.name,
            account: record.account.as_deref(),
            environment: record.environment.as_deref(),
            purpose: record.purpose.as_deref(),
            notes: record.notes.as_deref(),
            scopes: &record.scopes,
            tags: &record.tags,
            url: record.url.as_deref(),
            expires_at: record.expires_at,
            rotation_max_age_days: record.rotation_max_age_days,
        })
        .map_err(invalid)?;
        check_dates(record).map_err(invalid)?;
        for usage in &record.usages {
            if !USAGE_KINDS.contains(&usage.kind.as_str()) {
                return Err(invalid(Error::invalid(
                    "usage kind",
                    format!("'{}' is not one of: {}", usage.kind, USAGE_KINDS.join(", ")),
                )));
            }
            if usage.location.trim().is_empty() || usage.location.len() > 4096 {
                return Err(invalid(Error::invalid("usage location", "must be 1 to 4096 characters")));
            }
        }
        rows.push(PreviewRow {
            at: record.at.clone(),
            name: record.name.trim().to_owned(),
            provider_name: tokenwarden_providers::display_name(provider.as_str()),
            provider: provider.as_str().to_owned(),
            provider_detected: detected,
            kind: kind.as_str().to_owned(),
            hint: tokens::display_hint(record.secret.expose_secret()),
            expires_at: record.expires_at,
            action: PlannedAction::Create,
            duplicate_of: None,
            usages: record.usages.len(),
            problems: record.problems.clone(),
        });
        kinds.push((provider, kind));
    }
    for (number, event) in batch.events.iter().enumerate() {
        expiry::check_instant("at", event.at).map_err(|e| match e {
            Error::InvalidInput { field, problem } => {
                Error::Import { file: file.to_owned(), at: format!("event {}", number + 1), field, problem }
            }
            other => other,
        })?;
    }
    Ok(CheckedImport { file: file.to_owned(), batch, rows, kinds })
}

impl Vault {
    /// Checks every record and decides what each will do. Writes nothing. A record that breaks
    /// the vault's rules is an error naming the file, the record and the field.
    /// [`check_import`] then [`Vault::plan_checked`].
    pub fn plan_import(&self, file: &str, batch: ImportBatch, on_duplicate: OnDuplicate) -> Result<ImportPlan> {
        self.plan_checked(check_import(file, batch)?, on_duplicate)
    }

    /// Decides what each checked record will do: a secret already in the vault, or earlier in the
    /// file, is a duplicate (found by keyed fingerprint, without decrypting anything). Writes nothing.
    pub fn plan_checked(&self, checked: CheckedImport, on_duplicate: OnDuplicate) -> Result<ImportPlan> {
        let CheckedImport { file, batch, mut rows, kinds } = checked;
        // Each fingerprint's first row in the file, by its place in `rows`.
        let mut seen: HashMap<[u8; 32], usize> = HashMap::with_capacity(batch.records.len());
        // Past a few rows, one read of every fingerprint costs less than a query per row.
        let known = if batch.records.len() > 64 { Some(store::secrets::ids_by_fingerprint(&self.conn)?) } else { None };
        let fingerprinter = self.keys.fingerprinter();
        let mut fingerprints = Vec::with_capacity(batch.records.len());
        for (place, record) in batch.records.iter().enumerate() {
            let fingerprint = fingerprinter.fingerprint(record.secret.expose_secret().as_bytes());
            fingerprints.push(fingerprint);
            let restored_id = record.restored.as_ref().map(|r| r.id.as_str());
            let existing = match restored_id.filter(|id| self.token_exists(id).unwrap_or(false)) {
                Some(id) => Some(id.to_owned()),
                None => match &known {
                    Some(known) => known.get(fingerprint.as_slice()).and_then(|ids| ids.first().cloned()),
                    None => self.find_by_fingerprint(&fingerprint)?.into_iter().next(),
                },
            };
            let earlier = seen.get(&fingerprint).map(|&first| rows[first].at.clone());
            let (action, duplicate_of) = match (existing, earlier) {
                (_, Some(row)) if on_duplicate != OnDuplicate::Import => (PlannedAction::Skip, Some(row)),
                (Some(id), _) => match on_duplicate {
                    OnDuplicate::Skip => (PlannedAction::Skip, Some(id)),
                    OnDuplicate::Update => (PlannedAction::Update, Some(id)),
                    OnDuplicate::Import => (PlannedAction::Create, Some(id)),
                },
                (None, Some(row)) => (PlannedAction::Create, Some(row)),
                (None, None) => (PlannedAction::Create, None),
            };
            seen.entry(fingerprint).or_insert(place);
            rows[place].action = action;
            rows[place].duplicate_of = duplicate_of;
        }
        Ok(ImportPlan {
            format: batch.format,
            file,
            rows,
            columns: batch.columns,
            records: batch.records,
            kinds,
            // History only ever comes with an encrypted backup's id; without one there is none.
            events: if batch.backup_id.is_some() { batch.events } else { Vec::new() },
            backup_id: batch.backup_id,
            fingerprints,
            fingerprint_key: fingerprinter.fingerprint(&[]),
        })
    }

    /// Applies a plan in one transaction: every row or none. `progress(done, total)` is called
    /// as rows are written.
    pub fn apply_import(
        &mut self,
        plan: ImportPlan,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportSummary> {
        let mut summary = plan.summary();
        let total = plan.records.len();
        let tx = self.conn.transaction()?;
        let mut links: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        let mut ids: HashMap<String, String> = HashMap::new();
        // New tokens go in together (a few statements for the lot, see `tokens::insert_tokens`);
        // their usages and restored state once they all exist.
        let mut creates = Vec::with_capacity(summary.created);
        let mut then = Vec::new();
        let mut new_ids = tokens::BatchIds::new();
        let fingerprints_hold =
            plan.fingerprints.len() == plan.records.len() && plan.fingerprint_key == self.keys.fingerprint(&[]);
        let mut fingerprints = plan.fingerprints.into_iter().filter(|_| fingerprints_hold);
        for (done, ((row, record), (provider, kind))) in plan.rows.iter().zip(plan.records).zip(plan.kinds).enumerate()
        {
            let fingerprint = fingerprints.next();
            if done % 256 == 0 {
                progress(done, total);
            }
            match row.action {
                PlannedAction::Skip => {}
                PlannedAction::Update => {
                    let id = row.duplicate_of.as_deref().unwrap_or_default();
                    update_metadata(&tx, &self.keys.audit, id, &record, now)?;
                }
                PlannedAction::Create => {
                    // A restored id is kept unless that token already exists (import-anyway).
                    let id = match &record.restored {
                        Some(r) if row.duplicate_of.as_deref() != Some(r.id.as_str()) => r.id.clone(),
                        _ => new_ids.next_id(),
                    };
                    if let Some(r) = &record.restored {
                        ids.insert(r.id.clone(), id.clone());
                    }
                    let created = record.created_at.unwrap_or(now);
                    let row =
                        |id: String, token: NewToken| tokens::NewRow { id, token, created_at: created, fingerprint };
                    if !record.usages.is_empty() || record.restored.is_some() {
                        creates.push(row(id.clone(), to_new_token(&record, provider, kind)));
                        then.push((id, created, record));
                    } else {
                        // Nothing more needs the record: its fields move, uncopied.
                        creates.push(row(id, into_new_token(record, provider, kind)));
                    }
                }
            }
        }
        tokens::insert_tokens(&tx, &self.keys, creates, now)?;
        for (id, created, record) in then {
            // Usage ids travel with a restored token id, and only with it.
            let keep_ids = record.restored.as_ref().is_some_and(|r| r.id == id);
            for usage in &record.usages {
                let usage = crate::usages::Usage {
                    id: usage.id.clone().filter(|_| keep_ids).unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
                    token_id: id.clone(),
                    kind: usage.kind.clone(),
                    location: usage.location.trim().to_owned(),
                    notes: usage.notes.clone(),
                    created_at: usage.created_at.unwrap_or(now),
                    last_confirmed_at: usage.last_confirmed_at,
                };
                store::usages::insert(&tx, &usage)?;
            }
            if let Some(r) = &record.restored {
                store::tokens::restore_state(&tx, &id, r, created)?;
                if r.replaced_by.is_some() || r.replaces.is_some() {
                    links.push((id.clone(), r.replaced_by.clone(), r.replaces.clone()));
                }
            }
        }
        // Replacement links point at tokens that may come later in the file: set them once all exist.
        for (id, replaced_by, replaces) in links {
            let target = |t: Option<String>| t.map(|t| ids.get(&t).cloned().unwrap_or(t));
            store::tokens::set_links(&tx, &id, target(replaced_by).as_deref(), target(replaces).as_deref())?;
        }
        // A backup's history is recorded as restored history, naming the backup, never as this
        // vault's own events: what a file says happened is not something this vault saw happen.
        for event in &plan.events {
            let token_id = event.token_id.as_ref().map(|t| ids.get(t).cloned().unwrap_or_else(|| t.clone()));
            let detail = serde_json::json!({
                "backup_id": plan.backup_id,
                "kind": event.kind,
                "detail": serde_json::from_str::<serde_json::Value>(&event.detail).unwrap_or(serde_json::Value::Null),
            });
            audit_log::append_raw(
                &tx,
                &self.keys.audit,
                &timestamp::encode(event.at),
                RESTORED_HISTORY,
                token_id.as_deref(),
                &detail.to_string(),
            )?;
        }
        let mut detail = serde_json::json!({
            "format": plan.format.as_str(),
            "created": summary.created,
            "updated": summary.updated,
            "skipped": summary.skipped,
        });
        if let Some(id) = &plan.backup_id {
            detail["backup_id"] = serde_json::Value::from(id.as_str());
        }
        audit_log::append(&tx, &self.keys.audit, now, EventKind::Imported, None, &detail)?;
        // The commit's pages are copied from the WAL into the database file while the reminder
        // index is rewritten, by a second connection (see `checkpoint_beside`), not inside the commit.
        store::database::pause_auto_checkpoint(&tx)?;
        let committed = tx.commit();
        store::database::checkpoint_beside(&self.conn, &self.keys.database, || {
            if committed.is_ok() {
                self.refresh_reminder_index();
            }
        });
        committed?;
        progress(total, total);
        summary.errors = 0;
        Ok(summary)
    }
}

/// Every date a record carries must be one the vault can store and count days around.
fn check_dates(record: &ImportRecord) -> Result<()> {
    let mut dates = vec![("created_at", record.created_at), ("expires_at", record.expires_at)];
    if let Some(r) = &record.restored {
        dates.extend([
            ("updated_at", r.updated_at),
            ("last_rotated_at", r.last_rotated_at),
            ("last_used_at", r.last_used_at),
            ("last_verified_at", r.last_verified_at),
            ("revoked_at", r.revoked_at),
        ]);
    }
    for usage in &record.usages {
        dates.extend([("usage created_at", usage.created_at), ("usage last_confirmed_at", usage.last_confirmed_at)]);
    }
    for (field, at) in dates {
        if let Some(t) = at {
            expiry::check_instant(field, t)?;
        }
    }
    Ok(())
}

impl Vault {
    fn token_exists(&self, id: &str) -> Result<bool> {
        store::tokens::exists(&self.conn, id)
    }
}

/// Copies what a row says about a token onto the existing one (its secret stays as it is).
fn update_metadata(
    tx: &rusqlite::Transaction<'_>,
    audit_key: &[u8; 32],
    id: &str,
    record: &ImportRecord,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut token = store::tokens::get(tx, id)?.ok_or_else(|| Error::TokenNotFound { query: id.to_owned() })?;
    token.name = record.name.trim().to_owned();
    if let Some(p) = &record.provider {
        token.provider = p.clone();
    }
    if let Some(k) = record.kind {
        token.kind = k;
    }
    macro_rules! take {
        ($field:ident) => {
            if record.$field.is_some() {
                token.$field = record.$field.clone();
            }
        };
    }
    take!(account);
    take!(environment);
    take!(url);
    take!(notes);
    take!(purpose);
    take!(expires_at);
    take!(rotation_max_age_days);
    if !record.scopes.is_empty() {
        token.scopes = record.scopes.clone();
    }
    for tag in &record.tags {
        if !token.tags.contains(tag) {
            token.tags.push(tag.clone());
        }
    }
    store::tokens::write(tx, &token, now)?;
    audit_log::append(
        tx,
        audit_key,
        now,
        EventKind::Edited,
        Some(id),
        &serde_json::json!({ "fields": ["imported metadata"] }),
    )
}
