//! The only code that sends requests: puts the token in a header (never the URL), follows no
//! redirect, caps the body at 1 MiB and turns transport failures into [`AdapterError`]s. It
//! must never put a secret or a response body into an error.

use super::{base, dates, AdapterError, Client};
use chrono::Utc;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use std::io::{self, Read};
use url::Url;

/// Bodies larger than this are refused (no provider answer we read comes near it).
const BODY_CAP: u64 = 1 << 20;

/// How the token travels.
pub(crate) enum Auth<'a> {
    /// No credentials (GitHub's credential-revocation endpoint takes the token in the body).
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(&'a SecretString),
    /// A provider-specific header such as GitLab's `PRIVATE-TOKEN`.
    Header(&'static str, &'a SecretString),
}

pub(crate) struct Request<'a> {
    pub method: &'static str,
    /// Appended to the base URL; starts with `/`. Never holds a secret.
    pub path: String,
    pub auth: Auth<'a>,
    pub headers: &'a [(&'static str, &'static str)],
    /// A JSON body; zeroized after sending because GitHub's revoke body holds the token.
    pub json: Option<Zeroizing<Vec<u8>>>,
}

impl<'a> Request<'a> {
    pub fn new(method: &'static str, path: impl Into<String>, auth: Auth<'a>) -> Self {
        Request { method, path: path.into(), auth, headers: &[], json: None }
    }

    pub fn headers(mut self, headers: &'a [(&'static str, &'static str)]) -> Self {
        self.headers = headers;
        self
    }

    pub fn json(mut self, body: Zeroizing<Vec<u8>>) -> Self {
        self.json = Some(body);
        self
    }
}

/// A response of any status, read in full (up to the cap).
pub(crate) struct Reply {
    pub status: u16,
    headers: Vec<(String, String)>,
    /// Zeroized on drop: a rotation's answer holds the new token.
    body: Zeroizing<Vec<u8>>,
    /// `GET /user`, for error details.
    what: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as `T`. The error names the endpoint, never the body or serde's message (which
    /// can quote the body).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, AdapterError> {
        serde_json::from_slice(&self.body).map_err(|_| AdapterError::BadResponse {
            detail: format!("{} did not return the documented JSON", self.what),
        })
    }

    /// Like [`Reply::json`] but `None` when the body is not that JSON (error bodies vary).
    pub fn json_opt<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn bad(&self, why: &str) -> AdapterError {
        AdapterError::BadResponse { detail: format!("{} {why}", self.what) }
    }

    /// 429, or a 403 that says the rate limit is exhausted (GitHub's `x-ratelimit-remaining: 0`).
    pub fn rate_limited(&self) -> Option<AdapterError> {
        let exhausted = self.status == 403 && self.header("x-ratelimit-remaining").map(str::trim) == Some("0");
        if self.status != 429 && !exhausted {
            return None;
        }
        let now = Utc::now();
        let retry_after_secs = self
            .header("retry-after")
            .and_then(|raw| dates::retry_after(raw, now))
            .or_else(|| self.header("x-ratelimit-reset").and_then(|raw| dates::seconds_until_epoch(raw, now)));
        Some(AdapterError::RateLimited { retry_after_secs })
    }

    /// The error for a status the adapter has no special meaning for.
    pub fn status_error(&self) -> AdapterError {
        if let Some(limited) = self.rate_limited() {
            return limited;
        }
        match self.status {
            401 => AdapterError::Unauthorized,
            403 => AdapterError::Forbidden { detail: None },
            status => AdapterError::Provider { status },
        }
    }
}

impl Client {
    /// Sends one request. Every status comes back as a [`Reply`]; only transport failures are errors.
    pub(crate) fn send(&self, base: &Url, request: Request<'_>) -> Result<Reply, AdapterError> {
        base::check_base(base)?;
        let url = base::endpoint(base, &request.path)?;
        let host = url.host_str().unwrap_or("the provider").to_owned();
        let what = format!("{} {}", request.method, url.path());

        let mut call = self.agent.request_url(request.method, &url).set("Accept", "application/json");
        for (name, value) in request.headers {
            call = call.set(name, value);
        }
        match request.auth {
            Auth::None => {}
            Auth::Bearer(secret) => {
                let value = Zeroizing::new(format!("Bearer {}", secret.expose_secret()));
                call = call.set("Authorization", &value);
            }
            Auth::Header(name, secret) => call = call.set(name, secret.expose_secret()),
        }
        let result = match &request.json {
            Some(body) => call.set("Content-Type", "application/json").send_bytes(body),
            None => call.call(),
        };
        let response = match result {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(ureq::Error::Transport(transport)) => return Err(transport_error(&transport, host)),
        };

        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|name| response.header(&name).map(|value| (name.clone(), value.to_owned())))
            .collect();
        let mut body = Zeroizing::new(Vec::new());
        response.into_reader().take(BODY_CAP + 1).read_to_end(&mut body).map_err(|err| io_error(&err, host))?;
        if body.len() as u64 > BODY_CAP {
            return Err(AdapterError::BadResponse { detail: format!("{what} returned more than 1 MiB") });
        }
        Ok(Reply { status, headers, body, what })
    }
}

fn transport_error(transport: &ureq::Transport, host: String) -> AdapterError {
    use ureq::ErrorKind;
    let timed_out = std::error::Error::source(transport)
        .and_then(|source| source.downcast_ref::<io::Error>())
        .is_some_and(is_timeout);
    match transport.kind() {
        _ if timed_out => AdapterError::Timeout { host },
        ErrorKind::BadStatus | ErrorKind::BadHeader => {
            AdapterError::BadResponse { detail: format!("{host} did not answer in HTTP") }
        }
        ErrorKind::InvalidUrl | ErrorKind::UnknownScheme | ErrorKind::InsecureRequestHttpsOnly => {
            AdapterError::InsecureUrl { url: host }
        }
        // Dns, ConnectionFailed, Io (reset, refused, TLS failure) and the proxy kinds.
        _ => AdapterError::Offline { host },
    }
}

fn io_error(err: &io::Error, host: String) -> AdapterError {
    if is_timeout(err) {
        AdapterError::Timeout { host }
    } else {
        AdapterError::Offline { host }
    }
}

fn is_timeout(err: &io::Error) -> bool {
    matches!(err.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock)
}

/// A short machine word from a response (Slack's `error`, a status name) that is safe to show:
/// at most 64 characters of `[A-Za-z0-9_.:-]`, and not containing the secret.
pub(crate) fn safe_word(raw: &str, secret: &SecretString) -> Option<String> {
    let ok = !raw.is_empty()
        && raw.len() <= 64
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
        && !raw.contains(secret.expose_secret());
    ok.then(|| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_words_refuse_prose_and_the_secret() {
        let secret = SecretString::from("xoxb-canary-123");
        assert_eq!(safe_word("invalid_auth", &secret).as_deref(), Some("invalid_auth"));
        assert_eq!(safe_word("token is bad", &secret), None);
        assert_eq!(safe_word("xoxb-canary-123", &secret), None);
        assert_eq!(safe_word(&"a".repeat(65), &secret), None);
        assert_eq!(safe_word("", &secret), None);
    }
}
