//! Import and export: the files people arrive with (other password managers' exports, spreadsheets,
//! `.env` files, secret-scanner reports) and the files they leave with (encrypted backups, audit
//! sheets, a KeePassXC-compatible XML).
//!
//! An import runs in three steps, so nothing is written before the user has seen what will happen:
//! 1. [`read`] turns a file's bytes into an [`ImportBatch`]: one [`ImportRecord`] per token found,
//!    each remembering where in the file it came from. A malformed or hostile file is an
//!    [`Error::Import`] naming the file, the line or record, the field and what was expected.
//! 2. [`Vault::plan_import`] checks every record against the vault's rules and its existing
//!    secrets (by keyed fingerprint, without decrypting anything) and returns an [`ImportPlan`]
//!    whose rows are the preview.
//! 3. [`Vault::apply_import`] writes the plan in one transaction: all of it or none of it.
//!
//! Limits (documented in README): a file of at most [`MAX_FILE_BYTES`], at most [`MAX_RECORDS`]
//! records, fields of at most [`MAX_FIELD_BYTES`] (secrets: [`crate::tokens::MAX_SECRET_BYTES`]),
//! JSON nested at most [`MAX_JSON_DEPTH`] deep, and a 1PUX archive that unpacks to at most
//! [`MAX_UNPACKED_BYTES`].

mod apply;
mod bitwarden;
mod csv_table;
mod detect;
mod dotenv;
pub mod export;
mod keepassxc;
mod native;
mod onepassword;
mod scanners;
mod text;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use tokenwarden_providers::ProviderId;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::tokens::{TokenKind, TokenStatus};

pub use apply::{ImportPlan, ImportSummary, OnDuplicate, PlannedAction, PreviewRow, RESTORED_HISTORY};
pub use csv_table::{ColumnMap, Field};
pub use detect::detect_format;
pub use export::{ExportFormat, ExportOptions};

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
    /// One of [`crate::usages::USAGE_KINDS`].
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

/// Reads a file to import: a regular file only (a FIFO, a device or a directory is refused at
/// once, without blocking), of at most [`MAX_FILE_BYTES`] — checked before reading and again
/// while reading, so a file that grows in between is refused too. The buffer is wiped when dropped.
pub fn read_file(path: &std::path::Path) -> Result<Zeroizing<Vec<u8>>> {
    let (file, len) = open_regular(path, MAX_FILE_BYTES)?;
    read_capped(file, path, len, MAX_FILE_BYTES)
}

fn too_big(path: &std::path::Path, size: u64, cap: usize) -> Error {
    Error::invalid(
        "file",
        format!("{} is {} MiB or more; the import limit is {} MiB", path.display(), size >> 20, cap >> 20),
    )
}

/// Opens `path` for reading if it is a regular file of at most `cap` bytes; returns its size.
/// The open does not block (O_NONBLOCK), and the type is checked on the opened file, so a path
/// swapped for a FIFO after a first look cannot hang the import.
fn open_regular(path: &std::path::Path, cap: usize) -> Result<(std::fs::File, u64)> {
    let io = |source| Error::Io { path: path.to_owned(), source };
    let not_regular =
        || Error::invalid("file", format!("{} is not a regular file (a folder, a device or a pipe)", path.display()));
    // A first look, so that a FIFO is refused without even opening it.
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > cap as u64 {
        return Err(too_big(path, meta.len(), cap));
    }
    Ok((file, meta.len()))
}

/// Reads at most `cap` bytes from an opened file; one more means the file grew past the cap.
fn read_capped(file: std::fs::File, path: &std::path::Path, len: u64, cap: usize) -> Result<Zeroizing<Vec<u8>>> {
    use std::io::Read;
    // Sized up front (one byte spare to see growth) so the buffer is not reallocated, which
    // would leave unwiped copies of the file's secrets behind.
    let mut bytes = Zeroizing::new(Vec::with_capacity((len as usize).min(cap) + 1));
    file.take(cap as u64 + 1).read_to_end(&mut bytes).map_err(|source| Error::Io { path: path.to_owned(), source })?;
    if bytes.len() > cap {
        return Err(too_big(path, bytes.len() as u64, cap));
    }
    Ok(bytes)
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
            let (records, mapped) = csv_table::read_generic(input, options)?;
            columns = mapped;
            (records, Vec::new())
        }
        Format::Env => (dotenv::read(input)?, Vec::new()),
        Format::KeepassxcXml => (keepassxc::read_xml(input)?, Vec::new()),
        Format::KeepassxcCsv => (csv_table::read_keepassxc(input)?, Vec::new()),
        Format::BitwardenJson => (bitwarden::read(input)?, Vec::new()),
        Format::OnePux => (onepassword::read_1pux(input)?, Vec::new()),
        Format::OnePasswordCsv => (csv_table::read_1password(input)?, Vec::new()),
        Format::Gitleaks => (scanners::read_gitleaks(input)?, Vec::new()),
        Format::Trufflehog => (scanners::read_trufflehog(input)?, Vec::new()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Duration;

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let (tx, rx) = std::sync::mpsc::channel();
        let path = fifo.clone();
        // Nobody ever writes to the pipe: a blocking open would wait forever.
        std::thread::spawn(move || tx.send(read_file(&path).map(|b| b.len()).map_err(|e| e.to_string())));
        let result = rx.recv_timeout(Duration::from_secs(5)).expect("reading a FIFO blocked");
        let err = result.unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for path in [std::path::Path::new("/dev/zero"), dir.path()] {
            let err = read_file(path).unwrap_err().to_string();
            assert!(err.contains("not a regular file"), "{}: {err}", path.display());
        }
    }

    #[test]
    fn a_file_that_grows_past_the_cap_after_the_size_check_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        let (file, len) = open_regular(&path, 150).unwrap();
        assert_eq!(len, 100, "small enough when looked at");
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(&[b'b'; 100]).unwrap();
        let err = read_capped(file, &path, len, 150).unwrap_err().to_string();
        assert!(err.contains("import limit"), "{err}");
        // Within the cap, the whole file comes back.
        let (file, len) = open_regular(&path, 200).unwrap();
        assert_eq!(read_capped(file, &path, len, 200).unwrap().len(), 200);
    }
}
