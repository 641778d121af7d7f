//! Provider knowledge for Tokenwarden: what a provider is called, what its tokens look like, and how
//! to talk to its API. A leaf crate: it knows nothing of vaults, storage or UI, and never logs or
//! stores a secret.
//!
//! - [`catalog`]: one TOML file per provider (`catalog/*.toml`), embedded at build time.
//! - [`detect`]: which provider and kind a secret is, with confidence (checksums verified).
//! - [`adapters`]: verify, rotate and revoke over HTTPS (plain HTTP only to loopback, for tests).

pub mod adapters;
pub mod catalog;
mod checksum;
pub mod detect;
pub mod prefilter;
mod prefixes;

pub use catalog::{catalog, display_name, provider, ApiOps, KindSpec, Provider, Urls};
pub use detect::{detect, detect_all, Confidence, Detection};
pub use prefilter::{prefilter, Prefilter};
pub use prefixes::{known_prefix, provider_for_prefix};

use serde::{Deserialize, Serialize};
use std::fmt;

/// A provider's stable id: lowercase ASCII letters, digits and `-` (`github`, `gitlab`, `aws`).
/// Free-form ids are allowed so users can track tokens of providers the catalog does not know yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProviderId(String);

/// Why a string is not a valid provider id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidProviderId(pub String);

impl fmt::Display for InvalidProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not a provider id: use 1-40 letters, digits or '-' (for example 'github')", self.0)
    }
}

impl std::error::Error for InvalidProviderId {}

impl ProviderId {
    /// The provider for tokens nobody has classified.
    pub fn generic() -> Self {
        ProviderId("generic".to_owned())
    }

    /// Parses a provider id, folding case and turning spaces and `_` into `-`
    /// so that "Hugging Face" and "hugging_face" both become `hugging-face`.
    pub fn parse(raw: &str) -> Result<Self, InvalidProviderId> {
        let folded: String = raw
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '_' => '-',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        let valid = !folded.is_empty()
            && folded.len() <= 40
            && folded.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if valid {
            Ok(ProviderId(folded))
        } else {
            Err(InvalidProviderId(raw.chars().take(60).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ProviderId {
    type Error = InvalidProviderId;
    /// Keeps the string as it is when it is already in canonical form (as stored ids are).
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let canonical = !value.is_empty()
            && value.len() <= 40
            && value.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
        if canonical {
            Ok(ProviderId(value))
        } else {
            ProviderId::parse(&value)
        }
    }
}

impl From<ProviderId> for String {
    fn from(value: ProviderId) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_ids_are_folded_to_one_spelling() {
        assert_eq!(ProviderId::parse("GitHub").unwrap().as_str(), "github");
        assert_eq!(ProviderId::parse(" Hugging Face ").unwrap().as_str(), "hugging-face");
        assert_eq!(ProviderId::parse("hugging_face").unwrap().as_str(), "hugging-face");
    }

    #[test]
    fn provider_ids_reject_punctuation_and_empty_strings() {
        assert!(ProviderId::parse("").is_err());
        assert!(ProviderId::parse("git/hub").is_err());
        assert!(ProviderId::parse(&"a".repeat(41)).is_err());
        let err = ProviderId::parse("a;b").unwrap_err().to_string();
        assert!(err.contains("'a;b'"), "{err}");
    }
}
