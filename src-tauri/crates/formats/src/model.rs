//! The records files carry and the vault stores: a token's metadata, where it is used, one row of
//! the audit log. Plain data; the vault's rules about them live in `tokenwarden-core`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use tokenwarden_providers::ProviderId;

use crate::dates;
use crate::error::{Error, Result};

/// Longest secret accepted: far above any real token (a GCP service-account JSON is ~2.5 KB).
pub const MAX_SECRET_BYTES: usize = 64 * 1024;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    PersonalAccessToken,
    ApiKey,
    OauthClientSecret,
    WebhookSecret,
    DeployKey,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Active,
    Rotating,
    Revoked,
    Expired,
    Archived,
}

macro_rules! text_enum {
    ($ty:ident, $field:literal, $($variant:ident = $text:literal),+) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
        }
        impl FromStr for $ty {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                // Stored values are already canonical: match them without allocating.
                match s {
                    $($text => return Ok($ty::$variant),)+
                    _ => {}
                }
                let folded = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                match folded.as_str() {
                    $($text => Ok($ty::$variant),)+
                    _ => Err(Error::invalid($field, format!(
                        "'{}' is not one of: {}", s, [$($text),+].join(", ")
                    ))),
                }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

text_enum!(
    TokenKind,
    "kind",
    PersonalAccessToken = "personal_access_token",
    ApiKey = "api_key",
    OauthClientSecret = "oauth_client_secret",
    WebhookSecret = "webhook_secret",
    DeployKey = "deploy_key",
    Other = "other"
);
text_enum!(
    TokenStatus,
    "status",
    Active = "active",
    Rotating = "rotating",
    Revoked = "revoked",
    Expired = "expired",
    Archived = "archived"
);

/// A token's metadata. Never holds the secret.
#[derive(Debug, Clone, Serialize)]
pub struct Token {
    pub id: String,
    pub name: String,
    pub provider: ProviderId,
    pub kind: TokenKind,
    pub hint: String,
    pub account: Option<String>,
    pub environment: Option<String>,
    pub scopes: Vec<String>,
    pub tags: Vec<String>,
    pub purpose: Option<String>,
    pub notes: Option<String>,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub rotation_max_age_days: Option<u32>,
    pub last_rotated_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_source: Option<String>,
    pub last_verified_at: Option<DateTime<Utc>>,
    pub last_verified_result: Option<String>,
    /// As stored; see [`Token::effective_status`] for what to show.
    pub status: TokenStatus,
    pub replaced_by: Option<String>,
    pub replaces: Option<String>,
    /// When the token was revoked, and how (`api`, `confirmed`, `provider_rotation`, `report_leak`).
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_method: Option<String>,
}

impl Token {
    /// An active or rotating token past its expiry is shown as expired.
    pub fn effective_status(&self, now: DateTime<Utc>) -> TokenStatus {
        match (self.status, self.expires_at) {
            (TokenStatus::Active | TokenStatus::Rotating, Some(t)) if t <= now => TokenStatus::Expired,
            (status, _) => status,
        }
    }

    pub fn days_left(&self, now: DateTime<Utc>) -> Option<i64> {
        self.expires_at.map(|t| dates::days_left(t, now))
    }
}

/// Where a token is used: `ci_secret`, `server_env`, `env_file`, `config_file`, `app`, `other`, or
/// `plaintext_file` (a copy a scan found lying on disk).
pub const USAGE_KINDS: &[&str] =
    &["ci_secret", "server_env", "env_file", "config_file", "app", "plaintext_file", "other"];

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Usage {
    pub id: String,
    pub token_id: String,
    /// `ci_secret`, `server_env`, `env_file`, `config_file`, `app` or `other`.
    pub kind: String,
    pub location: String,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_confirmed_at: Option<DateTime<Utc>>,
}

/// One row of the log as shown to a user.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Event {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub token_id: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub detail: serde_json::Value,
}
