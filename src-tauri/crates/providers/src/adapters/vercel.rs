//! Vercel: `GET /v5/user/tokens/current` describes the token; rotation creates a second token
//! with `POST /v3/user/tokens` (the old one stays valid until revoked); revocation is
//! `DELETE /v3/user/tokens/current`. Vercel answers an unknown token with 403 and
//! `"invalidToken": true` rather than 401.

use super::http::{Auth, Reply, Request};
use super::{dates, AdapterError, Client, Revoked, Rotated, Verification};
use chrono::{DateTime, Utc};
use secrecy::zeroize::Zeroizing;
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

#[derive(Deserialize)]
struct Current {
    token: TokenInfo,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenInfo {
    name: Option<String>,
    #[serde(default)]
    scopes: Vec<Scope>,
    expires_at: Option<i64>,
    active_at: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Scope {
    #[serde(rename = "type")]
    kind: String,
    team_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorInfo,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorInfo {
    #[serde(default)]
    invalid_token: bool,
}

#[derive(Deserialize)]
struct UserBody {
    user: User,
}

#[derive(Deserialize)]
struct User {
    username: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    token: TokenInfo,
    bearer_token: String,
}

fn token_refused(reply: &Reply) -> bool {
    reply.status == 401
        || (reply.status == 403 && reply.json_opt::<ErrorBody>().is_some_and(|body| body.error.invalid_token))
}

/// The current token's metadata, or `None` when Vercel refuses the token.
fn current(client: &Client, base: &Url, secret: &SecretString) -> Result<Option<TokenInfo>, AdapterError> {
    let reply = client.send(base, Request::new("GET", "/v5/user/tokens/current", Auth::Bearer(secret)))?;
    if token_refused(&reply) {
        return Ok(None);
    }
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    Ok(Some(reply.json::<Current>()?.token))
}

pub(super) fn verify(client: &Client, base: &Url, secret: &SecretString) -> Result<Verification, AdapterError> {
    let Some(token) = current(client, base, secret)? else {
        return Ok(Verification::invalid("Vercel refused the token: it is invalid, expired or deleted"));
    };
    let scopes = token
        .scopes
        .iter()
        .map(|scope| match &scope.team_id {
            Some(team) => format!("{}:{team}", scope.kind),
            None => scope.kind.clone(),
        })
        .collect();
    Ok(Verification {
        valid: true,
        owner: owner(client, base, secret),
        token_name: token.name,
        scopes: Some(scopes),
        expires_at: token.expires_at.and_then(dates::epoch_millis),
        last_used_at: token.active_at.and_then(dates::epoch_millis),
        last_used_source: None,
        detail: None,
    })
}

/// The user name (or e-mail) from `GET /v2/user`; `None` for tokens scoped to a team only.
fn owner(client: &Client, base: &Url, secret: &SecretString) -> Option<String> {
    let reply = client.send(base, Request::new("GET", "/v2/user", Auth::Bearer(secret))).ok()?;
    let user = reply.is_success().then(|| reply.json_opt::<UserBody>()).flatten()?.user;
    user.username.or(user.email)
}

/// Creates a second token with the same name. The old token keeps working: the caller revokes
/// it (with the old secret) once the new one is stored.
pub(super) fn rotate(
    client: &Client,
    base: &Url,
    secret: &SecretString,
    expires_at: Option<DateTime<Utc>>,
) -> Result<Rotated, AdapterError> {
    let Some(old) = current(client, base, secret)? else {
        return Err(AdapterError::Unauthorized);
    };
    let name = old.name.unwrap_or_else(|| "tokenwarden".to_owned());
    let mut body = serde_json::json!({ "name": name });
    if let Some(at) = expires_at {
        body["expiresAt"] = serde_json::json!(at.timestamp_millis());
    }
    let request = Request::new("POST", "/v3/user/tokens", Auth::Bearer(secret))
        .json(Zeroizing::new(body.to_string().into_bytes()));
    let reply = client.send(base, request)?;
    if token_refused(&reply) {
        return Err(AdapterError::Unauthorized);
    }
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    let created: Created = reply.json()?;
    if created.bearer_token.is_empty() {
        return Err(reply.bad("returned an empty token"));
    }
    Ok(Rotated {
        secret: SecretString::from(created.bearer_token),
        expires_at: created.token.expires_at.and_then(dates::epoch_millis),
        token_name: created.token.name,
    })
}

pub(super) fn revoke(client: &Client, base: &Url, secret: &SecretString) -> Result<Revoked, AdapterError> {
    let reply = client.send(base, Request::new("DELETE", "/v3/user/tokens/current", Auth::Bearer(secret)))?;
    if token_refused(&reply) {
        return Err(AdapterError::Unauthorized);
    }
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    Ok(Revoked { detail: None })
}
