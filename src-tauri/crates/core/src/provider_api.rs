//! The seam between the vault and providers' APIs. Vault logic takes a `&dyn ProviderApi`, so
//! it never reads the environment or opens a socket itself; `LiveApi` is the real one (HTTPS
//! adapters from tokenwarden-providers, with per-provider base URL overrides). Tests point
//! `LiveApi` at the local fake provider server through those overrides.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use tokenwarden_providers::adapters::{self, AdapterError, Client, Ops, Revoked, Rotated, Verification};

use crate::error::{Error, Result};
use crate::vault::Vault;

/// What Tokenwarden can ask of a provider. Implementations never log or keep the secret.
pub trait ProviderApi: Send + Sync {
    /// Which operations exist for this provider.
    fn ops(&self, provider: &str) -> Ops;
    fn verify(&self, provider: &str, secret: &SecretString) -> Result<Verification>;
    fn rotate(&self, provider: &str, secret: &SecretString, expires_at: Option<DateTime<Utc>>) -> Result<Rotated>;
    fn revoke(&self, provider: &str, secret: &SecretString) -> Result<Revoked>;
    /// Where requests for this provider go (for the "what the check will do" notice).
    fn base_url(&self, provider: &str) -> Result<String>;
}

/// Told, once per provider, that a `TOKENWARDEN_API_<PROVIDER>` variable sends its requests
/// elsewhere: (provider id, the variable's name, the base URL in effect).
pub type EnvOverrideNotice = Box<dyn Fn(&str, &str, &url::Url) + Send + Sync>;

/// The real providers over HTTPS (or HTTP to loopback, which only tests use).
pub struct LiveApi {
    client: Client,
    /// Per-provider base URLs from the vault settings; the env var and the real default follow.
    overrides: BTreeMap<String, String>,
    notice: Option<EnvOverrideNotice>,
    /// Providers the notice was given for already.
    noticed: Mutex<BTreeSet<String>>,
}

impl LiveApi {
    pub fn new(overrides: BTreeMap<String, String>, timeout: Duration) -> LiveApi {
        LiveApi { client: Client::new(timeout), overrides, notice: None, noticed: Mutex::new(BTreeSet::new()) }
    }

    /// With the vault's base URL overrides and a 15 s timeout.
    pub fn for_vault(vault: &Vault) -> Result<LiveApi> {
        Ok(LiveApi::new(vault.provider_api_urls()?, Duration::from_secs(15)))
    }

    /// Calls `notice` the first time a provider's base URL comes from the environment variable
    /// rather than the vault's settings or the real default, so the front end can warn.
    pub fn with_env_override_notice(mut self, notice: EnvOverrideNotice) -> LiveApi {
        self.notice = Some(notice);
        self
    }

    fn base(&self, provider: &str) -> Result<url::Url> {
        let setting = self.overrides.get(provider).map(String::as_str);
        let base = adapters::api_base(provider, setting)
            .map_err(|source| Error::Provider { provider: display_name(provider), source })?;
        if let Some(notice) = &self.notice {
            let var = adapters::env_var_name(provider);
            let from_env =
                setting.is_none_or(|s| s.trim().is_empty()) && std::env::var(&var).is_ok_and(|v| !v.trim().is_empty());
            let first = self.noticed.lock().map(|mut seen| seen.insert(provider.to_owned())).unwrap_or(true);
            if from_env && first {
                notice(provider, &var, &base);
            }
        }
        Ok(base)
    }
}

impl ProviderApi for LiveApi {
    fn ops(&self, provider: &str) -> Ops {
        adapters::ops(provider)
    }

    fn verify(&self, provider: &str, secret: &SecretString) -> Result<Verification> {
        let base = self.base(provider)?;
        self.client
            .verify(provider, &base, secret)
            .map_err(|source| Error::Provider { provider: display_name(provider), source })
    }

    fn rotate(&self, provider: &str, secret: &SecretString, expires_at: Option<DateTime<Utc>>) -> Result<Rotated> {
        let base = self.base(provider)?;
        self.client
            .rotate(provider, &base, secret, expires_at)
            .map_err(|source| Error::Provider { provider: display_name(provider), source })
    }

    fn revoke(&self, provider: &str, secret: &SecretString) -> Result<Revoked> {
        let base = self.base(provider)?;
        self.client
            .revoke(provider, &base, secret)
            .map_err(|source| Error::Provider { provider: display_name(provider), source })
    }

    fn base_url(&self, provider: &str) -> Result<String> {
        Ok(self.base(provider)?.to_string())
    }
}

/// A provider's name as the catalog spells it; an unknown id as typed.
pub use tokenwarden_providers::display_name;

/// The refusal when a provider lacks an API: "GitHub has no rotation API: use the guided rotation".
pub(crate) fn no_api(field: &str, provider: &str, operation: &str, instead: &str) -> Error {
    Error::invalid(field, format!("{} has no {operation} API: {instead}", display_name(provider)))
}

/// Whether the provider kills the old secret in the same call that issues the new one, so the
/// old token needs no revocation afterwards (GitLab's self-rotate, Cloudflare's roll).
pub fn rotation_invalidates_old(provider: &str) -> bool {
    matches!(provider, "gitlab" | "cloudflare")
}

/// Keeps the error type from the adapters crate for callers that branch on it.
pub fn adapter_error(err: &Error) -> Option<&AdapterError> {
    match err {
        Error::Provider { source, .. } => Some(source),
        _ => None,
    }
}

const API_URLS_KEY: &str = "provider_api_urls";

impl Vault {
    /// Per-provider API base URLs the user set (a self-hosted GitLab, say).
    pub fn provider_api_urls(&self) -> Result<BTreeMap<String, String>> {
        self.setting_json(API_URLS_KEY).map(Option::unwrap_or_default)
    }

    /// Sets (or with `None` clears) a provider's API base URL. Refuses an address adapters would
    /// refuse (plain HTTP other than loopback, credentials or a query in the URL).
    pub fn set_provider_api_url(&mut self, provider: &str, url: Option<&str>, now: DateTime<Utc>) -> Result<()> {
        let mut urls = self.provider_api_urls()?;
        match url {
            Some(url) => {
                let parsed =
                    adapters::api_base(provider, Some(url)).map_err(|e| Error::invalid("url", e.to_string()))?;
                urls.insert(provider.to_owned(), parsed.to_string());
            }
            None => {
                urls.remove(provider);
            }
        }
        self.set_setting_json(API_URLS_KEY, &urls, now)
    }
}
