//! Provider commands: detect a pasted secret, read the catalog, check a token at its provider,
//! open a provider's page, rotate and revoke. Checks, revocations and a rotation's check and
//! revoke-old steps ask the provider with the vault free and record the answer after (each
//! record re-checks the state it needs). The one exception is a rotation's API rotate call: the
//! provider may kill the old token as it issues the new one, so the vault stays held until the
//! new secret is sealed in it (Lock waits for at most the client timeout, 15 s).

use std::sync::Arc;

use chrono::Utc;
use secrecy::SecretString;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use tokenwarden_core::provider_api::{LiveApi, ProviderApi};
use tokenwarden_core::revocation::{OutcomeError, RevokeAnswer, RevokeHow, RevokeJob, RevokeOutcome, RevokeStep};
use tokenwarden_core::rotation::{OldRevocation, Rotation, RotationMethod, VerifiedBy};
use tokenwarden_core::{Error, TokenSummary};
use tokenwarden_providers::{catalog, detect};

use crate::ipc::{self, ProviderApiUrl, ProviderPage, ProviderView, RotationAction, VerifyOutcome};
use crate::state::Session;
use crate::{IpcError, ReminderTrigger};

/// What a pasted secret looks like. Needs no unlocked vault and stores nothing.
#[tauri::command]
pub async fn detect_secret(secret: SecretString) -> Result<Option<detect::Detection>, IpcError> {
    use secrecy::ExposeSecret;
    Ok(detect::detect(secret.expose_secret()))
}

#[tauri::command]
pub async fn provider_info(session: State<'_, Session>, provider: String) -> Result<Option<ProviderView>, IpcError> {
    let Some(entry) = catalog::provider(&provider) else { return Ok(None) };
    session.with_vault(|v| {
        let api = LiveApi::for_vault(v)?;
        Ok(Some(ProviderView {
            info: entry.clone(),
            checked_before: v.provider_checked_before(&provider)?,
            api_base: api.ops(&provider).verify.then(|| api.base_url(&provider).ok()).flatten(),
        }))
    })
}

/// Checks a token at its provider. The request runs on a blocking thread with the vault free, so
/// a slow provider holds up neither other commands nor auto-lock; only the answer is recorded.
#[tauri::command]
pub async fn verify_token(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    id: String,
) -> Result<VerifyOutcome, IpcError> {
    let (api, target) = session.with_vault(|v| {
        let api = LiveApi::for_vault(v)?;
        let target = v.check_target(&api, &id)?;
        Ok((api, target))
    })?;
    let answer = off_thread(move || api.verify(target.token.provider.as_str(), &target.secret)).await??;
    let now = Utc::now();
    let outcome = session.with_vault(|v| {
        let report = v.record_verification(&id, &answer, now)?;
        Ok(VerifyOutcome { token: TokenSummary::new(v.token(&id)?, now).into(), report })
    })?;
    reminders.poke();
    Ok(outcome)
}

/// Opens one of the catalog's pages for a provider in the default browser. Only catalog
/// addresses are opened, never one the UI makes up.
#[tauri::command]
pub async fn open_provider_page<R: Runtime>(
    app: AppHandle<R>,
    provider: String,
    page: ProviderPage,
) -> Result<(), IpcError> {
    let entry = catalog::provider(&provider).ok_or_else(|| Error::InvalidInput {
        field: "provider".into(),
        problem: format!("'{provider}' is not in the catalog"),
    })?;
    let urls = &entry.urls;
    let url = match page {
        ProviderPage::Create => urls.create.as_ref(),
        ProviderPage::Manage => urls.manage.as_ref(),
        ProviderPage::Rotate => urls.rotate.as_ref().or(urls.create.as_ref()),
        ProviderPage::Revoke => urls.revoke.as_ref().or(urls.manage.as_ref()),
        ProviderPage::Docs => urls.docs.as_ref(),
    }
    .or(urls.manage.as_ref())
    .ok_or_else(|| Error::InvalidInput {
        field: "page".into(),
        problem: format!("{} lists no such page", entry.name),
    })?;
    let url = https_only(url)?;
    app.opener().open_url(url, None::<&str>).map_err(|e| Error::Internal(format!("cannot open the browser: {e}")))?;
    Ok(())
}

/// The opener hands an address to the desktop's default handler, which for other schemes could be
/// any program: only `https://` pages with a host are opened, even from the catalog.
fn https_only(url: &str) -> Result<&str, Error> {
    match tauri::Url::parse(url) {
        Ok(parsed) if parsed.scheme() == "https" && parsed.host_str().is_some_and(|h| !h.is_empty()) => Ok(url),
        _ => {
            Err(Error::InvalidInput { field: "page".into(), problem: "only https:// provider pages are opened".into() })
        }
    }
}

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

/// Runs a provider call on a blocking thread, off the async runtime and with the vault free.
async fn off_thread<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> Result<T, IpcError> {
    let joined = tauri::async_runtime::spawn_blocking(call).await;
    Ok(joined.map_err(|e| Error::Internal(format!("the provider call stopped: {e}")))?)
}

/// The API address of every provider Tokenwarden can call, with the vault's overrides.
#[tauri::command]
pub async fn provider_api_urls(session: State<'_, Session>) -> Result<Vec<ProviderApiUrl>, IpcError> {
    session.with_vault(api_urls)
}

/// Sets (or with `null` clears) a provider's API address; refuses plain HTTP except to loopback.
/// Asks for the vault password again: the address decides where tokens are sent.
#[tauri::command]
pub async fn provider_api_url_set(
    session: State<'_, Session>,
    provider: String,
    url: Option<String>,
    password: SecretString,
) -> Result<Vec<ProviderApiUrl>, IpcError> {
    session.with_vault(|v| {
        // Where checks send tokens is for someone who knows the vault password now.
        v.confirm_password(&password)?;
        let url = url.as_deref().map(str::trim).filter(|u| !u.is_empty());
        v.set_provider_api_url(&provider, url, Utc::now())?;
        api_urls(v)
    })
}

fn api_urls(v: &mut tokenwarden_core::Vault) -> tokenwarden_core::Result<Vec<ProviderApiUrl>> {
    use tokenwarden_providers::adapters::{env_var_name, DEFAULT_BASES};
    let saved = v.provider_api_urls()?;
    Ok(DEFAULT_BASES
        .iter()
        .map(|(provider, default_url)| ProviderApiUrl {
            provider: (*provider).to_owned(),
            name: tokenwarden_core::provider_api::display_name(provider),
            default_url: (*default_url).to_owned(),
            url: saved.get(*provider).cloned(),
            env_url: std::env::var(env_var_name(provider)).ok().filter(|u| !u.trim().is_empty()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::https_only;

    #[test]
    fn the_opener_refuses_every_scheme_but_https() {
        assert_eq!(https_only("https://github.com/settings/tokens").ok(), Some("https://github.com/settings/tokens"));
        for refused in [
            "http://github.com/settings/tokens",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ssh://github.com",
            "smb://host/share",
            "/usr/bin/xterm",
            "not a url",
        ] {
            let error = https_only(refused).expect_err(refused);
            assert!(error.to_string().contains("only https://"), "{refused}: {error}");
        }
    }
}
