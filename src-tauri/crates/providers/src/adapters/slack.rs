//! Slack: `POST /auth.test` and `POST /auth.revoke` with a Bearer token. Slack answers most
//! errors with HTTP 200 and `{"ok": false, "error": "<code>"}`; the codes are machine words,
//! safe to show, and are checked to be so before they are.

use super::http::{safe_word, Auth, Reply, Request};
use super::{dates, AdapterError, Client, Revoked, Verification};
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

/// `error` codes that mean the token itself is no good.
const INVALID_TOKEN: &[&str] = &["invalid_auth", "token_revoked", "token_expired", "account_inactive", "not_authed"];
/// `error` codes that mean the token works but may not make this call.
const NOT_ALLOWED: &[&str] = &["missing_scope", "not_allowed_token_type", "no_permission", "ekm_access_denied"];

#[derive(Deserialize)]
struct Answer {
    ok: bool,
    error: Option<String>,
    user: Option<String>,
    team: Option<String>,
    needed: Option<String>,
}

enum Failure {
    InvalidToken(String),
    Error(AdapterError),
}

/// The answer if `ok: true`, else why not.
fn answer(reply: &Reply, secret: &SecretString) -> Result<Answer, Failure> {
    if reply.status == 401 {
        return Err(Failure::InvalidToken("invalid_auth".to_owned()));
    }
    if !reply.is_success() {
        return Err(Failure::Error(reply.status_error()));
    }
    let answer: Answer = reply.json().map_err(Failure::Error)?;
    if answer.ok {
        return Ok(answer);
    }
    let code = answer.error.as_deref().and_then(|code| safe_word(code, secret)).unwrap_or_else(|| "unknown".to_owned());
    Err(if INVALID_TOKEN.contains(&code.as_str()) {
        Failure::InvalidToken(code)
    } else if code == "ratelimited" {
        Failure::Error(AdapterError::RateLimited { retry_after_secs: None })
    } else if NOT_ALLOWED.contains(&code.as_str()) {
        let needed = answer.needed.as_deref().and_then(|needed| safe_word(needed, secret));
        let detail = match needed {
            Some(needed) => format!("{code}: needs {needed}"),
            None => code,
        };
        Failure::Error(AdapterError::Forbidden { detail: Some(detail) })
    } else {
        Failure::Error(reply.bad(&format!("reported the error `{code}`")))
    })
}

pub(super) fn verify(client: &Client, base: &Url, secret: &SecretString) -> Result<Verification, AdapterError> {
    let reply = client.send(base, Request::new("POST", "/auth.test", Auth::Bearer(secret)))?;
    let answer = match answer(&reply, secret) {
        Ok(answer) => answer,
        Err(Failure::InvalidToken(code)) => return Ok(Verification::invalid(code)),
        Err(Failure::Error(err)) => return Err(err),
    };
    let owner = match (answer.user, answer.team) {
        (Some(user), Some(team)) => Some(format!("{user} ({team})")),
        (user, team) => user.or(team),
    };
    Ok(Verification {
        valid: true,
        owner,
        scopes: reply.header("x-oauth-scopes").map(dates::scope_list),
        ..Verification::default()
    })
}

pub(super) fn revoke(client: &Client, base: &Url, secret: &SecretString) -> Result<Revoked, AdapterError> {
    let reply = client.send(base, Request::new("POST", "/auth.revoke", Auth::Bearer(secret)))?;
    match answer(&reply, secret) {
        Ok(_) => Ok(Revoked { detail: None }),
        Err(Failure::InvalidToken(_)) => Err(AdapterError::Unauthorized),
        Err(Failure::Error(err)) => Err(err),
    }
}
