//! tokenwarden-formats: the files people arrive with (other password managers' exports,
//! spreadsheets, `.env` files, secret-scanner reports) and the files they leave with (encrypted
//! backups, audit sheets, a KeePassXC-compatible XML), as bytes in and records out, or records in
//! and bytes out. No vault, no database, no Tauri: these parsers meet hostile files, so they live
//! apart from the crate that holds the keys.
//!
//! [`read`] turns a file's bytes into an [`ImportBatch`]: one [`ImportRecord`] per token found,
//! each remembering where in the file it came from. A malformed or hostile file is an
//! [`Error::Import`] naming the file, the line or record, the field and what was expected.
//! [`export::write`] turns exported tokens into a file's bytes.
//!
//! Limits (documented in README): a file of at most [`MAX_FILE_BYTES`], at most [`MAX_RECORDS`]
//! records, fields of at most [`MAX_FIELD_BYTES`] (secrets: [`model::MAX_SECRET_BYTES`]),
//! JSON nested at most [`MAX_JSON_DEPTH`] deep, and a 1PUX archive that unpacks to at most
//! [`MAX_UNPACKED_BYTES`].

mod bitwarden;
mod dotenv;
pub mod export;
mod keepassxc;
mod native;
mod onepassword;
mod reading;
mod scanners;
mod sniff;
mod spreadsheet;

pub mod dates;
pub mod error;
pub mod model;
pub mod timestamp;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use tokenwarden_providers::ProviderId;

pub use error::{Error, Result};
use model::{TokenKind, TokenStatus};

pub use export::{ExportFormat, ExportOptions, ExportedToken};
pub use sniff::detect_format;
pub use spreadsheet::{ColumnMap, Field};

/// Largest file read for import.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Most tokens one import may create.
pub const MAX_RECORDS: usize = 200_000;
/// Longest value of any field other than the secret.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Deepest JSON nesting accepted.
pub const MAX_JSON_DEPTH: usize = 64;
/// Most bytes a 1PUX archive may unpack to, and the most it may grow by (zip bombs).
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
pub const MAX_UNPACK_RATIO: u64 = 200;

/// The file formats import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ImportFormat"))]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Our own age-encrypted backup.
    Backup,
    /// Our own plain JSON export.
    Json,
    Csv,
    Env,
    KeepassxcXml,
    KeepassxcCsv,
    BitwardenJson,
    #[serde(rename = "1pux")]
    OnePux,
    #[serde(rename = "1password-csv")]
    OnePasswordCsv,
    Gitleaks,
    Trufflehog,
    /// Not a file: tokens `tokenwarden-cli scan` found lying on disk (not offered for import).
    Scan,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Backup,
        Format::Json,
        Format::Csv,
        Format::Env,
        Format::KeepassxcXml,
        Format::KeepassxcCsv,
        Format::BitwardenJson,
        Format::OnePux,
        Format::OnePasswordCsv,
        Format::Gitleaks,
        Format::Trufflehog,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Backup => "backup",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Env => "env",
            Format::KeepassxcXml => "keepassxc-xml",
            Format::KeepassxcCsv => "keepassxc-csv",
            Format::BitwardenJson => "bitwarden-json",
            Format::OnePux => "1pux",
            Format::OnePasswordCsv => "1password-csv",
            Format::Gitleaks => "gitleaks",
            Format::Trufflehog => "trufflehog",
            Format::Scan => "scan",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let folded = s.trim().to_ascii_lowercase().replace('_', "-");
        Format::ALL.iter().copied().find(|f| f.as_str() == folded).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
            Error::invalid("format", format!("'{s}' is not one of: auto, {}", names.join(", ")))
        })
    }
}

/// A file to import: its name (for messages) and contents.
pub struct Input<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

impl Input<'_> {
    /// An import error at a place in this file.
    pub fn error(&self, at: impl Into<String>, field: &str, problem: impl Into<String>) -> Error {
        Error::Import { file: self.name.to_owned(), at: at.into(), field: field.to_owned(), problem: problem.into() }
    }
}

/// Choices the user makes before reading: a backup's passphrase, CSV columns mapped by hand.
#[derive(Default)]
pub struct ReadOptions {
    pub passphrase: Option<SecretString>,
    /// Header name (as written in the file) → the field it holds; overrides the automatic mapping.
    pub columns: BTreeMap<String, Field>,
}

/// Where a token is used, as found in the file (a `.env` file, a scanner finding's file and line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedUsage {
    /// Kept from a backup so a restore is identical; `None` gets a new id.
    pub id: Option<String>,
    /// One of [`model::USAGE_KINDS`].
    pub kind: String,
    pub location: String,
    pub notes: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub last_confirmed_at: Option<DateTime<Utc>>,
}

impl ImportedUsage {
    pub fn new(kind: &str, location: impl Into<String>) -> Self {
        ImportedUsage {
            id: None,
            kind: kind.to_owned(),
            location: location.into(),
            notes: None,
            created_at: None,
            last_confirmed_at: None,
        }
    }
}

/// What only our own formats carry: the fields a restore keeps so the inventory comes back identical.
#[derive(Debug, Clone, Default)]
pub struct Restored {
    pub id: String,
    pub hint: String,
    pub updated_at: Option<DateTime<Utc>>,
    pub last_rotated_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_source: Option<String>,
    pub last_verified_at: Option<DateTime<Utc>>,
    pub last_verified_result: Option<String>,
    pub status: Option<TokenStatus>,
    pub replaced_by: Option<String>,
    pub replaces: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_method: Option<String>,
}

/// One token found in a file. Holds the secret: no Debug, no Serialize.
pub struct ImportRecord {
    /// Where it came from: "line 12", "record 3", "entry 'deploy-bot'".
    pub at: String,
    pub name: String,
    pub secret: SecretString,
    /// Named by the file; when `None` the provider is detected from the secret.
    pub provider: Option<ProviderId>,
    pub kind: Option<TokenKind>,
    pub account: Option<String>,
    pub environment: Option<String>,
    pub url: Option<String>,
    pub notes: Option<String>,
    pub purpose: Option<String>,
    pub scopes: Vec<String>,
    pub tags: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: Option<DateTime<Utc>>,
    pub rotation_max_age_days: Option<u32>,
    pub usages: Vec<ImportedUsage>,
    /// Things the reader noticed and worked around ("url 'x' is not an address; left out").
    pub problems: Vec<String>,
    pub restored: Option<Box<Restored>>,
}

impl ImportRecord {
    pub fn new(at: impl Into<String>, name: impl Into<String>, secret: SecretString) -> Self {
        ImportRecord {
            at: at.into(),
            name: name.into(),
            secret,
            provider: None,
            kind: None,
            account: None,
            environment: None,
            url: None,
            notes: None,
            purpose: None,
            scopes: Vec::new(),
            tags: Vec::new(),
            expires_at: None,
            created_at: None,
            rotation_max_age_days: None,
            usages: Vec::new(),
            problems: Vec::new(),
            restored: None,
        }
    }
}

/// A restored backup's history, appended to the new vault's log in order, each event marked as
/// restored history with the backup's id (never as an event of this vault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEvent {
    pub at: DateTime<Utc>,
    pub kind: String,
    pub token_id: Option<String>,
    pub detail: String,
}

/// Everything read from one file.
pub struct ImportBatch {
    pub format: Format,
    pub records: Vec<ImportRecord>,
    /// History: only an encrypted backup carries it, and then `backup_id` is set.
    pub events: Vec<ImportedEvent>,
    pub backup_id: Option<String>,
    /// For CSV: each column's header and the field it was mapped to (shown so the user can remap).
    pub columns: Vec<ColumnMap>,
}

/// Reads a file in the given format, or in the detected one when `format` is `None`.
pub fn read(input: &Input<'_>, format: Option<Format>, options: &ReadOptions) -> Result<ImportBatch> {
    if input.bytes.len() > MAX_FILE_BYTES {
        return Err(input.error(
            "the whole file",
            "size",
            format!("is {} MiB; the limit is {} MiB", input.bytes.len() >> 20, MAX_FILE_BYTES >> 20),
        ));
    }
    let format = match format {
        Some(f) => f,
        None => detect_format(input)?,
    };
    let mut columns = Vec::new();
    let mut backup_id = None;
    let (records, events) = match format {
        Format::Backup => {
            let backup = native::read_backup(input, options)?;
            backup_id = Some(backup.id);
            (backup.records, backup.events)
        }
        Format::Json => (native::read_json(input)?, Vec::new()),
        Format::Csv => {
            let (records, mapped) = spreadsheet::read_generic(input, options)?;
            columns = mapped;
            (records, Vec::new())
        }
        Format::Env => (dotenv::read(input)?, Vec::new()),
        Format::KeepassxcXml => (keepassxc::read_xml(input)?, Vec::new()),
        Format::KeepassxcCsv => (keepassxc::read_csv(input)?, Vec::new()),
        Format::BitwardenJson => (bitwarden::read(input)?, Vec::new()),
        Format::OnePux => (onepassword::read_1pux(input)?, Vec::new()),
        Format::OnePasswordCsv => (onepassword::read_csv(input)?, Vec::new()),
        Format::Gitleaks => (scanners::read_gitleaks(input)?, Vec::new()),
        Format::Trufflehog => (scanners::read_trufflehog(input)?, Vec::new()),
        Format::Scan => {
            return Err(input.error("the whole file", "format", "a scan's findings are not a file to import"));
        }
    };
    if records.len() > MAX_RECORDS {
        return Err(input.error(
            "the whole file",
            "records",
            format!("holds {} tokens; one import takes at most {MAX_RECORDS}", records.len()),
        ));
    }
    Ok(ImportBatch { format, records, events, backup_id, columns })
}
