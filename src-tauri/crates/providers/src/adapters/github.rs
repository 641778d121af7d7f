//! GitHub: verify with `GET /user` (scopes and expiry come in response headers); revoke with the
//! unauthenticated `POST /credentials/revoke`, which takes the token in the JSON body. GitHub
//! has no API to rotate a personal access token.

use super::http::{Auth, Request};
use super::{dates, AdapterError, Client, Revoked, Verification};
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

const HEADERS: &[(&str, &str)] = &[("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28")];

#[derive(Deserialize)]
struct User {
    login: String,
}

pub(super) fn verify(client: &Client, base: &Url, secret: &SecretString) -> Result<Verification, AdapterError> {
    let reply = client.send(base, Request::new("GET", "/user", Auth::Bearer(secret)).headers(HEADERS))?;
    if reply.status == 401 {
        return Ok(Verification::invalid("bad credentials: the token is invalid, expired or revoked"));
    }
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    let user: User = reply.json()?;
    Ok(Verification {
        valid: true,
        owner: Some(user.login),
        // Classic tokens list their scopes; fine-grained tokens send no header at all.
        scopes: reply.header("x-oauth-scopes").map(dates::scope_list),
        expires_at: reply.header("github-authentication-token-expiration").and_then(dates::github_expiration),
        ..Verification::default()
    })
}

pub(super) fn revoke(client: &Client, base: &Url, secret: &SecretString) -> Result<Revoked, AdapterError> {
    let body = serde_json::to_vec(&serde_json::json!({ "credentials": [secret.expose_secret()] }))
        .map_err(|_| AdapterError::BadResponse { detail: "could not encode the revocation request".to_owned() })?;
    let request = Request::new("POST", "/credentials/revoke", Auth::None).headers(HEADERS).json(Zeroizing::new(body));
    let reply = client.send(base, request)?;
    if reply.is_success() {
        // 202: GitHub revokes asynchronously and does not say whether the token existed.
        return Ok(Revoked { detail: Some("GitHub accepted the revocation request".to_owned()) });
    }
    Err(reply.status_error())
}
