//! Tokens: the list, the detail, the add and edit forms, and a revealed secret.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};
use tokenwarden_core::audit_log::Event;
use tokenwarden_core::expiry;
use tokenwarden_core::timestamp;
use tokenwarden_core::usages::Usage;
use tokenwarden_core::{Error, NewToken, TokenPatch, TokenSummary};
use tokenwarden_providers::ProviderId;
use ts_rs::TS;

/// One token as the UI lists it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub provider: String,
    /// The provider as the catalog spells it ("Hugging Face"), for every place a person reads it.
    pub provider_name: String,
    #[ts(as = "tokenwarden_core::TokenKind")]
    pub kind: &'static str,
    pub hint: String,
    pub account: Option<String>,
    pub environment: Option<String>,
    pub scopes: Vec<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub url: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub expires_at: Option<String>,
    /// Effective status: an active token past its expiry is `expired`.
    #[ts(as = "tokenwarden_core::TokenStatus")]
    pub status: &'static str,
    pub rotation_max_age_days: Option<u32>,
    pub last_verified_at: Option<String>,
    /// `valid` or `invalid`, as the provider said at the last check.
    pub last_verified_result: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    /// `api`, `confirmed`, `provider_rotation` or `report_leak`.
    pub revoke_method: Option<String>,
    /// The token that replaced this one in a rotation, and the one this one replaced.
    pub replaced_by: Option<String>,
    pub replaces: Option<String>,
}

impl From<TokenSummary> for TokenView {
    fn from(s: TokenSummary) -> Self {
        let t = s.token;
        TokenView {
            id: t.id,
            name: t.name,
            provider_name: tokenwarden_providers::display_name(t.provider.as_str()),
            provider: t.provider.to_string(),
            kind: t.kind.as_str(),
            hint: t.hint,
            account: t.account,
            environment: t.environment,
            scopes: t.scopes,
            tags: t.tags,
            notes: t.notes,
            url: t.url,
            created_at: timestamp::encode(t.created_at),
            updated_at: timestamp::encode(t.updated_at),
            expires_at: t.expires_at.map(timestamp::encode),
            status: s.effective_status.as_str(),
            rotation_max_age_days: t.rotation_max_age_days,
            last_verified_at: t.last_verified_at.map(timestamp::encode),
            last_verified_result: t.last_verified_result,
            last_used_at: t.last_used_at.map(timestamp::encode),
            revoked_at: t.revoked_at.map(timestamp::encode),
            revoke_method: t.revoke_method,
            replaced_by: t.replaced_by,
            replaces: t.replaces,
        }
    }
}

/// One token as the inventory list, the sidebar, search, the filters and the dashboard's chart
/// use it: only the fields they read (the opened token comes whole from `token_get`).
/// `tokens_rows` sends each as a [`TokenRowWire`] array; the UI rebuilds this shape from it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub provider: String,
    /// The provider as the catalog spells it ("Hugging Face").
    pub provider_name: String,
    pub hint: String,
    pub account: Option<String>,
    pub environment: Option<String>,
    pub tags: Vec<String>,
    /// Searched in, so it comes along.
    pub notes: Option<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    /// Effective status: an active token past its expiry is `expired`.
    #[ts(as = "tokenwarden_core::TokenStatus")]
    pub status: &'static str,
}

/// A [`TokenRow`] on the wire: its fields in declaration order, as a JSON array without keys
/// (at 10,000 tokens the keys alone would be about 1.5 MB of the answer).
#[derive(Debug, Clone, Serialize, TS)]
pub struct TokenRowWire(
    pub String,
    pub String,
    pub String,
    pub String,
    pub String,
    pub Option<String>,
    pub Option<String>,
    pub Vec<String>,
    pub Option<String>,
    pub String,
    pub Option<String>,
    #[ts(as = "tokenwarden_core::TokenStatus")] pub &'static str,
);

impl From<TokenRow> for TokenRowWire {
    fn from(r: TokenRow) -> Self {
        TokenRowWire(
            r.id,
            r.name,
            r.provider,
            r.provider_name,
            r.hint,
            r.account,
            r.environment,
            r.tags,
            r.notes,
            r.created_at,
            r.expires_at,
            r.status,
        )
    }
}

impl From<TokenSummary> for TokenRow {
    fn from(s: TokenSummary) -> Self {
        let t = s.token;
        TokenRow {
            id: t.id,
            name: t.name,
            provider_name: tokenwarden_providers::display_name(t.provider.as_str()),
            provider: t.provider.to_string(),
            hint: t.hint,
            account: t.account,
            environment: t.environment,
            tags: t.tags,
            notes: t.notes,
            created_at: timestamp::encode(t.created_at),
            expires_at: t.expires_at.map(timestamp::encode),
            status: s.effective_status.as_str(),
        }
    }
}

#[derive(Debug, Serialize, TS)]
pub struct TokenDetail {
    pub token: TokenView,
    pub usages: Vec<Usage>,
    pub history: Vec<Event>,
    /// The token's own days-before-expiry reminders, largest first; null when it follows the vault's.
    pub reminder_days: Option<Vec<u32>>,
    /// Whether the monitor checks this token at its provider (on unless turned off for it).
    pub monitored: bool,
}

#[derive(Debug, Serialize, TS)]
pub struct CopyResult {
    pub clear_after_secs: u32,
}

/// What the add and edit forms send. No Debug: it may hold a secret.
#[derive(Deserialize, TS)]
pub struct TokenInput {
    pub name: String,
    pub provider: String,
    pub kind: String,
    /// Required when adding; `None` when editing keeps the current secret.
    #[ts(type = "string | null")]
    pub secret: Option<SecretString>,
    pub expires_at: Option<String>,
    pub account: Option<String>,
    pub environment: Option<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub url: Option<String>,
}

fn provider(raw: &str) -> tokenwarden_core::Result<ProviderId> {
    ProviderId::parse(raw).map_err(|e| Error::InvalidInput { field: "provider".to_owned(), problem: e.to_string() })
}

fn expires(raw: Option<&str>, now: DateTime<Utc>) -> tokenwarden_core::Result<Option<DateTime<Utc>>> {
    match raw {
        Some(raw) => expiry::parse_expiry(raw, now),
        None => Ok(None),
    }
}

impl TokenInput {
    pub fn into_new(self, now: DateTime<Utc>) -> tokenwarden_core::Result<NewToken> {
        let secret = self.secret.ok_or(Error::InvalidInput {
            field: "secret".to_owned(),
            problem: "paste the token's secret".to_owned(),
        })?;
        let mut new = NewToken::new(self.name, provider(&self.provider)?, self.kind.parse()?, secret);
        new.expires_at = expires(self.expires_at.as_deref(), now)?;
        new.account = self.account;
        new.environment = self.environment;
        new.scopes = self.scopes;
        new.tags = self.tags;
        new.notes = self.notes;
        new.url = self.url;
        Ok(new)
    }

    pub fn into_patch(self, now: DateTime<Utc>) -> tokenwarden_core::Result<TokenPatch> {
        Ok(TokenPatch {
            name: Some(self.name),
            provider: Some(provider(&self.provider)?),
            kind: Some(self.kind.parse()?),
            secret: self.secret,
            expires_at: Some(expires(self.expires_at.as_deref(), now)?),
            account: Some(self.account),
            environment: Some(self.environment),
            scopes: Some(self.scopes),
            tags: Some(self.tags),
            notes: Some(self.notes),
            url: Some(self.url),
            ..TokenPatch::default()
        })
    }
}

pub(crate) fn parse_expiry(raw: Option<&str>, now: DateTime<Utc>) -> tokenwarden_core::Result<Option<DateTime<Utc>>> {
    expires(raw, now)
}

/// A secret on its way to the webview for an explicit reveal: serialised as a plain string, and
/// wiped from this process's memory when dropped (a `String` response would leave its copy in
/// freed memory). No Debug.
pub struct RevealedSecret(pub SecretString);

impl Serialize for RevealedSecret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose_secret())
    }
}
