//! Import and export: the dialogs' requests, the preview, progress and results.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the import dialog asks to read. The passphrase (for a backup) becomes a `SecretString`
/// as soon as it is read, and the type has no Debug.
#[derive(Deserialize, TS)]
pub struct ImportRequest {
    /// The handle `import_pick` gave for the file the user chose; never a path.
    pub handle: String,
    /// `null` detects the format from the file's contents.
    pub format: Option<tokenwarden_core::transfer::Format>,
    #[ts(type = "string | null")]
    pub passphrase: Option<SecretString>,
    pub on_duplicate: tokenwarden_core::transfer::OnDuplicate,
    /// CSV columns mapped by hand; the rest are mapped by their headers.
    pub columns: Vec<tokenwarden_core::transfer::ColumnMap>,
}

/// The preview of an import: what each row will do. Metadata only.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportPreview {
    pub file: String,
    pub format: tokenwarden_core::transfer::Format,
    pub rows: Vec<tokenwarden_core::transfer::PreviewRow>,
    pub columns: Vec<tokenwarden_core::transfer::ColumnMap>,
    pub summary: tokenwarden_core::transfer::ImportSummary,
}

/// Sent as the `import-progress` event while an import is written.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
}

/// What the export dialog asks to write. Holds the backup passphrase: no Debug.
#[derive(Deserialize, TS)]
pub struct ExportRequest {
    /// The handle `export_pick` gave for where the user chose to save; never a path.
    pub handle: String,
    pub format: tokenwarden_core::transfer::ExportFormat,
    pub include_secrets: bool,
    #[ts(type = "string | null")]
    pub passphrase: Option<SecretString>,
    /// The vault password again, required for an export with secrets in the clear.
    #[ts(type = "string | null")]
    pub password: Option<SecretString>,
    pub armor: bool,
    pub overwrite: bool,
}

/// A file the user chose in the native dialog: an opaque handle for later commands and the
/// file's name for display. The path stays in Rust.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PickedFile {
    pub handle: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportResult {
    /// The file's name (not its path).
    pub name: String,
    pub tokens: usize,
    pub with_secrets: bool,
}
