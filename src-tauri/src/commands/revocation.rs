//! Revocation commands: revoke one token, or every token of a provider at once ("panic revoke").
//! The provider is asked with the vault free; the answer is recorded after.

use std::sync::Arc;

use chrono::Utc;
use tauri::State;
use tokenwarden_core::provider_api::LiveApi;
use tokenwarden_core::revocation::{OutcomeError, RevokeAnswer, RevokeHow, RevokeJob, RevokeOutcome, RevokeStep};

use super::providers::off_thread;
use crate::state::Session;
use crate::{IpcError, ReminderTrigger};

/// Revokes one token. The provider is asked on a blocking thread with the vault free (so the
/// rest of the app, and Lock, stay responsive); what it said is recorded after.
#[tauri::command]
pub async fn revoke_token(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    id: String,
    how: RevokeHow,
    reverify: bool,
) -> Result<RevokeOutcome, IpcError> {
    let (api, step) = session.with_vault(|v| {
        let api = LiveApi::for_vault(v)?;
        let step = v.prepare_revoke(&api, &id, how, reverify)?;
        Ok((Arc::new(api), step))
    })?;
    let outcome = match step {
        RevokeStep::Done(outcome) => outcome,
        RevokeStep::Call(job) => {
            let (job, answer) = run_off_thread(&api, job).await?;
            let answer = answer?;
            session.with_vault(|v| v.finish_revoke(&job, &answer, Utc::now()))?
        }
    };
    reminders.poke();
    Ok(outcome)
}

/// Revokes several tokens: the API ones one after another, each asked with the vault free; the
/// rest come back as `needs_manual`. One token's failure does not stop the others.
#[tauri::command]
pub async fn panic_revoke(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    ids: Vec<String>,
) -> Result<Vec<RevokeOutcome>, IpcError> {
    let api = Arc::new(session.with_vault(|v| LiveApi::for_vault(v))?);
    let mut outcomes = Vec::with_capacity(ids.len());
    for id in &ids {
        let outcome = match session.with_vault(|v| v.prepare_panic_revoke(&*api, id))? {
            RevokeStep::Done(outcome) => outcome,
            RevokeStep::Call(job) => {
                let (job, answer) = run_off_thread(&api, job).await?;
                let recorded = match answer {
                    Ok(answer) => session.with_vault(|v| v.finish_revoke(&job, &answer, Utc::now())),
                    Err(err) => Err(err.into()),
                };
                recorded.unwrap_or_else(|err| job.failed(OutcomeError { code: err.code, message: err.message }))
            }
        };
        outcomes.push(outcome);
    }
    reminders.poke();
    Ok(outcomes)
}

/// Runs a revocation's provider calls off the runtime and hands the job back with the answer.
async fn run_off_thread(
    api: &Arc<LiveApi>,
    job: RevokeJob,
) -> Result<(RevokeJob, tokenwarden_core::Result<RevokeAnswer>), IpcError> {
    let api = Arc::clone(api);
    off_thread(move || {
        let answer = job.run(&*api);
        (job, answer)
    })
    .await
}
