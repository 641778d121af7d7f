//! DigitalOcean: `GET /v2/account` with a Bearer token names the account (e-mail). Scopes and
//! expiry are not reported.

use super::http::{safe_word, Auth, Request};
use super::{AdapterError, Client, Verification};
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

#[derive(Deserialize)]
struct Envelope {
    account: Account,
}

#[derive(Deserialize)]
struct Account {
    email: Option<String>,
    status: Option<String>,
}

pub(super) fn verify(client: &Client, base: &Url, secret: &SecretString) -> Result<Verification, AdapterError> {
    let reply = client.send(base, Request::new("GET", "/v2/account", Auth::Bearer(secret)))?;
    if reply.status == 401 {
        return Ok(Verification::invalid("DigitalOcean refused the token: it is invalid, expired or revoked"));
    }
    if !reply.is_success() {
        return Err(reply.status_error());
    }
    let account = reply.json::<Envelope>()?.account;
    // The token works even when the account is locked or warned; say so without failing.
    let detail =
        account.status.as_deref().filter(|status| *status != "active").map(|status| {
            format!("account is {}", safe_word(status, secret).unwrap_or_else(|| "not active".to_owned()))
        });
    Ok(Verification { valid: true, owner: account.email, detail, ..Verification::default() })
}
