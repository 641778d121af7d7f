//! Hugging Face: `GET /api/whoami-v2` with a Bearer token says who owns the token, its name,
//! its role (`read`, `write`) or, for fine-grained tokens, its permissions.

use super::http::{Auth, Request};
use super::{dates, AdapterError, Client, Verification};
use secrecy::SecretString;
use serde::Deserialize;
use std::collections::BTreeSet;
use url::Url;

#[derive(Deserialize)]
struct WhoAmI {
    name: String,
    auth: Option<AuthInfo>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthInfo {
    access_token: Option<AccessToken>,
    expires_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessToken {
    display_name: Option<String>,
    role: Option<String>,
    fine_grained: Option<FineGrained>,
    expiration: Option<String>,
}

#[derive(Deserialize)]
struct FineGrained {
    #[serde(default)]
    global: Vec<String>,
    #[serde(default)]
    scoped: Vec<Scoped>,
}

#[derive(Deserialize)]
struct Scoped {
    #[serde(default)]
    permissions: Vec<String>,
}

pub(super) fn verify(client: &Client, base: &Url, secret: &SecretString) -> Result<Verification, AdapterError> {
    let reply = client.send(base, Request::new("GET", "/api/whoami-v2", Auth::Bearer(secret)))?;
    if reply.status == 401 {
        return Ok(Verification::invalid("Hugging Face refused the token: it is invalid or was deleted"));
    }
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    let who: WhoAmI = reply.json()?;
    let auth = who.auth;
    let token = auth.as_ref().and_then(|auth| auth.access_token.as_ref());
    let scopes = token.and_then(|token| match &token.fine_grained {
        // Fine-grained: every permission, on any repository or organisation, once.
        Some(fine) => {
            let all: BTreeSet<&String> =
                fine.global.iter().chain(fine.scoped.iter().flat_map(|scoped| scoped.permissions.iter())).collect();
            Some(all.into_iter().cloned().collect())
        }
        None => token.role.clone().map(|role| vec![role]),
    });
    let expires_at = token
        .and_then(|token| token.expiration.as_deref())
        .or(auth.as_ref().and_then(|auth| auth.expires_at.as_deref()))
        .and_then(dates::rfc3339);
    Ok(Verification {
        valid: true,
        owner: Some(who.name),
        token_name: token.and_then(|token| token.display_name.clone()),
        scopes,
        expires_at,
        ..Verification::default()
    })
}
