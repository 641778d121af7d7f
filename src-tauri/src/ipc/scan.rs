//! The disk scan: what to scan, progress, the findings (hints and places, never a secret) and
//! which of them to apply.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What to scan: the usual config files of the home, and/or folders chosen in the native dialog
/// (by the handles `scan_pick` gave; never a path).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ScanRequest {
    pub home: bool,
    pub folders: Vec<String>,
}

/// Sent as the `scan-progress` event while a scan runs (and once as it starts).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScanProgress {
    pub files: u64,
    pub bytes: u64,
    pub elapsed_ms: u64,
}

/// What a scan looked at and set aside.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScanCounts {
    pub files: u64,
    pub bytes: u64,
    pub skipped_binary: u64,
    pub skipped_large: u64,
    pub unreadable: u64,
    pub placeholders: u64,
    pub elapsed_ms: u64,
}

/// A scan's answer. When `cancelled`, nothing was kept and `findings` is empty.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ScanResults {
    pub findings: Vec<tokenwarden_core::scan::Finding>,
    pub counts: ScanCounts,
    pub cancelled: bool,
}

/// Which findings to act on, by id: known ones to link, unknown ones to import.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ScanApplyRequest {
    pub link: Vec<u32>,
    pub import: Vec<u32>,
}
