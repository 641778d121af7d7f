//! Rotation commands: start, resume and step a rotation. A rotation's check and revoke-old steps
//! ask the provider with the vault free and record the answer after (each record re-checks the
//! state it needs). The one exception is the API rotate call: the provider may kill the old token
//! as it issues the new one, so the vault stays held until the new secret is sealed in it (Lock
//! waits for at most the client timeout, 15 s).

use chrono::Utc;
use tauri::State;
use tokenwarden_core::provider_api::LiveApi;
use tokenwarden_core::revocation::RevokeHow;
use tokenwarden_core::rotation::{OldRevocation, Rotation, RotationMethod, VerifiedBy};
use tokenwarden_core::Error;

use super::providers::off_thread;
use crate::ipc::{self, RotationAction};
use crate::state::Session;
use crate::{IpcError, ReminderTrigger};

#[tauri::command]
pub async fn rotation_start(
    session: State<'_, Session>,
    token_id: String,
    method: RotationMethod,
) -> Result<Rotation, IpcError> {
    session.with_vault(|v| {
        let api = LiveApi::for_vault(v)?;
        let provider = v.token(&token_id)?.provider;
        if !method.available(&api, provider.as_str()) {
            return Err(Error::InvalidInput {
                field: "method".into(),
                problem: format!(
                    "{} has no rotation API: use the guided rotation",
                    tokenwarden_core::provider_api::display_name(provider.as_str())
                ),
            });
        }
        v.start_rotation(&token_id, method, Utc::now())
    })
}

#[tauri::command]
pub async fn rotation_for(session: State<'_, Session>, token_id: String) -> Result<Option<Rotation>, IpcError> {
    session.with_vault(|v| v.open_rotation_for(&token_id))
}

#[tauri::command]
pub async fn rotations_open(session: State<'_, Session>) -> Result<Vec<Rotation>, IpcError> {
    session.with_vault(|v| v.open_rotations())
}

/// One step of a rotation. The new token's check and the old token's API revocation ask the
/// provider with the vault free; the API rotation holds it through the call (see the module doc).
#[tauri::command]
pub async fn rotation_step(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    rotation_id: String,
    action: RotationAction,
) -> Result<Rotation, IpcError> {
    let now = Utc::now();
    let id = rotation_id.as_str();
    let rotation = match action {
        RotationAction::Verify => {
            let (api, call) = session.with_vault(|v| {
                let api = LiveApi::for_vault(v)?;
                let call = v.prepare_rotation_check(&api, id)?;
                Ok((api, call))
            })?;
            let answer = off_thread(move || call.verify(&api)).await??;
            session.with_vault(|v| v.finish_rotation_check(id, &answer, now))?
        }
        RotationAction::RevokeOld { how: RevokeHow::Api | RevokeHow::ReportLeak } => {
            let (api, revocation) = session.with_vault(|v| {
                let api = LiveApi::for_vault(v)?;
                let revocation = v.prepare_old_revocation(&api, id, now)?;
                Ok((api, revocation))
            })?;
            match revocation {
                OldRevocation::Recorded(rotation) => *rotation,
                OldRevocation::Call(call) => {
                    off_thread(move || call.revoke(&api)).await??;
                    session.with_vault(|v| v.finish_old_revocation(id, now))?
                }
            }
        }
        RotationAction::RevokeOld { how: RevokeHow::Confirmed } => {
            session.with_vault(|v| v.record_old_revoked(id, "confirmed", now))?
        }
        RotationAction::RevokeOld { how: RevokeHow::Later } => {
            session.with_vault(|v| v.mark_old_for_manual_revocation(id, now))?
        }
        RotationAction::ApiRotate { expires_at } => session.with_vault(|v| {
            let api = LiveApi::for_vault(v)?;
            let expires_at = ipc::parse_expiry(expires_at.as_deref(), now)?;
            v.rotate_via_api(&api, id, expires_at, now)
        })?,
        RotationAction::StoreSecret { secret, expires_at } => session.with_vault(|v| {
            let expires_at = ipc::parse_expiry(expires_at.as_deref(), now)?;
            v.store_rotation_secret(id, &secret, expires_at, false, now)
        })?,
        RotationAction::ConfirmWorks => {
            session.with_vault(|v| v.mark_rotation_verified(id, VerifiedBy::User, None, now))?
        }
        RotationAction::Tick { usage_id, done } => session.with_vault(|v| v.tick_consumer(id, &usage_id, done, now))?,
        RotationAction::ConsumersDone => session.with_vault(|v| v.finish_consumers(id, now))?,
        RotationAction::Promote => session.with_vault(|v| v.promote_rotation(id, now))?,
        RotationAction::Finish => session.with_vault(|v| v.finish_rotation(id, now))?,
        RotationAction::Abort => session.with_vault(|v| v.abort_rotation(id, now))?,
    };
    reminders.poke();
    Ok(rotation)
}
