//! Revoking tokens: by the provider's API where one exists, or by the person at the provider's
//! site (then confirmed here, optionally proven by a check that now fails). "Panic revoke" runs
//! the API ones in one go and hands back the rest as a checklist. A revoked token keeps its row
//! (status `revoked`, when and how) so the inventory remembers it.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::provider_api::{display_name, no_api, ProviderApi};
use crate::rotation::RotationStep;
use crate::tokens::{Token, TokenStatus};
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

impl From<&Error> for OutcomeError {
    fn from(err: &Error) -> Self {
        OutcomeError { code: err.code(), message: err.to_string() }
    }
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

/// One token's revocation between the two moments it needs the vault: what to ask the provider,
/// opened while the vault is held ([`Vault::prepare_revoke`]), asked with the vault free
/// ([`RevokeJob::run`]) and recorded after ([`Vault::finish_revoke`]). A caller that shares the
/// vault (the app) can so let other commands, and locking, go on while a provider is slow.
pub struct RevokeJob {
    token_id: String,
    name: String,
    provider: String,
    how: RevokeHow,
    /// Call the provider's revoke API (`Api`, `ReportLeak`).
    call_revoke: bool,
    /// Check the token afterwards (asked for, and the provider has a check API).
    reverify: bool,
    /// Opened only when a call needs it; wiped on drop.
    secret: Option<SecretString>,
}

/// What the provider said while a [`RevokeJob`] ran.
pub struct RevokeAnswer {
    /// `Some(true)` when the check afterwards found the token refused; `None` when not checked,
    /// or when the check after an API revocation could not reach the provider.
    refused_after: Option<bool>,
}

/// What [`Vault::prepare_revoke`] found.
pub enum RevokeStep {
    /// Nothing to ask a provider: the outcome is known already.
    Done(RevokeOutcome),
    Call(RevokeJob),
}

impl RevokeJob {
    /// Asks the provider: revokes (for `Api`/`ReportLeak`), then checks when asked to. Needs no
    /// vault. An error means nothing happened at the provider that needs recording, except for
    /// a check after a successful API revocation, whose failure is folded into the answer.
    pub fn run(&self, api: &dyn ProviderApi) -> Result<RevokeAnswer> {
        let Some(secret) = self.secret.as_ref() else { return Ok(RevokeAnswer { refused_after: None }) };
        if self.call_revoke {
            api.revoke(&self.provider, secret)?;
        }
        if !self.reverify {
            return Ok(RevokeAnswer { refused_after: None });
        }
        match api.verify(&self.provider, secret) {
            Ok(check) => Ok(RevokeAnswer { refused_after: Some(!check.valid) }),
            // The revocation happened; only the proof is missing. Record it all the same.
            Err(_) if self.call_revoke => Ok(RevokeAnswer { refused_after: None }),
            Err(err) => Err(err),
        }
    }

    /// The outcome to show when this token's revocation failed.
    pub fn failed(&self, error: OutcomeError) -> RevokeOutcome {
        RevokeOutcome {
            token_id: self.token_id.clone(),
            name: self.name.clone(),
            provider: self.provider.clone(),
            outcome: Outcome::Failed,
            method: None,
            error: Some(error),
            reverified: None,
        }
    }
}

fn outcome_for(token: &Token, outcome: Outcome, method: Option<&str>, reverified: Option<bool>) -> RevokeOutcome {
    RevokeOutcome {
        token_id: token.id.clone(),
        name: token.name.clone(),
        provider: token.provider.as_str().to_owned(),
        outcome,
        method: method.map(str::to_owned),
        error: None,
        reverified,
    }
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
        match self.prepare_revoke(api, id, how, reverify)? {
            RevokeStep::Done(outcome) => Ok(outcome),
            RevokeStep::Call(job) => {
                let answer = job.run(api)?;
                self.finish_revoke(&job, &answer, now)
            }
        }
    }

    /// The first part of [`Vault::revoke_token`]: refuses what cannot be revoked this way and
    /// opens the secret when the provider is to be called.
    pub fn prepare_revoke(
        &self,
        api: &dyn ProviderApi,
        id: &str,
        how: RevokeHow,
        reverify: bool,
    ) -> Result<RevokeStep> {
        let token = self.token(id)?;
        if token.status == TokenStatus::Revoked {
            return Ok(RevokeStep::Done(outcome_for(&token, Outcome::Revoked, token.revoke_method.as_deref(), None)));
        }
        if let Some(r) = self.open_rotation_for(&token.id)?.filter(|r| r.step.can_abort()) {
            return Err(Error::invalid(
                "rotation",
                format!(
                    "'{}' is being rotated (step '{}'): abort or finish that rotation before revoking it",
                    token.name, r.step
                ),
            ));
        }
        let provider = token.provider.as_str().to_owned();
        let ops = api.ops(&provider);
        let call_revoke = match how {
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
                true
            }
            RevokeHow::Confirmed => false,
        };
        let reverify = reverify && ops.verify;
        let secret = if call_revoke || reverify { Some(self.open_secret(&token.id)?) } else { None };
        Ok(RevokeStep::Call(RevokeJob {
            token_id: token.id,
            name: token.name,
            provider,
            how,
            call_revoke,
            reverify,
            secret,
        }))
    }

    /// The last part of [`Vault::revoke_token`]: records what the provider said. A token revoked
    /// meanwhile by another hand keeps that record; the old token of a promoted rotation is
    /// recorded on its rotation.
    pub fn finish_revoke(
        &mut self,
        job: &RevokeJob,
        answer: &RevokeAnswer,
        now: DateTime<Utc>,
    ) -> Result<RevokeOutcome> {
        let token = self.token(&job.token_id)?;
        if token.status == TokenStatus::Revoked {
            return Ok(outcome_for(&token, Outcome::Revoked, token.revoke_method.as_deref(), answer.refused_after));
        }
        if answer.refused_after == Some(false) && job.how == RevokeHow::Confirmed {
            let mut failed = outcome_for(&token, Outcome::Failed, None, Some(false));
            failed.error = Some(OutcomeError {
                code: ErrorCode::InvalidInput,
                message: format!(
                    "{} still accepts '{}': it is not revoked yet (nothing was recorded)",
                    display_name(&job.provider),
                    token.name
                ),
            });
            return Ok(failed);
        }
        let method = job.how.as_str();
        match self.open_rotation_for(&token.id)? {
            Some(r) if r.step == RotationStep::Promoted => {
                self.record_old_revoked(&r.id, method, now)?;
            }
            _ => {
                let tx = self.conn.transaction()?;
                crate::tokens::set_revoked(&tx, &self.keys.audit, &token.id, method, now)?;
                tx.commit()?;
                self.refresh_reminder_index();
            }
        }
        Ok(outcome_for(&token, Outcome::Revoked, Some(method), answer.refused_after))
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
            let outcome = match self.prepare_panic_revoke(api, id)? {
                RevokeStep::Done(outcome) => outcome,
                RevokeStep::Call(job) => match job.run(api).and_then(|answer| self.finish_revoke(&job, &answer, now)) {
                    Ok(outcome) => outcome,
                    Err(err) => job.failed(OutcomeError::from(&err)),
                },
            };
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// One token of a panic revoke: already revoked, left to the person (no revoke API), a
    /// failure known before any call, or a call to make. Errs only when the token is unknown.
    pub fn prepare_panic_revoke(&self, api: &dyn ProviderApi, id: &str) -> Result<RevokeStep> {
        let token = self.token(id)?;
        let provider = token.provider.as_str();
        if token.status != TokenStatus::Revoked && !api.ops(provider).revoke {
            return Ok(RevokeStep::Done(outcome_for(&token, Outcome::NeedsManual, None, None)));
        }
        let how = if provider == "github" { RevokeHow::ReportLeak } else { RevokeHow::Api };
        Ok(self.prepare_revoke(api, id, how, false).unwrap_or_else(|err| {
            let mut failed = outcome_for(&token, Outcome::Failed, None, None);
            failed.error = Some(OutcomeError::from(&err));
            RevokeStep::Done(failed)
        }))
    }
}
