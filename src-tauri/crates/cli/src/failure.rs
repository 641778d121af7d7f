//! How a failed command ends: one line on stderr (or a JSON object with `--json`) and an exit code
//! scripts can branch on. Messages come from the core's errors, which never hold a secret.

use tokenwarden_core::{Error, ErrorCode};

pub struct Failure {
    code: &'static str,
    exit: u8,
    message: String,
}

pub type CliResult<T = ()> = Result<T, Failure>;

impl Failure {
    /// A mistake in how the command was called (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { code: "usage", exit: 2, message: message.into() }
    }

    /// The vault could not be unlocked for want of a password (exit 3).
    pub fn locked(message: impl Into<String>) -> Self {
        Failure { code: "locked", exit: 3, message: message.into() }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Failure { code: "invalid_input", exit: 5, message: message.into() }
    }

    /// `remind --fail-if-due` found reminders due (exit 6): not an error, a signal for scripts.
    pub fn reminders_due(message: impl Into<String>) -> Self {
        Failure { code: "reminders_due", exit: 6, message: message.into() }
    }

    /// `scan` found tokens that are not in the vault, or dead ones still on disk (exit 9): a
    /// signal for scripts, like exit 6.
    pub fn exposed(message: impl Into<String>) -> Self {
        Failure { code: "tokens_exposed", exit: 9, message: message.into() }
    }

    /// `audit --fail-on` found a finding at or above the given severity (exit 8).
    pub fn findings(message: impl Into<String>) -> Self {
        Failure { code: "audit_findings", exit: 8, message: message.into() }
    }

    /// `monitor --once` raised at least one new alert (exit 10): a signal for cron, like exit 8.
    pub fn alerts(message: impl Into<String>) -> Self {
        Failure { code: "alerts_raised", exit: 10, message: message.into() }
    }

    /// The user pressed Ctrl+C and the command stopped before changing anything (exit 130, as a
    /// shell reports SIGINT).
    pub fn interrupted(message: impl Into<String>) -> Self {
        Failure { code: "interrupted", exit: 130, message: message.into() }
    }

    /// Nothing matched (exit 4), such as a secret no provider's format fits.
    pub fn not_found(message: impl Into<String>) -> Self {
        Failure { code: "not_found", exit: 4, message: message.into() }
    }

    /// A provider could not be asked or refused (exit 7).
    pub fn provider(message: impl Into<String>) -> Self {
        Failure { code: "provider_error", exit: 7, message: message.into() }
    }

    pub fn general(message: impl Into<String>) -> Self {
        Failure { code: "internal", exit: 1, message: message.into() }
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn exit_code(&self) -> u8 {
        self.exit
    }

    pub fn print(&self, json: bool) {
        if json {
            eprintln!("{}", serde_json::json!({ "code": self.code, "message": self.message }));
        } else {
            // Messages can quote names from the vault or a file: no escape sequence reaches the terminal.
            eprintln!("tokenwarden-cli: {}", tokenwarden_core::display_text::one_line(&self.message));
        }
    }
}

impl From<tokenwarden_core::transfer::FormatError> for Failure {
    fn from(err: tokenwarden_core::transfer::FormatError) -> Self {
        Failure::from(Error::from(err))
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        let (code, exit) = match err.code() {
            ErrorCode::WrongPassword => ("wrong_password", 3),
            ErrorCode::Locked => ("locked", 3),
            ErrorCode::NotFound => ("not_found", 4),
            ErrorCode::InvalidInput => ("invalid_input", 5),
            ErrorCode::AlreadyExists => ("already_exists", 1),
            ErrorCode::Corrupt => ("corrupt", 1),
            ErrorCode::KeyringUnavailable => ("keyring_unavailable", 1),
            ErrorCode::Io => ("io", 1),
            ErrorCode::PassphraseNeeded => ("passphrase_needed", 3),
            ErrorCode::Internal => ("internal", 1),
            ErrorCode::ProviderOffline => ("provider_offline", 7),
            ErrorCode::ProviderTimeout => ("provider_timeout", 7),
            ErrorCode::ProviderUnauthorized => ("provider_unauthorized", 7),
            ErrorCode::ProviderForbidden => ("provider_forbidden", 7),
            ErrorCode::ProviderRateLimited => ("provider_rate_limited", 7),
            ErrorCode::ProviderError => ("provider_error", 7),
            ErrorCode::ProviderBadResponse => ("provider_bad_response", 7),
            ErrorCode::InsecureUrl => ("insecure_url", 5),
            ErrorCode::Unsupported => ("unsupported", 5),
        };
        Failure { code, exit, message: err.to_string() }
    }
}
