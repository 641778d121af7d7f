//! Revoking tokens: by the provider's API where one exists, or by the person at the provider's
//! site (then confirmed here, optionally proven by a check that now fails). "Panic revoke" runs
//! the API ones in one go and hands back the rest as a checklist. A revoked token keeps its row
//! (status `revoked`, when and how) so the inventory remembers it.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::events::{self, EventKind};
use crate::expiry;
use crate::provider_api::{display_name, no_api, ProviderApi};
use crate::rotation::RotationStep;
use crate::tokens::TokenStatus;
use crate::vault::Vault;

/// How a token is (to be) revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RevokeHow {
    /// Tokenwarden calls the provider's revoke API.
    Api,
    /// The person revoked it at the provider's site.
    Confirmed,
    /// Not now: the old token of a rotation is marked for manual revocation.
    Later,
    /// GitHub's credential-revocation API, for a token believed leaked.
    ReportLeak,
}

impl RevokeHow {
    pub fn as_str(self) -> &'static str {
        match self {
            RevokeHow::Api => "api",
            RevokeHow::Confirmed => "confirmed",
            RevokeHow::Later => "later",
            RevokeHow::ReportLeak => "report_leak",
        }
    }
}

impl std::str::FromStr for RevokeHow {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "api" => Ok(RevokeHow::Api),
            "confirmed" | "manual" => Ok(RevokeHow::Confirmed),
            "later" => Ok(RevokeHow::Later),
            "report_leak" | "leaked" => Ok(RevokeHow::ReportLeak),
            _ => Err(Error::invalid("how", format!("'{s}' is not one of: api, confirmed, later, report-leak"))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Revoked,
    NeedsManual,
    Failed,
}

/// An error as the UI and `--json` show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutcomeError {
    pub code: ErrorCode,
    pub message: String,
}

/// What happened to one token. Holds no secret.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RevokeOutcome {
    pub token_id: String,
    pub name: String,
    pub provider: String,
    pub outcome: Outcome,
    pub method: Option<String>,
    pub error: Option<OutcomeError>,
    /// After revoking, the token was checked again: `true` means the provider now refuses it.
    pub reverified: Option<bool>,
}

/// Marks a token revoked inside the caller's transaction and logs it.
pub(crate) fn set_revoked(
    conn: &rusqlite::Connection,
    audit: &[u8; 32],
    token_id: &str,
    method: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let at = expiry::to_storage(now);
    conn.execute(
        "UPDATE tokens SET status = 'revoked', revoked_at = ?2, revoke_method = ?3, updated_at = ?2 WHERE id = ?1",
        params![token_id, at, method],
    )?;
    events::append(conn, audit, now, EventKind::Revoked, Some(token_id), &serde_json::json!({ "method": method }))
}

impl Vault {
    /// Revokes one token. `Api`/`ReportLeak` call the provider; `Confirmed` records what the
    /// person did at the provider's site. With `reverify`, a check at the provider must then fail
    /// (a `Confirmed` revocation the provider still accepts is not recorded).
    pub fn revoke_token(
        &mut self,
        api: &dyn ProviderApi,
        id: &str,
        how: RevokeHow,
        reverify: bool,
        now: DateTime<Utc>,
    ) -> Result<RevokeOutcome> {
        let token = self.token(id)?;
        let provider = token.provider.as_str().to_owned();
        let outcome = |outcome, method: Option<&str>, reverified| RevokeOutcome {
            token_id: token.id.clone(),
            name: token.name.clone(),
            provider: provider.clone(),
            outcome,
            method: method.map(str::to_owned),
            error: None,
            reverified,
        };
        if token.status == TokenStatus::Revoked {
            return Ok(outcome(Outcome::Revoked, token.revoke_method.as_deref(), None));
        }
        let rotation = self.open_rotation_for(&token.id)?;
        if let Some(r) = rotation.as_ref().filter(|r| r.step.can_abort()) {
            return Err(Error::invalid(
                "rotation",
                format!(
                    "'{}' is being rotated (step '{}'): abort or finish that rotation before revoking it",
                    token.name, r.step
                ),
            ));
        }
        let ops = api.ops(&provider);
        let method = match how {
            RevokeHow::Later => {
                return Err(Error::invalid("how", "'later' only applies to the old token of a rotation"));
            }
            RevokeHow::ReportLeak if provider != "github" => {
                return Err(Error::invalid(
                    "how",
                    "reporting a leak is GitHub's credential-revocation API: this is not a GitHub token",
                ));
            }
            RevokeHow::Api | RevokeHow::ReportLeak => {
                if !ops.revoke {
                    let instead = format!("revoke '{}' at the provider's site, then confirm", token.name);
                    return Err(no_api("how", &provider, "revoke", &instead));
                }
                let secret = self.open_secret(&token.id)?;
                api.revoke(&provider, &secret)?;
                how.as_str()
            }
            RevokeHow::Confirmed => how.as_str(),
        };
        let mut reverified = None;
        if reverify && ops.verify {
            let secret = self.open_secret(&token.id)?;
            let still_valid = api.verify(&provider, &secret)?.valid;
            reverified = Some(!still_valid);
            if still_valid && how == RevokeHow::Confirmed {
                let mut failed = outcome(Outcome::Failed, None, Some(false));
                failed.error = Some(OutcomeError {
                    code: ErrorCode::InvalidInput,
                    message: format!(
                        "{} still accepts '{}': it is not revoked yet (nothing was recorded)",
                        display_name(&provider),
                        token.name
                    ),
                });
                return Ok(failed);
            }
        }
        match rotation {
            Some(r) if r.step == RotationStep::Promoted => {
                self.record_old_revoked(&r.id, method, now)?;
            }
            _ => {
                let tx = self.conn.transaction()?;
                set_revoked(&tx, &self.keys.audit, &token.id, method, now)?;
                tx.commit()?;
                self.refresh_reminder_index();
            }
        }
        Ok(outcome(Outcome::Revoked, Some(method), reverified))
    }

    /// Revokes many tokens at once: those with a revoke API now (GitHub's through its leak
    /// report), the rest come back as `needs_manual` for the person to work through. One
    /// token's failure does not stop the others.
    pub fn panic_revoke(
        &mut self,
        api: &dyn ProviderApi,
        ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<RevokeOutcome>> {
        let mut outcomes = Vec::with_capacity(ids.len());
        for id in ids {
            let token = self.token(id)?;
            let provider = token.provider.as_str().to_owned();
            let failed = |err: Error| RevokeOutcome {
                token_id: token.id.clone(),
                name: token.name.clone(),
                provider: provider.clone(),
                outcome: Outcome::Failed,
                method: None,
                error: Some(OutcomeError { code: err.code(), message: err.to_string() }),
                reverified: None,
            };
            if token.status == TokenStatus::Revoked {
                outcomes.push(RevokeOutcome {
                    token_id: token.id.clone(),
                    name: token.name.clone(),
                    provider: provider.clone(),
                    outcome: Outcome::Revoked,
                    method: token.revoke_method.clone(),
                    error: None,
                    reverified: None,
                });
                continue;
            }
            if !api.ops(&provider).revoke {
                outcomes.push(RevokeOutcome {
                    token_id: token.id.clone(),
                    name: token.name.clone(),
                    provider: provider.clone(),
                    outcome: Outcome::NeedsManual,
                    method: None,
                    error: None,
                    reverified: None,
                });
                continue;
            }
            let how = if provider == "github" { RevokeHow::ReportLeak } else { RevokeHow::Api };
            match self.revoke_token(api, &token.id, how, false, now) {
                Ok(outcome) => outcomes.push(outcome),
                Err(err) => outcomes.push(failed(err)),
            }
        }
        Ok(outcomes)
    }
}
