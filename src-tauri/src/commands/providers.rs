//! Provider commands: detect a pasted secret, read the catalog, check a token at its provider,
//! open a provider's page, and the providers' API addresses. Rotation and revocation have files of
//! their own. A check asks the provider with the vault free and records the answer after.

use chrono::Utc;
use secrecy::SecretString;
use tauri::State;
use tokenwarden_core::provider_api::{LiveApi, ProviderApi};
use tokenwarden_core::{Error, TokenSummary};
use tokenwarden_providers::{catalog, detect};

use crate::ipc::{ProviderApiUrl, ProviderPage, ProviderView, VerifyOutcome};
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
pub async fn open_provider_page(provider: String, page: ProviderPage) -> Result<(), IpcError> {
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
    crate::browser::open(url).map_err(|e| Error::Internal(format!("cannot open the browser: {e}")))?;
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

/// Runs a provider call on a blocking thread, off the async runtime and with the vault free.
pub(super) async fn off_thread<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> Result<T, IpcError> {
    let joined = tauri::async_runtime::spawn_blocking(call).await;
    Ok(joined.map_err(|e| Error::Internal(format!("the provider call stopped: {e}")))?)
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
