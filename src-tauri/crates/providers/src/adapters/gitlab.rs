//! GitLab: the token inspects, rotates and revokes itself through
//! `/api/v4/personal_access_tokens/self`, authenticated with the `PRIVATE-TOKEN` header.
//! Rotation revokes the old token in the same call.

use super::http::{Auth, Request};
use super::{dates, AdapterError, Client, Revoked, Rotated, Verification};
use chrono::{DateTime, Utc};
use secrecy::zeroize::Zeroizing;
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

const SELF_PATH: &str = "/api/v4/personal_access_tokens/self";

#[derive(Deserialize)]
struct Token {
    name: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default = "yes")]
    active: bool,
    #[serde(default)]
    revoked: bool,
    expires_at: Option<String>,
    last_used_at: Option<String>,
    /// The addresses the token was last used from (GitLab 17.x and later), newest last.
    last_used_ips: Option<Vec<String>>,
    user_id: Option<u64>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct User {
    username: String,
}

#[derive(Deserialize)]
struct RotatedToken {
    token: String,
    name: Option<String>,
    expires_at: Option<String>,
}

fn auth(secret: &SecretString) -> Auth<'_> {
    Auth::Header("PRIVATE-TOKEN", secret)
}

pub(super) fn verify(client: &Client, base: &Url, secret: &SecretString) -> Result<Verification, AdapterError> {
    let reply = client.send(base, Request::new("GET", SELF_PATH, auth(secret)))?;
    if reply.status == 401 {
        return Ok(Verification::invalid("GitLab refused the token: it is invalid, expired or revoked"));
    }
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    let token: Token = reply.json()?;
    let expires_at = token.expires_at.as_deref().and_then(dates::gitlab_expiry);
    let detail = if token.revoked {
        Some("token is revoked")
    } else if !token.active {
        Some("token is inactive (expired)")
    } else {
        None
    };
    let valid = detail.is_none();
    let owner = if valid { owner(client, base, secret, token.user_id) } else { token.user_id.map(user_label) };
    Ok(Verification {
        valid,
        owner,
        token_name: token.name,
        scopes: Some(token.scopes),
        expires_at,
        last_used_at: token.last_used_at.as_deref().and_then(dates::rfc3339),
        last_used_source: token
            .last_used_ips
            .as_deref()
            .and_then(<[String]>::last)
            .map(|ip| ip.chars().take(64).collect()),
        detail: detail.map(str::to_owned),
    })
}

/// The user name from `GET /api/v4/user` when the token may read it (scope `read_user` or
/// `api`), else `user #<id>`: verification must not fail for a narrowly scoped token.
fn owner(client: &Client, base: &Url, secret: &SecretString, user_id: Option<u64>) -> Option<String> {
    let named = client
        .send(base, Request::new("GET", "/api/v4/user", auth(secret)))
        .ok()
        .filter(|reply| reply.is_success())
        .and_then(|reply| reply.json_opt::<User>())
        .map(|user| user.username);
    named.or_else(|| user_id.map(user_label))
}

fn user_label(id: u64) -> String {
    format!("user #{id}")
}

pub(super) fn rotate(
    client: &Client,
    base: &Url,
    secret: &SecretString,
    expires_at: Option<DateTime<Utc>>,
) -> Result<Rotated, AdapterError> {
    let mut request = Request::new("POST", format!("{SELF_PATH}/rotate"), auth(secret));
    if let Some(at) = expires_at {
        let body = serde_json::json!({ "expires_at": dates::gitlab_expiry_date(at).to_string() });
        request = request.json(Zeroizing::new(body.to_string().into_bytes()));
    }
    let reply = client.send(base, request)?;
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    let rotated: RotatedToken = reply.json()?;
    if rotated.token.is_empty() {
        return Err(reply.bad("returned an empty token"));
    }
    Ok(Rotated {
        secret: SecretString::from(rotated.token),
        expires_at: rotated.expires_at.as_deref().and_then(dates::gitlab_expiry),
        token_name: rotated.name,
    })
}

pub(super) fn revoke(client: &Client, base: &Url, secret: &SecretString) -> Result<Revoked, AdapterError> {
    let reply = client.send(base, Request::new("DELETE", SELF_PATH, auth(secret)))?;
    if reply.is_success() {
        return Ok(Revoked { detail: None });
    }
    Err(reply.status_error())
}
