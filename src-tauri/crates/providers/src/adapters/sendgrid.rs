//! SendGrid: `GET /v3/scopes` with a Bearer token lists the API key's scopes. The account's user
//! name is read from `GET /v3/user/username` only when the key has the scope to read it.

use super::http::{Auth, Request};
use super::{AdapterError, Client, Verification};
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

#[derive(Deserialize)]
struct Scopes {
    scopes: Vec<String>,
}

#[derive(Deserialize)]
struct Username {
    username: String,
}

pub(super) fn verify(client: &Client, base: &Url, secret: &SecretString) -> Result<Verification, AdapterError> {
    let reply = client.send(base, Request::new("GET", "/v3/scopes", Auth::Bearer(secret)))?;
    if reply.status == 401 {
        return Ok(Verification::invalid("SendGrid refused the API key: it is invalid or was deleted"));
    }
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    let scopes = reply.json::<Scopes>()?.scopes;
    let owner = if scopes.iter().any(|scope| scope == "user.username.read") {
        client
            .send(base, Request::new("GET", "/v3/user/username", Auth::Bearer(secret)))
            .ok()
            .filter(|reply| reply.is_success())
            .and_then(|reply| reply.json_opt::<Username>())
            .map(|user| user.username)
    } else {
        None
    };
    Ok(Verification { valid: true, owner, scopes: Some(scopes), ..Verification::default() })
}
