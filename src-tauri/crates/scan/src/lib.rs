//! tokenwarden-scan: finds tokens lying in plaintext on this machine.
//!
//! [`scan`] walks the given roots (files or folders) in parallel, honouring `.gitignore` unless
//! told not to, never following a symlink, never entering `/proc`, `/sys` or `/dev`, and skipping
//! binary files and files over a size cap. Known credential files (`.netrc`, `.npmrc`, Docker's
//! `config.json`, `~/.aws/credentials`, …) are read by their format; every other text file (shell
//! history included) line by line. Each value found is named by the provider catalog's `detect`,
//! after placeholders and documented examples are set aside.
//!
//! A [`Candidate`] carries the secret it found (in a zeroizing [`SecretString`]) so the caller can
//! match it against the vault by keyed fingerprint and drop it; nothing in this crate stores,
//! prints or logs a secret. It reads files and never writes them.

mod credential_files;
mod extract;
mod placeholder;
mod walk;

use secrecy::SecretString;
use std::path::{Path, PathBuf};
use tokenwarden_providers::Detection;

pub use placeholder::is_placeholder;
pub use walk::{scan, scan_with_progress, ScanOptions, ScanStats, PROGRESS_EVERY};

/// How sure the scan is that a value is a live credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// A provider format matched at its exact length and alphabet, or a credential file's own
    /// field holds it (an npm `_authToken`, a Docker `auth`): worth linking or importing.
    Likely,
    /// Only a loose shape matched (a long random-looking value under a name like `API_KEY`): shown
    /// for the person to judge, never linked or imported automatically.
    Possible,
}

/// One value found on disk. Holds the secret: no Debug, no Serialize.
pub struct Candidate {
    pub path: PathBuf,
    /// 1-based line and column (in characters) where the value starts.
    pub line: usize,
    pub column: usize,
    pub secret: SecretString,
    /// The catalog's best match, if any format matched.
    pub detection: Option<Detection>,
    pub certainty: Certainty,
    /// What read it: `text` for a line-by-line read, or the credential file's format (`npmrc`, …).
    pub source: &'static str,
}

/// The places `--home` scans under a home directory: the credential files of common tools, shell
/// histories and `.env*` files directly in the home. Only those that exist are returned.
pub fn home_targets(home: &Path) -> Vec<PathBuf> {
    const FILES: &[&str] = &[
        ".netrc",
        ".git-credentials",
        ".npmrc",
        ".pypirc",
        ".docker/config.json",
        ".aws/credentials",
        ".cargo/credentials.toml",
        ".cargo/credentials",
        ".terraform.d/credentials.tfrc.json",
        ".config/gh/hosts.yml",
        ".bash_history",
        ".zsh_history",
        ".local/share/fish/fish_history",
    ];
    let mut targets: Vec<PathBuf> = FILES.iter().map(|f| home.join(f)).filter(|p| p.is_file()).collect();
    if let Ok(entries) = std::fs::read_dir(home) {
        let mut envs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".env"))
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        envs.sort();
        targets.extend(envs);
    }
    targets
}

/// What went wrong before a scan could start. Unreadable files during a scan are counted, not errors.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{path}: {problem}")]
    Root { path: PathBuf, problem: String },
}
