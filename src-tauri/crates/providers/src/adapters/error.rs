//! What can go wrong when Tokenwarden talks to a provider, with a stable `code()` per kind for the
//! UI to branch on. Messages say what happened and what to do; they never hold a secret or any
//! part of a response body (bodies can echo the token back). They do not name the provider:
//! callers prefix it ("GitLab: The token was refused (401): ...").

/// A failed verify, rotate or revoke call. "The token is invalid" is not an error of `verify`
/// (that is `Verification { valid: false }`), only of rotate and revoke.
#[derive(Debug, thiserror::Error)]
pub enum AdapterError {
    /// DNS or connect failure: the machine is offline or the host is unreachable.
    #[error("Could not reach {host}: check the network connection (or the API URL setting) and try again.")]
    Offline { host: String },
    /// Connecting or reading took longer than the client's timeout.
    #[error("{host} did not answer in time: try again later.")]
    Timeout { host: String },
    /// 401 on a call that needs a working token (rotate, revoke).
    #[error("The token was refused (401): it is invalid, expired or revoked.")]
    Unauthorized,
    /// 403: the token works but lacks the permission (scope) for this call.
    #[error("{}", forbidden_message(.detail.as_deref()))]
    Forbidden { detail: Option<String> },
    /// 429, or GitHub's 403 with `x-ratelimit-remaining: 0`.
    #[error("{}", rate_limited_message(*.retry_after_secs))]
    RateLimited { retry_after_secs: Option<u64> },
    /// A 5xx, a redirect or another status the adapter does not expect.
    #[error("{}", provider_message(*.status))]
    Provider { status: u16 },
    /// A body that is not what the provider documents. `detail` is written by the adapter and
    /// never quotes the body.
    #[error("The provider's answer was not understood ({detail}): its API may have changed; please report this.")]
    BadResponse { detail: String },
    /// An API base URL that is not https (plain http is allowed only to loopback), or that
    /// carries a user name, password or query. `url` is shown without those parts.
    #[error("Refusing the API URL {url}: use https:// (http:// only to 127.0.0.1, ::1 or localhost), without user name, password or query.")]
    InsecureUrl { url: String },
    /// The provider has no adapter for this operation.
    #[error("Tokenwarden cannot {operation} {provider} tokens: do it on the provider's website.")]
    Unsupported { provider: String, operation: &'static str },
}

impl AdapterError {
    /// A stable identifier for the UI and the CLI's `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            AdapterError::Offline { .. } => "provider_offline",
            AdapterError::Timeout { .. } => "provider_timeout",
            AdapterError::Unauthorized => "provider_unauthorized",
            AdapterError::Forbidden { .. } => "provider_forbidden",
            AdapterError::RateLimited { .. } => "provider_rate_limited",
            AdapterError::Provider { .. } => "provider_error",
            AdapterError::BadResponse { .. } => "provider_bad_response",
            AdapterError::InsecureUrl { .. } => "insecure_url",
            AdapterError::Unsupported { .. } => "unsupported",
        }
    }
}

fn forbidden_message(detail: Option<&str>) -> String {
    match detail {
        Some(detail) => format!(
            "The token works but may not do this (403: {detail}): give it the missing permission, or do this on the provider's website."
        ),
        None => "The token works but may not do this (403): give it the missing permission, or do this on the provider's website."
            .to_owned(),
    }
}

fn rate_limited_message(retry_after_secs: Option<u64>) -> String {
    match retry_after_secs {
        Some(secs) => format!("Rate-limited: try again in {secs} s."),
        None => "Rate-limited: try again in a few minutes.".to_owned(),
    }
}

fn provider_message(status: u16) -> String {
    match status {
        300..=399 => format!(
            "The provider answered with a redirect ({status}), which Tokenwarden does not follow with a token: check the API URL setting."
        ),
        500..=599 => format!("The provider had an internal error ({status}): try again later."),
        _ => format!("The provider answered with an unexpected status ({status}): try again later, or check the API URL setting."),
    }
}
