//! Our own formats. The JSON document (plain, or the inside of an encrypted backup):
//!
//! ```json
//! { "format": "tokenwarden", "version": 1, "exported_at": "2026-11-28T10:00:00Z", "secrets": true,
//!   "tokens": [ { "id": "…", "name": "…", …every token field…, "secret": "…", "usages": [ … ] } ],
//!   "events": [ { "seq": 1, "at": "…", "kind": "created", "token_id": "…", "detail": {} } ] }
//! ```
//!
//! `secret` is absent from metadata-only exports; `events` and `backup_id` are written only inside
//! a backup, and history is read back only from one: a plain JSON file's `events` are ignored, so
//! a hand-made file cannot put history into a vault.
//! The metadata CSV has one row per token; text cells that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@`, tab, CR first) are prefixed with `'`, and the CSV importer strips it again.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tokenwarden_providers::ProviderId;
use zeroize::Zeroizing;

use crate::dates;
use crate::error::{Error, Result};
use crate::export::ExportedToken;
use crate::model::Event;
use crate::model::Usage;
use crate::model::{Token, TokenKind, TokenStatus};
use crate::reading;
use crate::timestamp;
use crate::{ImportRecord, ImportedEvent, ImportedUsage, Input, ReadOptions, Restored};

const FORMAT_NAME: &str = "tokenwarden";
const VERSION: u32 = 1;

#[derive(Serialize)]
struct DocumentOut<'a> {
    format: &'static str,
    version: u32,
    exported_at: DateTime<Utc>,
    secrets: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    backup_id: Option<&'a str>,
    tokens: Vec<TokenOut<'a>>,
    events: &'a [Event],
}

#[derive(Serialize)]
struct TokenOut<'a> {
    #[serde(flatten)]
    token: &'a Token,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
    usages: &'a [Usage],
}

/// The JSON document; secrets are included when the tokens carry them. `backup` (the backup's id
/// and the history) is given only for the inside of an encrypted backup.
pub(crate) fn write_json(
    tokens: &[ExportedToken],
    backup: Option<(&str, &[Event])>,
    now: DateTime<Utc>,
) -> Result<Zeroizing<Vec<u8>>> {
    let document = DocumentOut {
        format: FORMAT_NAME,
        version: VERSION,
        exported_at: now,
        secrets: tokens.iter().any(|t| t.secret.is_some()),
        backup_id: backup.map(|(id, _)| id),
        tokens: tokens
            .iter()
            .map(|t| TokenOut {
                token: &t.token,
                secret: t.secret.as_ref().map(|s| s.expose_secret()),
                usages: &t.usages,
            })
            .collect(),
        events: backup.map_or(&[], |(_, events)| events),
    };
    // Sized up front so the buffer holding secrets is not reallocated (leaving copies) as it grows.
    let mut out = Zeroizing::new(Vec::with_capacity(1024 + tokens.len() * 1024));
    serde_json::to_writer_pretty(&mut *out, &document).map_err(|e| Error::Internal(format!("JSON export: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

const CSV_HEADER: &[&str] = &[
    "name",
    "provider",
    "kind",
    "hint",
    "account",
    "environment",
    "scopes",
    "tags",
    "purpose",
    "notes",
    "url",
    "status",
    "created_at",
    "expires_at",
    "last_rotated_at",
    "last_used_at",
    "last_verified_at",
    "usages",
    "id",
];

/// One row per token. The `secret` column is there only when the tokens carry secrets.
pub(crate) fn write_csv(tokens: &[ExportedToken]) -> Result<Zeroizing<Vec<u8>>> {
    let with_secrets = tokens.iter().any(|t| t.secret.is_some());
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(256 + tokens.len() * 512));
    let failed = |e: csv::Error| Error::Internal(format!("CSV export: {e}"));
    let mut header: Vec<&str> = CSV_HEADER.to_vec();
    if with_secrets {
        header.insert(1, "secret");
    }
    writer.write_record(&header).map_err(failed)?;
    let time = |t: Option<DateTime<Utc>>| t.map(timestamp::encode).unwrap_or_default();
    for exported in tokens {
        let t = &exported.token;
        let usages: Vec<String> = exported.usages.iter().map(|u| format!("{}: {}", u.kind, u.location)).collect();
        let mut row: Vec<String> = vec![
            t.name.clone(),
            t.provider.to_string(),
            t.kind.to_string(),
            t.hint.clone(),
            t.account.clone().unwrap_or_default(),
            t.environment.clone().unwrap_or_default(),
            t.scopes.join(" "),
            t.tags.join(", "),
            t.purpose.clone().unwrap_or_default(),
            t.notes.clone().unwrap_or_default(),
            t.url.clone().unwrap_or_default(),
            t.status.to_string(),
            timestamp::encode(t.created_at),
            time(t.expires_at),
            time(t.last_rotated_at),
            time(t.last_used_at),
            time(t.last_verified_at),
            usages.join("\n"),
            t.id.clone(),
        ]
        .into_iter()
        .map(|cell| neutralize_formula(&cell))
        .collect();
        if let Some(secret) = &exported.secret {
            // The secret is neutralized too (a token can start with `-`); our importer takes the
            // quote off again, so the value round-trips unchanged.
            row.insert(1, neutralize_formula(secret.expose_secret()));
        }
        writer.write_record(&row).map_err(failed)?;
        row.iter_mut().for_each(zeroize::Zeroize::zeroize);
    }
    writer.flush().map_err(|e| Error::Internal(format!("CSV export: {e}")))?;
    let bytes = writer.into_inner().map_err(|e| Error::Internal(format!("CSV export: {}", e.error())))?;
    Ok(Zeroizing::new(bytes))
}

/// Prefixes a cell that a spreadsheet would evaluate as a formula (CSV injection) with `'`.
/// A cell that already starts with quotes before a formula character gets one more, so that
/// taking one off on import ([`unneutralize_formula`]) gives back exactly what was exported.
pub(crate) fn neutralize_formula(cell: &str) -> String {
    if reads_as_formula(cell) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// Undoes [`neutralize_formula`]: one leading `'` comes off a cell that, without its leading
/// quotes, starts with a formula character. Any other cell is returned as it is.
pub(crate) fn unneutralize_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if reads_as_formula(rest) => rest,
        _ => cell,
    }
}

/// Whether a cell, past any leading `'`, starts with `=`, `+`, `-`, `@`, a tab or a carriage return.
fn reads_as_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[derive(Deserialize)]
struct DocumentIn {
    format: String,
    version: u32,
    backup_id: Option<String>,
    #[serde(default)]
    tokens: Vec<TokenIn>,
    #[serde(default)]
    events: Vec<EventIn>,
}

#[derive(Deserialize)]
struct TokenIn {
    id: Option<String>,
    name: String,
    provider: Option<String>,
    kind: Option<String>,
    hint: Option<String>,
    account: Option<String>,
    environment: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    purpose: Option<String>,
    notes: Option<String>,
    url: Option<String>,
    created_at: Option<DateTime<Utc>>,
    updated_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    rotation_max_age_days: Option<u32>,
    last_rotated_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    last_used_source: Option<String>,
    last_verified_at: Option<DateTime<Utc>>,
    last_verified_result: Option<String>,
    status: Option<String>,
    replaced_by: Option<String>,
    replaces: Option<String>,
    revoked_at: Option<DateTime<Utc>>,
    revoke_method: Option<String>,
    secret: Option<SecretString>,
    #[serde(default)]
    usages: Vec<UsageIn>,
}

#[derive(Deserialize)]
struct UsageIn {
    id: Option<String>,
    kind: String,
    location: String,
    notes: Option<String>,
    created_at: Option<DateTime<Utc>>,
    last_confirmed_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct EventIn {
    at: DateTime<Utc>,
    kind: String,
    token_id: Option<String>,
    #[serde(default)]
    detail: serde_json::Value,
}

/// What a backup holds: its tokens, its history, and the backup's id (recorded with the history).
pub(crate) struct Backup {
    pub records: Vec<ImportRecord>,
    pub events: Vec<ImportedEvent>,
    pub id: String,
}

/// Our encrypted backup: decrypt with the passphrase, then read the JSON inside. The history
/// comes back with the backup's id: the one written inside it, or (for a backup without one)
/// `sha256:` and the start of the encrypted file's digest.
pub(crate) fn read_backup(input: &Input<'_>, options: &ReadOptions) -> Result<Backup> {
    let passphrase = options.passphrase.as_ref().filter(|p| !p.expose_secret().is_empty()).ok_or_else(|| {
        Error::BackupPassphrase {
            file: input.name.to_owned(),
            problem: "is an encrypted Tokenwarden backup: give its passphrase".to_owned(),
        }
    })?;
    let plain = crate::export::decrypt(input, passphrase)?;
    let (records, events, id) = read_document(&Input { name: input.name, bytes: &plain })?;
    let id = id.filter(|id| uuid::Uuid::parse_str(id).is_ok()).unwrap_or_else(|| {
        use sha2::Digest;
        format!("sha256:{}", hex::encode(&sha2::Sha256::digest(input.bytes)[..16]))
    });
    Ok(Backup { records, events, id })
}

/// Our plain JSON export. Tokens keep their ids and dates so a restore is identical; any
/// `events` in the file are ignored (history comes only from an encrypted backup).
pub(crate) fn read_json(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    read_document(input).map(|(records, _, _)| records)
}

type Document = (Vec<ImportRecord>, Vec<ImportedEvent>, Option<String>);

fn read_document(input: &Input<'_>) -> Result<Document> {
    let text = reading::utf8(input)?;
    reading::check_json_depth(input, text)?;
    let document: DocumentIn = serde_json::from_str(text).map_err(|e| {
        input.error(format!("line {}, column {}", e.line(), e.column()), "JSON", reading::json_problem(&e))
    })?;
    if document.format != FORMAT_NAME {
        return Err(input.error(
            "the whole file",
            "format",
            format!("says '{}', not a Tokenwarden export", document.format),
        ));
    }
    if document.version > VERSION {
        return Err(input.error(
            "the whole file",
            "version",
            format!("is {}; this Tokenwarden reads up to {VERSION}: update Tokenwarden", document.version),
        ));
    }
    let mut records = Vec::with_capacity(document.tokens.len());
    for (index, token) in document.tokens.into_iter().enumerate() {
        records.push(record(input, index + 1, token)?);
    }
    let events = document
        .events
        .into_iter()
        .map(|e| ImportedEvent { at: e.at, kind: e.kind, token_id: e.token_id, detail: e.detail.to_string() })
        .collect();
    Ok((records, events, document.backup_id))
}

fn record(input: &Input<'_>, number: usize, t: TokenIn) -> Result<ImportRecord> {
    let at = format!("token {number} ('{}')", t.name.chars().take(60).collect::<String>());
    let secret = t.secret.ok_or_else(|| {
        input.error(
            &at,
            "secret",
            "is missing: this is a metadata-only export, which cannot restore tokens; import an encrypted backup",
        )
    })?;
    let mut record = ImportRecord::new(at.clone(), t.name, secret);
    let invalid = |field: &str, e: &dyn std::fmt::Display| input.error(&at, field, e.to_string());
    record.provider = t.provider.map(|p| ProviderId::parse(&p).map_err(|e| invalid("provider", &e))).transpose()?;
    record.kind = t.kind.map(|k| k.parse::<TokenKind>().map_err(|e| invalid("kind", &e))).transpose()?;
    record.account = t.account;
    record.environment = t.environment;
    record.scopes = t.scopes;
    record.tags = t.tags;
    record.purpose = t.purpose;
    record.notes = t.notes;
    record.url = t.url;
    record.created_at = t.created_at;
    record.expires_at = t.expires_at;
    record.rotation_max_age_days = match t.rotation_max_age_days {
        Some(days) if dates::check_days("rotation_max_age_days", days).is_err() => {
            return Err(invalid(
                "rotation_max_age_days",
                &format!("{days} is not between 1 and {} days", dates::MAX_DAYS),
            ));
        }
        days => days,
    };
    record.usages = t
        .usages
        .into_iter()
        .map(|u| ImportedUsage {
            id: u.id,
            kind: u.kind,
            location: u.location,
            notes: u.notes,
            created_at: u.created_at,
            last_confirmed_at: u.last_confirmed_at,
        })
        .collect();
    if let Some(id) = t.id {
        let status = t.status.map(|s| s.parse::<TokenStatus>().map_err(|e| invalid("status", &e))).transpose()?;
        if uuid::Uuid::parse_str(&id).is_err() {
            return Err(invalid("id", &format!("'{}' is not a token id", id.chars().take(40).collect::<String>())));
        }
        record.restored = Some(Box::new(Restored {
            id,
            hint: t.hint.unwrap_or_default(),
            updated_at: t.updated_at,
            last_rotated_at: t.last_rotated_at,
            last_used_at: t.last_used_at,
            last_used_source: t.last_used_source,
            last_verified_at: t.last_verified_at,
            last_verified_result: t.last_verified_result,
            status,
            replaced_by: t.replaced_by,
            replaces: t.replaces,
            revoked_at: t.revoked_at,
            revoke_method: t.revoke_method,
        }));
    }
    Ok(record)
}
