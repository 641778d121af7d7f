//! Rotations: the resumable state machine that takes a token from its old secret to a new one.
//! Every step commits before the next may start, so a killed process resumes from the last
//! durable step. The old secret is never revoked before the new one is stored and verified, and
//! until promotion the new secret lives sealed in the rotation row, never in the clear.
//!
//! started → new_stored → verified → consumers_updated → promoted → old_revoked | old_manual → done,
//! or aborted from any step before promoted (the new secret is wiped, the old token untouched).
//! The provider calls that some steps need are in [`crate::provider_api`]; this module only
//! records what happened.

mod provider;
mod steps;

pub use provider::{carried_forward_expiry, OldRevocation, ProviderCall};
pub use steps::VerifiedBy;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::store::{self, rotations::RotationRow};
use crate::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RotationMethod {
    /// The person makes the new token at the provider's site and pastes it.
    Guided,
    /// The provider's API issues the new token.
    Api,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RotationStep {
    Started,
    NewStored,
    Verified,
    ConsumersUpdated,
    Promoted,
    OldRevoked,
    OldManual,
    Done,
    Aborted,
}

impl RotationStep {
    pub const ALL: [RotationStep; 9] = [
        RotationStep::Started,
        RotationStep::NewStored,
        RotationStep::Verified,
        RotationStep::ConsumersUpdated,
        RotationStep::Promoted,
        RotationStep::OldRevoked,
        RotationStep::OldManual,
        RotationStep::Done,
        RotationStep::Aborted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RotationStep::Started => "started",
            RotationStep::NewStored => "new_stored",
            RotationStep::Verified => "verified",
            RotationStep::ConsumersUpdated => "consumers_updated",
            RotationStep::Promoted => "promoted",
            RotationStep::OldRevoked => "old_revoked",
            RotationStep::OldManual => "old_manual",
            RotationStep::Done => "done",
            RotationStep::Aborted => "aborted",
        }
    }

    /// Done or aborted: nothing more happens to this rotation.
    pub fn is_finished(self) -> bool {
        matches!(self, RotationStep::Done | RotationStep::Aborted)
    }

    /// Before promotion a rotation can still be abandoned without touching the old token.
    pub fn can_abort(self) -> bool {
        self < RotationStep::Promoted
    }
}

impl fmt::Display for RotationStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RotationStep {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        RotationStep::ALL
            .into_iter()
            .find(|step| step.as_str() == s)
            .ok_or_else(|| Error::Internal(format!("unknown rotation step '{s}'")))
    }
}

impl RotationMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            RotationMethod::Guided => "guided",
            RotationMethod::Api => "api",
        }
    }
}

impl FromStr for RotationMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "guided" => Ok(RotationMethod::Guided),
            "api" => Ok(RotationMethod::Api),
            _ => Err(Error::invalid("method", format!("'{s}' is not one of: guided, api"))),
        }
    }
}

/// A place the token is used, to be updated with the new secret before promotion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Consumer {
    pub usage_id: String,
    pub kind: String,
    pub location: String,
    pub done: bool,
}

/// A rotation as stored. Holds no secret (the new one stays sealed in the row).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rotation {
    pub id: String,
    pub token_id: String,
    pub token_name: String,
    pub provider: String,
    pub method: RotationMethod,
    pub step: RotationStep,
    /// The token row the new secret became at promotion.
    pub new_token_id: Option<String>,
    pub new_hint: Option<String>,
    pub new_expires_at: Option<DateTime<Utc>>,
    /// `provider` when the provider accepted the new secret, `user` when the person vouched for it.
    #[cfg_attr(feature = "ts", ts(type = "\"provider\" | \"user\" | null"))]
    pub verified_by: Option<String>,
    /// An API rotation was asked of the provider but its answer was never stored (the process
    /// died mid-call). The old token may no longer work; the person must check at the provider.
    pub api_requested_at: Option<DateTime<Utc>>,
    /// The provider invalidated the old secret itself when it issued the new one (GitLab, Cloudflare).
    pub old_invalidated: bool,
    pub consumers: Vec<Consumer>,
    pub revoke_method: Option<String>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl TryFrom<RotationRow> for Rotation {
    type Error = Error;
    fn try_from(row: RotationRow) -> Result<Rotation> {
        Ok(Rotation {
            method: row.method.parse()?,
            step: row.step.parse()?,
            consumers: serde_json::from_str(&row.consumers)
                .map_err(|e| Error::Internal(format!("rotation consumers are unreadable: {e}")))?,
            id: row.id,
            token_id: row.token_id,
            token_name: row.token_name,
            provider: row.provider,
            new_token_id: row.new_token_id,
            new_hint: row.new_hint,
            new_expires_at: row.new_expires_at,
            verified_by: row.verified_by,
            api_requested_at: row.api_requested_at,
            old_invalidated: row.old_invalidated,
            revoke_method: row.revoke_method,
            started_at: row.started_at,
            updated_at: row.updated_at,
            finished_at: row.finished_at,
        })
    }
}

fn rotations(rows: Vec<RotationRow>) -> Result<Vec<Rotation>> {
    rows.into_iter().map(Rotation::try_from).collect()
}

impl Vault {
    /// One rotation by id.
    pub fn rotation(&self, id: &str) -> Result<Rotation> {
        store::rotations::get(&self.conn, id)?
            .ok_or_else(|| Error::invalid("rotation", format!("no rotation with id '{id}'")))?
            .try_into()
    }

    /// The unfinished rotation of a token, if it has one (at most one can be open).
    pub fn open_rotation_for(&self, token_id: &str) -> Result<Option<Rotation>> {
        store::rotations::open_for(&self.conn, token_id)?.map(Rotation::try_from).transpose()
    }

    /// Every unfinished rotation, oldest first: what to offer to resume after unlocking.
    pub fn open_rotations(&self) -> Result<Vec<Rotation>> {
        rotations(store::rotations::open_all(&self.conn)?)
    }

    /// Every rotation of a token, newest first (history).
    pub fn rotations_of(&self, token_id: &str) -> Result<Vec<Rotation>> {
        rotations(store::rotations::of_token(&self.conn, token_id)?)
    }
}

/// Refuses a step that the rotation is not ready for, naming where it is.
fn expect_step(rotation: &Rotation, allowed: &[RotationStep], action: &str) -> Result<()> {
    if allowed.contains(&rotation.step) {
        return Ok(());
    }
    let wanted: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    Err(Error::invalid(
        "rotation",
        format!(
            "cannot {action}: the rotation of '{}' is at step '{}' (this needs '{}')",
            rotation.token_name,
            rotation.step,
            wanted.join("' or '")
        ),
    ))
}

fn set_step(
    conn: &rusqlite::Connection,
    id: &str,
    from: RotationStep,
    to: RotationStep,
    now: DateTime<Utc>,
) -> Result<()> {
    if !store::rotations::set_step(conn, id, from.as_str(), to.as_str(), now)? {
        return Err(Error::invalid(
            "rotation",
            "the rotation changed meanwhile (another window or the CLI?): reopen it",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
