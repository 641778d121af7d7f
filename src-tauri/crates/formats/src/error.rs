//! The formats crate's one error type. Variants name the file, the place in it and the field,
//! never a secret: every message may be shown to a user or logged.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value is out of range or malformed (a format name, a date, a day count).
    #[error("{field}: {problem}")]
    InvalidInput { field: String, problem: String },

    /// A file to import is malformed, hostile or too large. `at` names the line, record or entry.
    #[error("{file}: {at}: {field}: {problem}")]
    Import { file: String, at: String, field: String, problem: String },

    /// An encrypted backup needs its passphrase, or the one given does not open it.
    #[error("{file}: {problem}")]
    BackupPassphrase { file: String, problem: String },

    /// Something that is not the file's fault (a writer failed on memory, a stored date is malformed).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub(crate) fn invalid(field: &str, problem: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.to_owned(), problem: problem.into() }
    }
}
