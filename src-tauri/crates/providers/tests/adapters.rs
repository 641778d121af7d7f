//! The HTTPS adapters against the fake provider server (`tests/fake-providers/server.py`): what
//! each provider's verify, rotate and revoke report, how failures map to errors, and that a
//! token never reaches a URL, an error message or a Debug string.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../../tests/fake-providers/fake.rs"]
mod fake;

use chrono::{DateTime, Utc};
use fake::FakeProviders;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::time::Duration;
use tokenwarden_providers::adapters::{
    api_base, api_base_from, env_var_name, ops, AdapterError, Client, Ops, DEFAULT_BASES, SUPPORTED,
};
use url::Url;

fn secret(value: &str) -> SecretString {
    SecretString::from(value.to_owned())
}

fn at(raw: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(raw).unwrap().with_timezone(&Utc)
}

fn base(fake: &FakeProviders, provider: &str) -> Url {
    api_base(provider, Some(&fake.url(provider))).unwrap()
}

fn client() -> Client {
    Client::new(Duration::from_secs(5))
}

/// Every request the fake saw carried no token in its URL.
fn assert_no_token_in_urls(fake: &FakeProviders) {
    let requests = fake.requests();
    for request in requests.as_array().unwrap() {
        assert_eq!(request["token_in_url"], false, "{request}");
    }
}

// -- GitHub ----------------------------------------------------------------------------------

#[test]
fn github_classic_token_verifies_with_login_scopes_and_expiry() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "github", "token": "ghp_classic", "owner": "octocat",
        "scopes": ["repo", "read:org"], "expires_at": "2030-12-31T23:59:59Z"}));
    let verification = client().verify("github", &base(&fake, "github"), &secret("ghp_classic")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.owner.as_deref(), Some("octocat"));
    assert_eq!(verification.scopes, Some(vec!["repo".to_owned(), "read:org".to_owned()]));
    assert_eq!(verification.expires_at, Some(at("2030-12-31T23:59:59Z")));
    let requests = fake.requests();
    assert_eq!(requests[0]["auth_header"], "authorization");
    assert_eq!(requests[0]["auth_scheme"], "Bearer");
    assert!(requests[0]["user_agent"].as_str().unwrap().starts_with("tokenwarden/"));
}

#[test]
fn github_fine_grained_token_reports_no_scopes_and_its_offset_style_expiry() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "github", "token": "github_pat_fine", "owner": "octocat",
        "expires_at": "2030-06-01T12:00:00Z", "expiry_format": "offset"}));
    let verification = client().verify("github", &base(&fake, "github"), &secret("github_pat_fine")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.scopes, None);
    assert_eq!(verification.expires_at, Some(at("2030-06-01T12:00:00Z")));
}

#[test]
fn github_unknown_token_is_invalid_rather_than_an_error() {
    let fake = FakeProviders::start();
    let verification = client().verify("github", &base(&fake, "github"), &secret("ghp_unknown")).unwrap();
    assert!(!verification.valid);
    assert!(verification.detail.is_some());
    assert_eq!(verification.owner, None);
}

#[test]
fn github_revoke_sends_the_token_only_in_the_body_and_the_token_then_fails_to_verify() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "github", "token": "ghp_doomed", "owner": "octocat", "scopes": []}));
    let github = base(&fake, "github");
    client().revoke("github", &github, &secret("ghp_doomed")).unwrap();
    assert_eq!(fake.token("ghp_doomed")["revoked"], true);
    assert!(!client().verify("github", &github, &secret("ghp_doomed")).unwrap().valid);
    let requests = fake.requests();
    assert_eq!(requests[0]["path"], "/credentials/revoke");
    assert_eq!(requests[0]["auth_header"], serde_json::Value::Null, "the revocation endpoint is unauthenticated");
    assert_eq!(requests[0]["token_in_body"], true);
    assert_no_token_in_urls(&fake);
}

#[test]
fn github_cannot_rotate_and_sends_nothing_trying() {
    let fake = FakeProviders::start();
    let err = client().rotate("github", &base(&fake, "github"), &secret("ghp_x"), None).err().unwrap();
    assert!(matches!(err, AdapterError::Unsupported { operation: "rotate", .. }), "{err:?}");
    assert_eq!(fake.requests().as_array().unwrap().len(), 0);
}

// -- GitLab ----------------------------------------------------------------------------------

#[test]
fn gitlab_token_verifies_with_username_name_scopes_expiry_and_last_use() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "gitlab", "token": "glpat-valid", "owner": "alice", "name": "ci",
        "scopes": ["api", "read_repository"], "expires_at": "2030-03-31", "last_used_at": "2026-11-01T08:30:00Z"}));
    let verification = client().verify("gitlab", &base(&fake, "gitlab"), &secret("glpat-valid")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.owner.as_deref(), Some("alice"));
    assert_eq!(verification.token_name.as_deref(), Some("ci"));
    assert_eq!(verification.scopes, Some(vec!["api".to_owned(), "read_repository".to_owned()]));
    // GitLab expires a token at 00:00 UTC on its expiry date.
    assert_eq!(verification.expires_at, Some(at("2030-03-31T00:00:00Z")));
    assert_eq!(verification.last_used_at, Some(at("2026-11-01T08:30:00Z")));
    let requests = fake.requests();
    assert!(requests.as_array().unwrap().iter().all(|r| r["auth_header"] == "private-token"), "{requests}");
}

#[test]
fn gitlab_token_that_may_not_read_the_user_names_the_owner_by_user_id() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "gitlab", "token": "glpat-narrow", "owner": "alice",
        "scopes": ["read_repository"], "user_id": 7}));
    let verification = client().verify("gitlab", &base(&fake, "gitlab"), &secret("glpat-narrow")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.owner.as_deref(), Some("user #7"));
}

#[test]
fn gitlab_reports_the_address_of_the_last_use_as_its_source() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "gitlab", "token": "glpat-used", "scopes": ["read_api"],
        "last_used_ips": ["198.51.100.1", "203.0.113.9"]}));
    let verification = client().verify("gitlab", &base(&fake, "gitlab"), &secret("glpat-used")).unwrap();
    assert_eq!(verification.last_used_source.as_deref(), Some("203.0.113.9"), "the newest address");
    fake.add_token(json!({"provider": "gitlab", "token": "glpat-unused", "scopes": ["read_api"]}));
    let verification = client().verify("gitlab", &base(&fake, "gitlab"), &secret("glpat-unused")).unwrap();
    assert_eq!(verification.last_used_source, None);
}

#[test]
fn gitlab_unknown_token_is_invalid() {
    let fake = FakeProviders::start();
    let verification = client().verify("gitlab", &base(&fake, "gitlab"), &secret("glpat-unknown")).unwrap();
    assert!(!verification.valid);
}

#[test]
fn gitlab_rotate_invalidates_the_old_token_and_carries_the_requested_expiry() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "gitlab", "token": "glpat-old", "owner": "alice", "name": "deploy",
        "scopes": ["api"], "expires_at": "2027-01-15"}));
    let gitlab = base(&fake, "gitlab");
    let rotated = client().rotate("gitlab", &gitlab, &secret("glpat-old"), Some(at("2030-02-01T00:00:00Z"))).unwrap();
    let new_value = rotated.secret.expose_secret().to_owned();
    assert!(new_value.starts_with("glpat-") && new_value != "glpat-old");
    assert_eq!(rotated.expires_at, Some(at("2030-02-01T00:00:00Z")));
    assert_eq!(rotated.token_name.as_deref(), Some("deploy"));
    assert!(!client().verify("gitlab", &gitlab, &secret("glpat-old")).unwrap().valid);
    let fresh = client().verify("gitlab", &gitlab, &rotated.secret).unwrap();
    assert!(fresh.valid);
    assert_eq!(fresh.expires_at, Some(at("2030-02-01T00:00:00Z")));
    assert_eq!(fake.token(&new_value)["rotated_from"], "glpat-old");
    assert_no_token_in_urls(&fake);
}

#[test]
fn gitlab_rotate_rounds_a_mid_day_expiry_up_to_the_next_day() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "gitlab", "token": "glpat-noon", "scopes": ["api"]}));
    let rotated = client()
        .rotate("gitlab", &base(&fake, "gitlab"), &secret("glpat-noon"), Some(at("2030-02-01T12:00:00Z")))
        .unwrap();
    assert_eq!(rotated.expires_at, Some(at("2030-02-02T00:00:00Z")));
}

#[test]
fn gitlab_revoke_makes_the_token_invalid() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "gitlab", "token": "glpat-revoke-me", "scopes": ["api"]}));
    let gitlab = base(&fake, "gitlab");
    client().revoke("gitlab", &gitlab, &secret("glpat-revoke-me")).unwrap();
    assert!(!client().verify("gitlab", &gitlab, &secret("glpat-revoke-me")).unwrap().valid);
    assert_eq!(fake.token("glpat-revoke-me")["revoked"], true);
}

#[test]
fn revoking_an_unknown_token_is_unauthorized() {
    let fake = FakeProviders::start();
    let err = client().revoke("gitlab", &base(&fake, "gitlab"), &secret("glpat-nobody")).unwrap_err();
    assert!(matches!(err, AdapterError::Unauthorized), "{err:?}");
    assert_eq!(err.code(), "provider_unauthorized");
    let err = client().rotate("gitlab", &base(&fake, "gitlab"), &secret("glpat-nobody"), None).err().unwrap();
    assert!(matches!(err, AdapterError::Unauthorized), "{err:?}");
}

// -- Slack -----------------------------------------------------------------------------------

#[test]
fn slack_token_verifies_with_user_team_and_scopes() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "slack", "token": "xoxb-valid", "owner": "deploybot", "team": "Acme",
        "scopes": ["chat:write", "channels:read"]}));
    let verification = client().verify("slack", &base(&fake, "slack"), &secret("xoxb-valid")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.owner.as_deref(), Some("deploybot (Acme)"));
    assert_eq!(verification.scopes, Some(vec!["chat:write".to_owned(), "channels:read".to_owned()]));
    assert_eq!(fake.requests()[0]["auth_scheme"], "Bearer");
}

#[test]
fn slack_unknown_token_is_invalid_with_slacks_error_code() {
    let fake = FakeProviders::start();
    let verification = client().verify("slack", &base(&fake, "slack"), &secret("xoxb-unknown")).unwrap();
    assert!(!verification.valid);
    assert_eq!(verification.detail.as_deref(), Some("invalid_auth"));
}

#[test]
fn slack_revoke_then_verify_says_token_revoked() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "slack", "token": "xoxp-doomed", "scopes": []}));
    let slack = base(&fake, "slack");
    client().revoke("slack", &slack, &secret("xoxp-doomed")).unwrap();
    let verification = client().verify("slack", &slack, &secret("xoxp-doomed")).unwrap();
    assert!(!verification.valid);
    assert_eq!(verification.detail.as_deref(), Some("token_revoked"));
    let err = client().revoke("slack", &slack, &secret("xoxp-doomed")).unwrap_err();
    assert!(matches!(err, AdapterError::Unauthorized), "{err:?}");
}

#[test]
fn slack_missing_scope_is_forbidden_with_the_needed_scope() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "slack", "token": "xoxb-scoped"}));
    fake.fail(json!({"provider": "slack", "status": 200,
        "body": {"ok": false, "error": "missing_scope", "needed": "auth:revoke"}}));
    let err = client().revoke("slack", &base(&fake, "slack"), &secret("xoxb-scoped")).unwrap_err();
    match err {
        AdapterError::Forbidden { detail } => assert_eq!(detail.as_deref(), Some("missing_scope: needs auth:revoke")),
        other => panic!("{other:?}"),
    }
}

// -- Hugging Face ----------------------------------------------------------------------------

#[test]
fn hugging_face_role_token_verifies_with_name_and_role() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "hugging-face", "token": "hf_read", "owner": "julien", "name": "laptop",
        "scopes": ["read"]}));
    let verification = client().verify("hugging-face", &base(&fake, "hugging-face"), &secret("hf_read")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.owner.as_deref(), Some("julien"));
    assert_eq!(verification.token_name.as_deref(), Some("laptop"));
    assert_eq!(verification.scopes, Some(vec!["read".to_owned()]));
    assert_eq!(verification.expires_at, None);
}

#[test]
fn hugging_face_fine_grained_permissions_are_flattened() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "hugging-face", "token": "hf_fine", "owner": "julien",
        "scopes": ["repo.content.read", "inference.serverless.write"], "expires_at": "2030-01-01T00:00:00Z"}));
    let verification = client().verify("hugging-face", &base(&fake, "hugging-face"), &secret("hf_fine")).unwrap();
    assert_eq!(
        verification.scopes,
        Some(vec!["inference.serverless.write".to_owned(), "repo.content.read".to_owned()])
    );
    assert_eq!(verification.expires_at, Some(at("2030-01-01T00:00:00Z")));
}

#[test]
fn hugging_face_unknown_token_is_invalid() {
    let fake = FakeProviders::start();
    let verification = client().verify("hugging-face", &base(&fake, "hugging-face"), &secret("hf_nope")).unwrap();
    assert!(!verification.valid);
}

// -- Cloudflare ------------------------------------------------------------------------------

#[test]
fn cloudflare_active_token_verifies_with_its_expiry() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "cloudflare", "token": "cf-active-token-value-0000000000000000000",
        "expires_at": "2030-05-01T00:00:00Z"}));
    let verification = client()
        .verify("cloudflare", &base(&fake, "cloudflare"), &secret("cf-active-token-value-0000000000000000000"))
        .unwrap();
    assert!(verification.valid);
    assert_eq!(verification.expires_at, Some(at("2030-05-01T00:00:00Z")));
    assert_eq!(verification.detail, None);
}

#[test]
fn cloudflare_disabled_token_is_invalid_and_says_why() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "cloudflare", "token": "cf-disabled", "status": "disabled"}));
    let verification = client().verify("cloudflare", &base(&fake, "cloudflare"), &secret("cf-disabled")).unwrap();
    assert!(!verification.valid);
    assert_eq!(verification.detail.as_deref(), Some("token is disabled"));
}

#[test]
fn cloudflare_unknown_token_is_invalid() {
    let fake = FakeProviders::start();
    let verification = client().verify("cloudflare", &base(&fake, "cloudflare"), &secret("cf-unknown")).unwrap();
    assert!(!verification.valid);
}

#[test]
fn cloudflare_roll_invalidates_the_old_value_and_keeps_the_token() {
    let fake = FakeProviders::start();
    let stored =
        fake.add_token(json!({"provider": "cloudflare", "token": "cf-old", "expires_at": "2030-05-01T00:00:00Z"}));
    let cloudflare = base(&fake, "cloudflare");
    let rotated = client().rotate("cloudflare", &cloudflare, &secret("cf-old"), None).unwrap();
    assert_ne!(rotated.secret.expose_secret(), "cf-old");
    assert_eq!(rotated.expires_at, Some(at("2030-05-01T00:00:00Z")));
    assert!(!client().verify("cloudflare", &cloudflare, &secret("cf-old")).unwrap().valid);
    assert!(client().verify("cloudflare", &cloudflare, &rotated.secret).unwrap().valid);
    let new_record = fake.token(rotated.secret.expose_secret());
    assert_eq!(new_record["id"], stored["id"], "a roll keeps the token's id");
    assert_eq!(new_record["rotated_from"], "cf-old");
    let roll = fake.requests().as_array().unwrap().iter().find(|r| r["method"] == "PUT").cloned().unwrap();
    assert_eq!(roll["path"], format!("/user/tokens/{}/value", stored["id"].as_str().unwrap()));
    assert_no_token_in_urls(&fake);
}

// -- DigitalOcean ----------------------------------------------------------------------------

#[test]
fn digitalocean_token_verifies_with_the_account_email() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "digitalocean", "token": "dop_v1_valid", "owner": "ops@example.com"}));
    let digitalocean = base(&fake, "digitalocean");
    let verification = client().verify("digitalocean", &digitalocean, &secret("dop_v1_valid")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.owner.as_deref(), Some("ops@example.com"));
    assert_eq!(verification.scopes, None);
    assert!(!client().verify("digitalocean", &digitalocean, &secret("dop_v1_unknown")).unwrap().valid);
}

#[test]
fn digitalocean_locked_account_still_verifies_but_says_so() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "digitalocean", "token": "dop_v1_locked", "status": "locked"}));
    let verification = client().verify("digitalocean", &base(&fake, "digitalocean"), &secret("dop_v1_locked")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.detail.as_deref(), Some("account is locked"));
}

// -- Vercel ----------------------------------------------------------------------------------

#[test]
fn vercel_token_verifies_with_username_name_scopes_expiry_and_last_use() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "vercel", "token": "vercel-valid", "owner": "rauch", "name": "ci",
        "scopes": ["user", "team:team_acme"], "expires_at": "2030-07-01T00:00:00Z",
        "last_used_at": "2026-10-10T10:10:10Z"}));
    let vercel = base(&fake, "vercel");
    let verification = client().verify("vercel", &vercel, &secret("vercel-valid")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.owner.as_deref(), Some("rauch"));
    assert_eq!(verification.token_name.as_deref(), Some("ci"));
    assert_eq!(verification.scopes, Some(vec!["user".to_owned(), "team:team_acme".to_owned()]));
    assert_eq!(verification.expires_at, Some(at("2030-07-01T00:00:00Z")));
    assert_eq!(verification.last_used_at, Some(at("2026-10-10T10:10:10Z")));
    assert!(!client().verify("vercel", &vercel, &secret("vercel-unknown")).unwrap().valid);
}

#[test]
fn vercel_rotate_creates_a_second_token_and_leaves_the_old_one_valid() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "vercel", "token": "vercel-old", "owner": "rauch", "name": "ci"}));
    let vercel = base(&fake, "vercel");
    let rotated = client().rotate("vercel", &vercel, &secret("vercel-old"), Some(at("2030-01-01T00:00:00Z"))).unwrap();
    assert_eq!(rotated.token_name.as_deref(), Some("ci"));
    assert_eq!(rotated.expires_at, Some(at("2030-01-01T00:00:00Z")));
    assert!(client().verify("vercel", &vercel, &secret("vercel-old")).unwrap().valid, "the old token stays valid");
    assert!(client().verify("vercel", &vercel, &rotated.secret).unwrap().valid);
    assert_eq!(fake.token(rotated.secret.expose_secret())["rotated_from"], "vercel-old");
    // The caller then revokes the old one.
    client().revoke("vercel", &vercel, &secret("vercel-old")).unwrap();
    assert!(!client().verify("vercel", &vercel, &secret("vercel-old")).unwrap().valid);
    assert!(client().verify("vercel", &vercel, &rotated.secret).unwrap().valid);
    assert_no_token_in_urls(&fake);
}

#[test]
fn vercel_revoking_an_unknown_token_is_unauthorized() {
    let fake = FakeProviders::start();
    let err = client().revoke("vercel", &base(&fake, "vercel"), &secret("vercel-nobody")).unwrap_err();
    assert!(matches!(err, AdapterError::Unauthorized), "{err:?}");
}

// -- SendGrid --------------------------------------------------------------------------------

#[test]
fn sendgrid_key_verifies_with_scopes_and_the_username_when_readable() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "sendgrid", "token": "SG.valid", "owner": "mailer",
        "scopes": ["mail.send", "user.username.read"]}));
    fake.add_token(json!({"provider": "sendgrid", "token": "SG.sendonly", "owner": "mailer", "scopes": ["mail.send"]}));
    let sendgrid = base(&fake, "sendgrid");
    let verification = client().verify("sendgrid", &sendgrid, &secret("SG.valid")).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.owner.as_deref(), Some("mailer"));
    assert_eq!(verification.scopes, Some(vec!["mail.send".to_owned(), "user.username.read".to_owned()]));
    let narrow = client().verify("sendgrid", &sendgrid, &secret("SG.sendonly")).unwrap();
    assert!(narrow.valid);
    assert_eq!(narrow.owner, None);
    assert!(!client().verify("sendgrid", &sendgrid, &secret("SG.unknown")).unwrap().valid);
}

// -- Failures --------------------------------------------------------------------------------

#[test]
fn a_403_is_forbidden() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "gitlab", "token": "glpat-ok", "scopes": ["api"]}));
    fake.fail(json!({"provider": "gitlab", "path_contains": "/personal_access_tokens/self", "status": 403}));
    let err = client().revoke("gitlab", &base(&fake, "gitlab"), &secret("glpat-ok")).unwrap_err();
    assert!(matches!(err, AdapterError::Forbidden { .. }), "{err:?}");
    assert_eq!(err.code(), "provider_forbidden");
    // The rule fired once; the token is untouched.
    assert_eq!(fake.token("glpat-ok")["revoked"], false);
}

#[test]
fn a_429_with_retry_after_is_rate_limited_for_that_long() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "slack", "token": "xoxb-busy"}));
    fake.fail(json!({"provider": "slack", "status": 429, "retry_after": 30}));
    let err = client().verify("slack", &base(&fake, "slack"), &secret("xoxb-busy")).unwrap_err();
    assert!(matches!(err, AdapterError::RateLimited { retry_after_secs: Some(30) }), "{err:?}");
    assert_eq!(err.to_string(), "Rate-limited: try again in 30 s.");
}

#[test]
fn github_403_with_no_requests_left_is_rate_limited_until_the_reset() {
    let fake = FakeProviders::start();
    let reset = Utc::now().timestamp() + 120;
    fake.fail(json!({"provider": "github", "status": 403,
        "headers": {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset.to_string()}}));
    let err = client().verify("github", &base(&fake, "github"), &secret("ghp_any")).unwrap_err();
    match err {
        AdapterError::RateLimited { retry_after_secs: Some(secs) } => assert!((100..=120).contains(&secs), "{secs}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_500_is_a_provider_error() {
    let fake = FakeProviders::start();
    fake.fail(json!({"provider": "hugging-face", "status": 500}));
    let err = client().verify("hugging-face", &base(&fake, "hugging-face"), &secret("hf_any")).unwrap_err();
    assert!(matches!(err, AdapterError::Provider { status: 500 }), "{err:?}");
    assert_eq!(err.code(), "provider_error");
}

#[test]
fn a_redirect_is_not_followed() {
    let fake = FakeProviders::start();
    fake.fail(json!({"provider": "digitalocean", "status": 302,
        "headers": {"Location": format!("{}/_admin/requests", fake.base)}}));
    let err = client().verify("digitalocean", &base(&fake, "digitalocean"), &secret("dop_v1_any")).unwrap_err();
    assert!(matches!(err, AdapterError::Provider { status: 302 }), "{err:?}");
    assert_eq!(fake.requests().as_array().unwrap().len(), 1, "exactly one request: no redirect followed");
}

#[test]
fn a_body_that_is_not_the_documented_json_is_a_bad_response() {
    let fake = FakeProviders::start();
    fake.fail(json!({"provider": "sendgrid", "status": 200, "body": ["not", "an", "object"]}));
    let err = client().verify("sendgrid", &base(&fake, "sendgrid"), &secret("SG.any")).unwrap_err();
    assert!(matches!(err, AdapterError::BadResponse { .. }), "{err:?}");
    assert_eq!(err.code(), "provider_bad_response");
}

#[test]
fn a_slow_answer_times_out() {
    let fake = FakeProviders::start();
    fake.add_token(json!({"provider": "vercel", "token": "vercel-slow"}));
    fake.fail(json!({"provider": "vercel", "delay_ms": 2000}));
    let started = std::time::Instant::now();
    let err = Client::new(Duration::from_millis(500))
        .verify("vercel", &base(&fake, "vercel"), &secret("vercel-slow"))
        .unwrap_err();
    assert!(matches!(err, AdapterError::Timeout { .. }), "{err:?}");
    assert_eq!(err.code(), "provider_timeout");
    assert!(started.elapsed() < Duration::from_millis(1900), "{:?}", started.elapsed());
}

#[test]
fn a_closed_port_is_offline() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let base = api_base("gitlab", Some(&format!("http://127.0.0.1:{port}/gitlab"))).unwrap();
    let err = client().verify("gitlab", &base, &secret("glpat-any")).unwrap_err();
    match &err {
        AdapterError::Offline { host } => assert_eq!(host, "127.0.0.1"),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), "provider_offline");
}

// -- Base URLs -------------------------------------------------------------------------------

#[test]
fn api_base_refuses_plain_http_except_to_loopback() {
    for refused in ["http://example.com", "http://10.0.0.1/api", "ftp://127.0.0.1/", "http://localhost.example.com/"] {
        let err = api_base("gitlab", Some(refused)).unwrap_err();
        assert_eq!(err.code(), "insecure_url", "{refused}");
    }
    for accepted in [
        "http://127.0.0.1:1234/x",
        "http://127.1.2.3/",
        "http://[::1]:1/",
        "http://localhost:8080/gitlab",
        "https://gitlab.example.com",
    ] {
        assert!(api_base("gitlab", Some(accepted)).is_ok(), "{accepted}");
    }
}

#[test]
fn api_base_refuses_userinfo_and_query_strings() {
    for refused in [
        "https://user:pass@gitlab.example.com",
        "https://user@gitlab.example.com",
        "https://gitlab.example.com/?private_token=x",
        "https://gitlab.example.com/#frag",
        "not a url",
    ] {
        let err = api_base("gitlab", Some(refused)).unwrap_err();
        assert!(matches!(err, AdapterError::InsecureUrl { .. }), "{refused}: {err:?}");
    }
}

#[test]
fn api_base_prefers_the_setting_then_the_environment_then_the_default() {
    let setting = "https://setting.example";
    let env = "https://env.example";
    assert_eq!(api_base_from("gitlab", Some(setting), Some(env)).unwrap().as_str(), "https://setting.example/");
    assert_eq!(api_base_from("gitlab", None, Some(env)).unwrap().as_str(), "https://env.example/");
    assert_eq!(api_base_from("gitlab", Some("  "), Some(env)).unwrap().as_str(), "https://env.example/");
    assert_eq!(api_base_from("gitlab", None, None).unwrap().as_str(), "https://gitlab.com/");
    assert_eq!(api_base_from("gitlab", None, Some("")).unwrap().as_str(), "https://gitlab.com/");
    let err = api_base_from("gitlab", None, Some("http://env.example")).unwrap_err();
    assert_eq!(err.code(), "insecure_url", "the environment passes the same gate");
    let err = api_base_from("no-such-provider", None, None).unwrap_err();
    assert_eq!(err.code(), "unsupported");
}

#[test]
fn api_base_reads_the_environment_variable() {
    // A provider id no other test uses, so setting the variable races with nothing.
    let provider = "env-only-test-provider";
    assert_eq!(env_var_name(provider), "TOKENWARDEN_API_ENV_ONLY_TEST_PROVIDER");
    std::env::set_var(env_var_name(provider), "http://127.0.0.1:4321/fake");
    let base = api_base(provider, None);
    std::env::remove_var(env_var_name(provider));
    assert_eq!(base.unwrap().as_str(), "http://127.0.0.1:4321/fake");
}

#[test]
fn default_bases_are_https_and_cover_every_supported_provider() {
    for (provider, ops) in SUPPORTED {
        assert!(ops.verify, "{provider}: every adapter at least verifies");
        let base = api_base_from(provider, None, None).unwrap();
        assert_eq!(base.scheme(), "https");
    }
    assert_eq!(DEFAULT_BASES.len(), SUPPORTED.len());
    assert_eq!(ops("aws"), Ops::default());
    assert_eq!(ops("vercel"), Ops { verify: true, rotate: true, revoke: true });
}

// -- Secrets ---------------------------------------------------------------------------------

#[test]
fn every_provider_sends_its_own_auth_header_and_never_a_token_in_the_url() {
    let fake = FakeProviders::start();
    let tokens = [
        ("github", "ghp_header_check"),
        ("gitlab", "glpat-header-check"),
        ("slack", "xoxb-header-check"),
        ("hugging-face", "hf_header_check"),
        ("cloudflare", "cf-header-check"),
        ("digitalocean", "dop_v1_header_check"),
        ("vercel", "vercel-header-check"),
        ("sendgrid", "SG.header_check"),
    ];
    for (provider, token) in tokens {
        fake.add_token(json!({"provider": provider, "token": token, "scopes": ["api"]}));
        assert!(client().verify(provider, &base(&fake, provider), &secret(token)).unwrap().valid, "{provider}");
        // And once with a token the fake does not know.
        assert!(
            !client().verify(provider, &base(&fake, provider), &secret("unknown-token")).unwrap().valid,
            "{provider}"
        );
    }
    for (provider, token) in tokens {
        if ops(provider).rotate {
            client().rotate(provider, &base(&fake, provider), &secret(token), None).ok().unwrap();
        }
    }
    let requests = fake.requests();
    let requests = requests.as_array().unwrap();
    assert!(requests.len() >= 16);
    for request in requests {
        assert_eq!(request["token_in_url"], false, "{request}");
        assert!(request["user_agent"].as_str().unwrap().starts_with("tokenwarden/"), "{request}");
        match request["provider"].as_str().unwrap() {
            "gitlab" => assert_eq!(request["auth_header"], "private-token", "{request}"),
            _ => {
                assert_eq!(request["auth_header"], "authorization", "{request}");
                assert_eq!(request["auth_scheme"], "Bearer", "{request}");
            }
        }
    }
}

#[test]
fn no_error_message_or_debug_output_contains_the_secret() {
    const CANARY: &str = "canary-7f3a9c1e5b2d4f60";
    let fake = FakeProviders::start();
    let canary = secret(CANARY);
    let gitlab = base(&fake, "gitlab");
    let mut errors: Vec<AdapterError> = Vec::new();

    // Unauthorized: the fake does not know the canary.
    errors.push(client().revoke("gitlab", &gitlab, &canary).unwrap_err());
    fake.add_token(json!({"provider": "gitlab", "token": CANARY, "scopes": ["api"]}));
    fake.add_token(json!({"provider": "slack", "token": CANARY}));
    // Bodies that echo the token back, with every status the adapters map.
    let echo = json!({"message": format!("bad token {CANARY}"), "ok": false, "error": CANARY});
    for status in [403, 429, 500, 418] {
        fake.fail(json!({"provider": "gitlab", "status": status, "body": echo}));
        errors.push(client().revoke("gitlab", &gitlab, &canary).unwrap_err());
    }
    // A 200 whose body is the wrong shape: serde's message would quote the value, so it must not show.
    let misshapen = json!({"scopes": format!("bad token {CANARY}"), "token": ["bad token", CANARY]});
    fake.fail(json!({"provider": "gitlab", "status": 200, "body": misshapen}));
    errors.push(client().verify("gitlab", &gitlab, &canary).unwrap_err());
    fake.fail(json!({"provider": "gitlab", "status": 200, "body": misshapen}));
    errors.push(client().rotate("gitlab", &gitlab, &canary, None).err().unwrap());
    // Slack's 200 ok:false with the token as the error code.
    fake.fail(json!({"provider": "slack", "status": 200, "body": echo}));
    errors.push(client().verify("slack", &base(&fake, "slack"), &canary).unwrap_err());
    fake.fail(
        json!({"provider": "slack", "status": 200, "body": {"ok": false, "error": "missing_scope", "needed": CANARY}}),
    );
    errors.push(client().verify("slack", &base(&fake, "slack"), &canary).unwrap_err());
    // Timeout, offline, a refused URL (with the canary as its password and query), unsupported.
    fake.fail(json!({"provider": "gitlab", "delay_ms": 1500}));
    errors.push(Client::new(Duration::from_millis(300)).verify("gitlab", &gitlab, &canary).unwrap_err());
    let closed = api_base("gitlab", Some("http://127.0.0.1:1/")).unwrap();
    errors.push(client().verify("gitlab", &closed, &canary).unwrap_err());
    errors.push(api_base("gitlab", Some(&format!("https://me:{CANARY}@gitlab.example.com/?t={CANARY}"))).unwrap_err());
    errors.push(client().rotate("github", &base(&fake, "github"), &canary, None).err().unwrap());

    let codes: std::collections::BTreeSet<&str> = errors.iter().map(AdapterError::code).collect();
    for code in [
        "provider_unauthorized",
        "provider_forbidden",
        "provider_rate_limited",
        "provider_error",
        "provider_bad_response",
        "provider_timeout",
        "provider_offline",
        "insecure_url",
        "unsupported",
    ] {
        assert!(codes.contains(code), "no error with code {code}: {codes:?}");
    }
    for err in &errors {
        let shown = format!("{err} | {err:?}");
        assert!(!shown.contains(CANARY), "{shown}");
        assert!(!shown.contains("bad token"), "an error quotes a response body: {shown}");
    }
    // Nor do the successful results.
    fake.reset();
    fake.add_token(json!({"provider": "gitlab", "token": CANARY, "scopes": ["api"], "name": "n"}));
    let verification = client().verify("gitlab", &gitlab, &canary).unwrap();
    assert!(!format!("{verification:?}").contains(CANARY));
    assert!(!serde_json::to_string(&verification).unwrap().contains(CANARY));
    let rotated = client().rotate("gitlab", &gitlab, &canary, None).unwrap();
    assert!(!format!("{:?}", rotated.secret).contains(rotated.secret.expose_secret()));
}
