//! Verify, rotate and revoke tokens against the providers' HTTPS APIs. One file per provider;
//! [`http`] is the only code that sends requests. A token only ever travels in a header (or, for
//! GitHub's revocation endpoint, the body) and never appears in a URL, an error or a log.
//!
//! Rotation semantics differ, and callers must honour them:
//! - GitLab and Cloudflare invalidate the old token in the same call that returns the new one:
//!   store [`Rotated::secret`] immediately, before anything else can fail.
//! - Vercel creates a second token; the old one stays valid until it is revoked separately
//!   (with the old secret, after the new one is stored).

mod base;
mod cloudflare;
mod dates;
mod digitalocean;
mod error;
mod github;
mod gitlab;
mod http;
mod hugging_face;
mod sendgrid;
mod slack;
mod vercel;

pub use base::{api_base, api_base_from, env_var_name, DEFAULT_BASES};
pub use error::AdapterError;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::Serialize;
use std::time::Duration;
use url::Url;

/// Which operations an adapter offers for a provider.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Ops {
    pub verify: bool,
    pub rotate: bool,
    pub revoke: bool,
}

const fn ops_of(verify: bool, rotate: bool, revoke: bool) -> Ops {
    Ops { verify, rotate, revoke }
}

/// Every provider with an adapter, and what it can do. Providers not listed can do nothing.
pub const SUPPORTED: &[(&str, Ops)] = &[
    ("github", ops_of(true, false, true)),
    ("gitlab", ops_of(true, true, true)),
    ("slack", ops_of(true, false, true)),
    ("hugging-face", ops_of(true, false, false)),
    ("cloudflare", ops_of(true, true, false)),
    ("digitalocean", ops_of(true, false, false)),
    ("vercel", ops_of(true, true, true)),
    ("sendgrid", ops_of(true, false, false)),
];

/// What the adapters can do for `provider` (all `false` for providers without an adapter).
pub fn ops(provider: &str) -> Ops {
    SUPPORTED.iter().find(|(id, _)| *id == provider).map(|(_, ops)| *ops).unwrap_or_default()
}

/// What the provider says about a token. Holds no secret.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verification {
    /// `false` when the provider refuses the token (invalid, expired, revoked, disabled).
    pub valid: bool,
    /// The account the token belongs to (login, user name or e-mail), when the provider says.
    pub owner: Option<String>,
    /// The token's name at the provider.
    pub token_name: Option<String>,
    /// `None` when the provider does not report scopes for this kind of token.
    pub scopes: Option<Vec<String>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// Where the last use came from (an IP address), where the provider reports it (GitLab's
    /// `last_used_ips`, newest last).
    pub last_used_source: Option<String>,
    /// A short reason, e.g. "token is revoked" or Slack's "invalid_auth".
    pub detail: Option<String>,
}

impl Verification {
    fn invalid(detail: impl Into<String>) -> Self {
        Verification { valid: false, detail: Some(detail.into()), ..Verification::default() }
    }
}

/// A new token from a rotation. Deliberately neither `Debug` nor `Serialize`: it holds a secret.
pub struct Rotated {
    pub secret: SecretString,
    pub expires_at: Option<DateTime<Utc>>,
    pub token_name: Option<String>,
}

/// The provider's answer to a revocation.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Revoked {
    pub detail: Option<String>,
}

/// A blocking HTTPS client for the adapters. Cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Default for Client {
    /// A client with a 15 s timeout.
    fn default() -> Self {
        Client::new(Duration::from_secs(15))
    }
}

impl Client {
    /// `timeout` bounds each request as a whole: connecting, sending and reading the answer.
    pub fn new(timeout: Duration) -> Client {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(timeout)
            .timeout(timeout)
            // A redirect could carry the Authorization header to another host: follow none,
            // and report a 3xx as a provider error.
            .redirects(0)
            .user_agent(concat!("tokenwarden/", env!("CARGO_PKG_VERSION")))
            .build();
        Client { agent, timeout }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Asks the provider whether the token works, and what it knows about it. A refused token is
    /// `Ok(Verification { valid: false, .. })`; errors are for everything that prevents an answer.
    pub fn verify(&self, provider: &str, base: &Url, secret: &SecretString) -> Result<Verification, AdapterError> {
        base::check_base(base)?;
        match provider {
            "github" => github::verify(self, base, secret),
            "gitlab" => gitlab::verify(self, base, secret),
            "slack" => slack::verify(self, base, secret),
            "hugging-face" => hugging_face::verify(self, base, secret),
            "cloudflare" => cloudflare::verify(self, base, secret),
            "digitalocean" => digitalocean::verify(self, base, secret),
            "vercel" => vercel::verify(self, base, secret),
            "sendgrid" => sendgrid::verify(self, base, secret),
            _ => Err(unsupported(provider, "verify")),
        }
    }

    /// Replaces the token with a new one. See the module docs: GitLab and Cloudflare invalidate
    /// the old token in this call; Vercel leaves it valid until it is revoked. `expires_at` is
    /// honoured where the provider accepts one (GitLab rounds up to a whole day; Vercel takes it
    /// as is; Cloudflare keeps the token's existing expiry and ignores it).
    pub fn rotate(
        &self,
        provider: &str,
        base: &Url,
        secret: &SecretString,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<Rotated, AdapterError> {
        base::check_base(base)?;
        match provider {
            "gitlab" => gitlab::rotate(self, base, secret, expires_at),
            "cloudflare" => cloudflare::rotate(self, base, secret),
            "vercel" => vercel::rotate(self, base, secret, expires_at),
            _ => Err(unsupported(provider, "rotate")),
        }
    }

    /// Makes the token stop working at the provider.
    pub fn revoke(&self, provider: &str, base: &Url, secret: &SecretString) -> Result<Revoked, AdapterError> {
        base::check_base(base)?;
        match provider {
            "github" => github::revoke(self, base, secret),
            "gitlab" => gitlab::revoke(self, base, secret),
            "slack" => slack::revoke(self, base, secret),
            "vercel" => vercel::revoke(self, base, secret),
            _ => Err(unsupported(provider, "revoke")),
        }
    }
}

fn unsupported(provider: &str, operation: &'static str) -> AdapterError {
    AdapterError::Unsupported { provider: provider.to_owned(), operation }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_supported_provider_has_a_default_base() {
        for (provider, _) in SUPPORTED {
            assert!(DEFAULT_BASES.iter().any(|(id, _)| id == provider), "{provider} has no default base");
        }
        assert_eq!(SUPPORTED.len(), DEFAULT_BASES.len());
    }

    #[test]
    fn unknown_providers_support_nothing() {
        assert_eq!(ops("aws"), Ops::default());
        assert_eq!(ops("gitlab"), Ops { verify: true, rotate: true, revoke: true });
    }

    #[test]
    fn operations_outside_the_table_are_unsupported_without_a_request() {
        // Port 9 (discard) on loopback: if a request were sent it would fail as Offline instead.
        let base = Url::parse("http://127.0.0.1:9/").unwrap();
        let client = Client::new(Duration::from_millis(200));
        let secret = SecretString::from("canary");
        for (provider, ops) in SUPPORTED.iter().chain([&("aws", Ops::default())]) {
            if !ops.rotate {
                let err = client.rotate(provider, &base, &secret, None).err().unwrap();
                assert_eq!(err.code(), "unsupported", "{provider}");
            }
            if !ops.revoke {
                let err = client.revoke(provider, &base, &secret).unwrap_err();
                assert_eq!(err.code(), "unsupported", "{provider}");
            }
            if !ops.verify {
                let err = client.verify(provider, &base, &secret).unwrap_err();
                assert_eq!(err.code(), "unsupported", "{provider}");
            }
        }
    }

    #[test]
    fn the_catalog_agrees_with_the_adapters_on_bases_and_operations() {
        for (provider, ops) in SUPPORTED {
            let entry = crate::catalog::provider(provider).expect("every adapter has a catalog entry");
            let base = DEFAULT_BASES.iter().find(|(id, _)| id == provider).map(|(_, b)| *b);
            assert_eq!(entry.api_base.as_deref(), base, "{provider}: api_base");
            assert_eq!(
                (entry.api.verify, entry.api.rotate, entry.api.revoke),
                (ops.verify, ops.rotate, ops.revoke),
                "{provider}: api operations"
            );
        }
        for entry in crate::catalog::catalog() {
            let any = entry.api.verify || entry.api.rotate || entry.api.revoke;
            assert_eq!(any, SUPPORTED.iter().any(|(id, _)| *id == entry.id), "{}: has an adapter", entry.id);
        }
    }
}
