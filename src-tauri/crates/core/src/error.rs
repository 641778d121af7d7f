//! The core's one error type. Variants carry context (paths, ids, field names), never a secret:
//! every message here may be shown to a user, logged, or crossed over IPC.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable codes the CLI and the UI branch on. Never reuse or renumber one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Something went wrong that the user cannot fix by changing their input.
    Internal,
    /// The password (or keyring key) did not open the vault.
    WrongPassword,
    /// The operation needs an unlocked vault.
    Locked,
    /// There is no vault at the path, or no token with that id.
    NotFound,
    /// The input (a date, a name, a file) is malformed.
    InvalidInput,
    /// A vault already exists where one would be created.
    AlreadyExists,
    /// A vault file fails its integrity checks.
    Corrupt,
    /// The OS keyring is absent, locked or refused.
    KeyringUnavailable,
    /// Reading or writing a file failed.
    Io,
    /// An encrypted backup needs its passphrase, or the one given does not open it.
    PassphraseNeeded,
    /// The provider could not be reached (DNS, connection refused, no network).
    ProviderOffline,
    /// The provider did not answer in time.
    ProviderTimeout,
    /// The provider refused the token (401).
    ProviderUnauthorized,
    /// The token lacks the permission this call needs (403).
    ProviderForbidden,
    /// The provider asks us to slow down (429); the message says when to retry.
    ProviderRateLimited,
    /// The provider failed (5xx) or answered with an unexpected status.
    ProviderError,
    /// The provider's answer could not be read.
    ProviderBadResponse,
    /// A provider API address that is not HTTPS (plain HTTP is allowed to loopback only).
    InsecureUrl,
    /// The provider has no API for this operation.
    Unsupported,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the password is wrong (vault.keys at {path} could not be opened with it)")]
    WrongPassword { path: PathBuf },

    #[error("the vault is locked: unlock it first")]
    Locked,

    #[error("no vault at {path}: create one with `tokenwarden-cli init`")]
    NoVault { path: PathBuf },

    #[error("a vault already exists at {path}")]
    VaultExists { path: PathBuf },

    #[error("no token matches '{query}'")]
    TokenNotFound { query: String },

    #[error("'{query}' matches {count} tokens: use more of the id")]
    AmbiguousToken { query: String, count: usize },

    #[error("{field}: {problem}")]
    InvalidInput { field: String, problem: String },

    /// A file to import is malformed, hostile or too large. `at` names the line, record or entry.
    #[error("{file}: {at}: {field}: {problem}")]
    Import { file: String, at: String, field: String, problem: String },

    #[error("{file}: {problem}")]
    BackupPassphrase { file: String, problem: String },

    #[error("{path} is damaged or was altered ({detail}); restore it from a backup")]
    Corrupt { path: PathBuf, detail: String },

    #[error(
        "vault.db was rolled back: vault.head records {recorded} audit events but vault.db holds only {found}; \
         an older copy of the database was put back in place (restore the newest copy, or investigate who replaced it)"
    )]
    RolledBack { recorded: i64, found: i64 },

    #[error("the audit log fails verification: {detail}")]
    TamperedLog { detail: String },

    #[error("the OS keyring is not available: {detail}")]
    KeyringUnavailable { detail: String },

    #[error("the OS keyring holds no key for this vault")]
    KeyringEmpty,

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("database error: {0}")]
    Database(rusqlite::Error),

    #[error("the clipboard is not available: {detail}")]
    Clipboard { detail: String },

    #[error("{provider}: {source}")]
    Provider {
        provider: String,
        #[source]
        source: tokenwarden_providers::adapters::AdapterError,
    },

    #[error("internal error: {0}")]
    Internal(String),
}

/// A file format's error keeps its meaning (and its code) in the core's terms.
impl From<tokenwarden_formats::Error> for Error {
    fn from(err: tokenwarden_formats::Error) -> Self {
        use tokenwarden_formats::Error as F;
        match err {
            F::InvalidInput { field, problem } => Error::InvalidInput { field, problem },
            F::Import { file, at, field, problem } => Error::Import { file, at, field, problem },
            F::BackupPassphrase { file, problem } => Error::BackupPassphrase { file, problem },
            F::Internal(detail) => Error::Internal(detail),
        }
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::WrongPassword { .. } => ErrorCode::WrongPassword,
            Error::Locked => ErrorCode::Locked,
            Error::NoVault { .. } | Error::TokenNotFound { .. } => ErrorCode::NotFound,
            Error::AmbiguousToken { .. } | Error::InvalidInput { .. } | Error::Import { .. } => ErrorCode::InvalidInput,
            Error::VaultExists { .. } => ErrorCode::AlreadyExists,
            Error::Corrupt { .. } | Error::TamperedLog { .. } | Error::RolledBack { .. } => ErrorCode::Corrupt,
            Error::KeyringUnavailable { .. } | Error::KeyringEmpty => ErrorCode::KeyringUnavailable,
            Error::Io { .. } => ErrorCode::Io,
            Error::BackupPassphrase { .. } => ErrorCode::PassphraseNeeded,
            Error::Database(_) | Error::Clipboard { .. } | Error::Internal(_) => ErrorCode::Internal,
            Error::Provider { source, .. } => provider_code(source),
        }
    }

    pub(crate) fn invalid(field: &str, problem: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.to_owned(), problem: problem.into() }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

fn provider_code(err: &tokenwarden_providers::adapters::AdapterError) -> ErrorCode {
    use tokenwarden_providers::adapters::AdapterError as A;
    match err {
        A::Offline { .. } => ErrorCode::ProviderOffline,
        A::Timeout { .. } => ErrorCode::ProviderTimeout,
        A::Unauthorized => ErrorCode::ProviderUnauthorized,
        A::Forbidden { .. } => ErrorCode::ProviderForbidden,
        A::RateLimited { .. } => ErrorCode::ProviderRateLimited,
        A::Provider { .. } => ErrorCode::ProviderError,
        A::BadResponse { .. } => ErrorCode::ProviderBadResponse,
        A::InsecureUrl { .. } => ErrorCode::InsecureUrl,
        A::Unsupported { .. } => ErrorCode::Unsupported,
    }
}
