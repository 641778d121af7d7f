//! Cloudflare: `GET /user/tokens/verify` says whether a token is active and when it expires;
//! rotation "rolls" the token's value with `PUT /user/tokens/{id}/value`, which invalidates the
//! old value at once and keeps the token's permissions and expiry.

use super::http::{safe_word, Auth, Request};
use super::{dates, AdapterError, Client, Rotated, Verification};
use chrono::{DateTime, Utc};
use secrecy::zeroize::Zeroizing;
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    success: bool,
    result: Option<T>,
}

#[derive(Deserialize)]
struct TokenStatus {
    id: String,
    status: String,
    expires_on: Option<String>,
}

struct Checked {
    verification: Verification,
    id: Option<String>,
}

fn check(client: &Client, base: &Url, secret: &SecretString) -> Result<Checked, AdapterError> {
    let reply = client.send(base, Request::new("GET", "/user/tokens/verify", Auth::Bearer(secret)))?;
    // 400 is what Cloudflare answers for a malformed token, 401 for an unknown one.
    if matches!(reply.status, 400 | 401) {
        let verification = Verification::invalid("Cloudflare refused the token: it is invalid or was deleted");
        return Ok(Checked { verification, id: None });
    }
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    let envelope: Envelope<TokenStatus> = reply.json()?;
    let status = match envelope.result {
        Some(status) if envelope.success => status,
        _ => return Err(reply.bad("reported no success")),
    };
    let valid = status.status == "active";
    let detail = (!valid).then(|| {
        let word = safe_word(&status.status, secret).unwrap_or_else(|| "not active".to_owned());
        format!("token is {word}")
    });
    let verification = Verification {
        valid,
        expires_at: status.expires_on.as_deref().and_then(dates::rfc3339),
        detail,
        ..Verification::default()
    };
    Ok(Checked { verification, id: Some(status.id) })
}

pub(super) fn verify(client: &Client, base: &Url, secret: &SecretString) -> Result<Verification, AdapterError> {
    Ok(check(client, base, secret)?.verification)
}

/// Rolls the token: a verify call finds its id, then the roll replaces its value.
pub(super) fn rotate(client: &Client, base: &Url, secret: &SecretString) -> Result<Rotated, AdapterError> {
    let checked = check(client, base, secret)?;
    let id = match checked.id {
        Some(id) if checked.verification.valid => id,
        _ => return Err(AdapterError::Unauthorized),
    };
    // The id goes into the path: accept only what Cloudflare's ids are made of (32 hex digits).
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AdapterError::BadResponse {
            detail: "GET /user/tokens/verify returned a malformed token id".to_owned(),
        });
    }
    let request = Request::new("PUT", format!("/user/tokens/{id}/value"), Auth::Bearer(secret))
        .json(Zeroizing::new(b"{}".to_vec()));
    let reply = client.send(base, request)?;
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    let envelope: Envelope<String> = reply.json()?;
    let value = match envelope.result {
        Some(value) if envelope.success && !value.is_empty() => value,
        _ => return Err(reply.bad("returned no new token value")),
    };
    let expires_at: Option<DateTime<Utc>> = checked.verification.expires_at;
    Ok(Rotated { secret: SecretString::from(value), expires_at, token_name: None })
}
