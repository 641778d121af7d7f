//! Live checks of a token at its provider, and what their answers change in the vault: valid or
//! not, owner, scopes, expiry (the provider's date wins, and the report says what it replaced),
//! last use. The check itself goes through [`ProviderApi`]; only its answer is stored, never the
//! secret or the provider's raw response.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::Serialize;
use tokenwarden_providers::adapters::Verification;

use crate::audit_log::{self, EventKind};
use crate::error::Result;
use crate::expiry;
use crate::provider_api::{no_api, ProviderApi};
use crate::store;
use crate::tokens::Token;
use crate::vault::Vault;

/// The expiry the vault had and the one the provider reported, when they differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExpiryDiff {
    pub ours: Option<DateTime<Utc>>,
    pub provider: Option<DateTime<Utc>>,
}

/// What a check found. Holds no secret.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerifyReport {
    pub token_id: String,
    pub valid: bool,
    pub owner: Option<String>,
    pub scopes: Option<Vec<String>>,
    /// The scopes the provider's catalog entry calls dangerous that this token holds.
    pub dangerous_scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub detail: Option<String>,
    /// Set when the provider's expiry differs from the vault's; the vault now holds the provider's.
    pub expiry_differs: Option<ExpiryDiff>,
    pub checked_at: DateTime<Utc>,
}

/// A token and its secret, opened for a check. No Debug: it holds the secret.
pub struct CheckTarget {
    pub token: Token,
    pub secret: SecretString,
}

const CHECKED_KEY: &str = "providers_checked";

/// Expiry dates closer than this are the same date written two ways (a provider that reports
/// whole days against an expiry typed with a time).
const EXPIRY_SLACK_SECS: i64 = 24 * 3600;

impl Vault {
    /// Opens a token's secret for a provider check. Refuses providers without a check API.
    pub fn check_target(&self, api: &dyn ProviderApi, id: &str) -> Result<CheckTarget> {
        let token = self.token(id)?;
        if !api.ops(token.provider.as_str()).verify {
            let instead = format!("check '{}' at the provider's site", token.name);
            return Err(no_api("provider", token.provider.as_str(), "check", &instead));
        }
        let secret = self.open_secret(&token.id)?;
        Ok(CheckTarget { token, secret })
    }

    /// Checks a token at its provider and records the answer.
    pub fn verify_token(&mut self, api: &dyn ProviderApi, id: &str, now: DateTime<Utc>) -> Result<VerifyReport> {
        let target = self.check_target(api, id)?;
        let answer = api.verify(target.token.provider.as_str(), &target.secret)?;
        self.record_verification(&target.token.id, &answer, now)
    }

    /// Stores what a provider said about a token: the check's result and time, and (when the
    /// token is valid) its owner, scopes, expiry and last use.
    pub fn record_verification(&mut self, id: &str, answer: &Verification, now: DateTime<Utc>) -> Result<VerifyReport> {
        self.record_verification_with_alerts(id, answer, now).map(|(report, _)| report)
    }

    /// [`Vault::record_verification`], also keeping the check in the monitor's history (the
    /// provider's last-used time without our own calls) and returning the alerts it raised.
    pub fn record_verification_with_alerts(
        &mut self,
        id: &str,
        answer: &Verification,
        now: DateTime<Utc>,
    ) -> Result<(VerifyReport, Vec<crate::store::alerts::Alert>)> {
        let mut token = self.token(id)?;
        let before = token.clone();
        let answer = &self.without_own_use(&token.id, answer, now)?;
        let mut changed: Vec<&str> = Vec::new();
        let mut expiry_differs = None;
        // A date no vault could store or count days around is dropped, with a warning.
        let answer_expires_at = expiry::from_provider("expiry", answer.expires_at);
        let answer_last_used_at = expiry::from_provider("last-used date", answer.last_used_at);
        if answer.valid {
            if let Some(owner) = answer.owner.as_ref().filter(|o| !o.trim().is_empty()) {
                if token.account.as_deref() != Some(owner.as_str()) {
                    token.account = Some(owner.chars().take(200).collect());
                    changed.push("account");
                }
            }
            if let Some(scopes) = &answer.scopes {
                let scopes: Vec<String> = scopes.iter().map(|s| s.replace([',', '\n'], " ")).collect();
                if token.scopes != scopes {
                    token.scopes = scopes;
                    changed.push("scopes");
                }
            }
            if let Some(theirs) = answer_expires_at {
                let differs =
                    token.expires_at.is_none_or(|ours| (ours - theirs).num_seconds().abs() > EXPIRY_SLACK_SECS);
                if differs {
                    expiry_differs = Some(ExpiryDiff { ours: token.expires_at, provider: Some(theirs) });
                    token.expires_at = Some(theirs);
                    changed.push("expires_at");
                }
            }
        }
        let result = if answer.valid { "valid" } else { "invalid" };
        let tx = self.conn.transaction()?;
        store::tokens::write(&tx, &token, now)?;
        store::tokens::set_verified(&tx, &token.id, now, result)?;
        if let Some(used) = answer_last_used_at.filter(|_| answer.valid) {
            store::tokens::set_used_per_provider(&tx, &token.id, used)?;
        }
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::Verified,
            Some(&token.id),
            &serde_json::json!({ "valid": answer.valid, "fields": changed }),
        )?;
        tx.commit()?;
        self.mark_provider_checked(token.provider.as_str(), now)?;
        if changed.contains(&"expires_at") {
            self.refresh_reminder_index();
        }
        let alerts = self.record_check(&before, answer, now)?;
        let dangerous_scopes = dangerous(token.provider.as_str(), &token.scopes);
        let report = VerifyReport {
            token_id: token.id,
            valid: answer.valid,
            owner: answer.owner.clone(),
            scopes: answer.scopes.clone(),
            dangerous_scopes,
            expires_at: answer_expires_at,
            last_used_at: answer_last_used_at,
            detail: answer.detail.clone(),
            expiry_differs,
            checked_at: now,
        };
        Ok((report, alerts))
    }

    /// Whether a check has ever been made at this provider from this vault (before the first
    /// one, the UI says what a check will do there).
    pub fn provider_checked_before(&self, provider: &str) -> Result<bool> {
        let checked: Vec<String> = self.setting_json(CHECKED_KEY)?.unwrap_or_default();
        Ok(checked.iter().any(|p| p == provider))
    }

    fn mark_provider_checked(&mut self, provider: &str, now: DateTime<Utc>) -> Result<()> {
        let mut checked: Vec<String> = self.setting_json(CHECKED_KEY)?.unwrap_or_default();
        if checked.iter().any(|p| p == provider) {
            return Ok(());
        }
        checked.push(provider.to_owned());
        self.set_setting_json(CHECKED_KEY, &checked, now)
    }
}

/// The scopes among `scopes` that the provider's catalog entry calls dangerous.
pub fn dangerous(provider: &str, scopes: &[String]) -> Vec<String> {
    let Some(entry) = tokenwarden_providers::catalog::provider(provider) else { return Vec::new() };
    scopes.iter().filter(|s| entry.is_dangerous_scope(s)).cloned().collect()
}
