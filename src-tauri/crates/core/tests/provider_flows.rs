//! Verification, rotation and revocation through the vault against the local fake provider
//! server (real HTTP, real adapters; only the provider is fake). What the provider says must
//! land in the vault, refusals must leave it unchanged, and no secret may reach the audit log,
//! an error message or the provider's URLs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../../tests/fake-providers/fake.rs"]
mod fake;

use chrono::{DateTime, Duration, TimeZone, Utc};
use fake::FakeProviders;
use serde_json::json;
use std::collections::BTreeMap;
use tokenwarden_core::provider_api::LiveApi;
use tokenwarden_core::revocation::{Outcome, RevokeHow};
use tokenwarden_core::rotation::{RotationMethod, RotationStep};
use tokenwarden_core::{ErrorCode, ExposeSecret, KdfParams, NewToken, SecretString, TokenKind, TokenStatus, Vault};
use tokenwarden_providers::ProviderId;

const GITLAB: &str = "glpat-Canary0Gitlab0Secret1";
const CLOUDFLARE: &str = "Canary0Cloudflare0Token0AbCdEfGhIjKlMnOp";
const GITHUB: &str = "ghp_Canary0Github0Secret0AbCdEfGhIjKlMnOp";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

struct World {
    _dir: tempfile::TempDir,
    vault: Vault,
    fake: FakeProviders,
    api: LiveApi,
}

fn world() -> World {
    let fake = FakeProviders::start();
    let dir = tempfile::tempdir().unwrap();
    let cheap = KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
    let vault = Vault::create(&dir.path().join("v"), &SecretString::from("test password"), cheap, now()).unwrap();
    let overrides: BTreeMap<String, String> =
        ["github", "gitlab", "slack", "hugging-face", "cloudflare", "digitalocean", "vercel", "sendgrid"]
            .iter()
            .map(|p| (p.to_string(), fake.url(p)))
            .collect();
    let api = LiveApi::new(overrides, std::time::Duration::from_secs(5));
    World { _dir: dir, vault, fake, api }
}

fn add(w: &mut World, name: &str, provider: &str, secret: &str, expires: Option<DateTime<Utc>>) -> String {
    let mut new = NewToken::new(
        name,
        ProviderId::parse(provider).unwrap(),
        TokenKind::PersonalAccessToken,
        SecretString::from(secret.to_owned()),
    );
    new.expires_at = expires;
    w.vault.add_token(new, now()).unwrap().id
}

/// No canary secret in the audit log or in any text the test collected.
fn assert_no_canary(w: &World, texts: &[String]) {
    let log = serde_json::to_string(&w.vault.events(None, 10_000).unwrap()).unwrap();
    for canary in [GITLAB, CLOUDFLARE, GITHUB] {
        assert!(!log.contains(canary), "a secret reached the audit log");
        for t in texts {
            assert!(!t.contains(canary), "a secret reached a message: {t}");
        }
    }
    let requests = w.fake.requests();
    assert!(requests.as_array().unwrap().iter().all(|r| r["token_in_url"] == false), "{requests}");
}

#[test]
fn a_check_updates_owner_scopes_expiry_and_last_use_and_says_what_changed() {
    let mut w = world();
    w.fake.add_token(json!({
        "provider": "gitlab", "token": GITLAB, "owner": "alice", "scopes": ["api", "read_user"],
        "expires_at": "2027-03-01", "last_used_at": "2026-11-20T08:00:00Z"
    }));
    let ours = now() + Duration::days(10);
    let id = add(&mut w, "deploy", "gitlab", GITLAB, Some(ours));
    let report = w.vault.verify_token(&w.api, &id, now()).unwrap();
    assert!(report.valid);
    assert_eq!(report.owner.as_deref(), Some("alice"));
    assert_eq!(report.dangerous_scopes, vec!["api".to_owned()], "GitLab's catalog calls `api` dangerous");
    let diff = report.expiry_differs.clone().expect("the provider's expiry differs from ours");
    assert_eq!(diff.ours, Some(ours));
    let token = w.vault.token(&id).unwrap();
    assert_eq!(token.account.as_deref(), Some("alice"));
    assert_eq!(token.scopes, vec!["api".to_owned(), "read_user".to_owned()]);
    assert_eq!(token.expires_at, diff.provider);
    assert_eq!(token.expires_at.unwrap().date_naive().to_string(), "2027-03-01");
    assert_eq!(token.last_used_at, Some(Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap()));
    assert_eq!(token.last_verified_result.as_deref(), Some("valid"));
    assert!(w.vault.provider_checked_before("gitlab").unwrap());
    assert!(!w.vault.provider_checked_before("github").unwrap());
    // A second check with the same answer changes nothing and reports no difference.
    assert!(w.vault.verify_token(&w.api, &id, now()).unwrap().expiry_differs.is_none());
    assert_no_canary(&w, &[format!("{report:?}")]);
}

#[test]
fn an_unknown_token_is_recorded_invalid_and_keeps_its_metadata() {
    let mut w = world();
    let id = add(&mut w, "stale", "gitlab", GITLAB, None);
    let report = w.vault.verify_token(&w.api, &id, now()).unwrap();
    assert!(!report.valid);
    let token = w.vault.token(&id).unwrap();
    assert_eq!(token.last_verified_result.as_deref(), Some("invalid"));
    assert_eq!(token.account, None);
}

#[test]
fn provider_failures_have_their_own_codes_and_change_nothing() {
    let mut w = world();
    w.fake.add_token(json!({ "provider": "gitlab", "token": GITLAB, "owner": "alice" }));
    let id = add(&mut w, "deploy", "gitlab", GITLAB, None);
    let mut messages = Vec::new();
    for (rule, code) in [
        (json!({ "provider": "gitlab", "status": 429, "retry_after": 30 }), ErrorCode::ProviderRateLimited),
        (json!({ "provider": "gitlab", "status": 403 }), ErrorCode::ProviderForbidden),
        (json!({ "provider": "gitlab", "status": 503 }), ErrorCode::ProviderError),
    ] {
        w.fake.fail(rule);
        let err = w.vault.verify_token(&w.api, &id, now()).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        messages.push(err.to_string());
    }
    assert!(messages[0].contains("30"), "says when to retry: {}", messages[0]);
    assert_eq!(w.vault.token(&id).unwrap().last_verified_at, None, "a failed check records nothing");

    let mut offline = BTreeMap::new();
    offline.insert("gitlab".to_owned(), "http://127.0.0.1:9/gitlab".to_owned());
    let dead = LiveApi::new(offline, std::time::Duration::from_secs(2));
    let err = w.vault.verify_token(&dead, &id, now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProviderOffline, "{err}");
    messages.push(err.to_string());
    assert_no_canary(&w, &messages);
}

#[test]
fn plain_http_api_addresses_are_refused_except_loopback() {
    let mut w = world();
    let err = w.vault.set_provider_api_url("gitlab", Some("http://gitlab.example.com"), now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    w.vault.set_provider_api_url("gitlab", Some("https://gitlab.example.com"), now()).unwrap();
    w.vault.set_provider_api_url("gitlab", Some("http://127.0.0.1:8080/gitlab"), now()).unwrap();
    assert_eq!(w.vault.provider_api_urls().unwrap()["gitlab"], "http://127.0.0.1:8080/gitlab");
    w.vault.set_provider_api_url("gitlab", None, now()).unwrap();
    assert!(w.vault.provider_api_urls().unwrap().is_empty());
}

#[test]
fn a_gitlab_api_rotation_carries_the_lifetime_forward_and_needs_no_second_revocation() {
    let mut w = world();
    let expires = now() + Duration::days(30);
    w.fake.add_token(json!({ "provider": "gitlab", "token": GITLAB, "owner": "alice", "scopes": ["api"], "expires_at": "2026-12-27" }));
    let id = add(&mut w, "deploy", "gitlab", GITLAB, Some(expires));
    let r = w.vault.start_rotation(&id, RotationMethod::Api, now()).unwrap();
    let later = now() + Duration::days(20);
    let r = w.vault.rotate_via_api(&w.api, &r.id, None, later).unwrap();
    assert_eq!(r.step, RotationStep::NewStored);
    assert!(r.old_invalidated, "GitLab kills the old token when it rotates");
    // The old token lived 30 days from its creation; the new one gets 30 days from the rotation
    // (GitLab takes whole days, so it lives until the next midnight at most a day longer).
    let carried = later + Duration::days(30);
    let new_expiry = r.new_expires_at.unwrap();
    assert!(new_expiry >= carried && new_expiry - carried <= Duration::days(1), "{new_expiry}");
    let new_secret = w.vault.rotation_secret(&r.id).unwrap();
    assert_ne!(new_secret.expose_secret(), GITLAB);
    assert_eq!(w.fake.token(new_secret.expose_secret())["active"], true);
    assert_eq!(w.fake.token(GITLAB)["active"], false);

    let r = w.vault.verify_rotation(&w.api, &r.id, later).unwrap();
    assert_eq!(r.verified_by.as_deref(), Some("provider"));
    let r = w.vault.finish_consumers(&r.id, later).unwrap();
    let r = w.vault.promote_rotation(&r.id, later).unwrap();
    let before = w.fake.requests().as_array().unwrap().len();
    let r = w.vault.revoke_old_via_api(&w.api, &r.id, later).unwrap();
    assert_eq!(w.fake.requests().as_array().unwrap().len(), before, "nothing more to ask GitLab");
    assert_eq!(r.step, RotationStep::OldRevoked);
    assert_eq!(w.vault.token(&id).unwrap().revoke_method.as_deref(), Some("provider_rotation"));
    assert_no_canary(&w, &[]);
}

#[test]
fn a_new_token_the_provider_refuses_is_not_verified() {
    let mut w = world();
    w.fake.add_token(json!({ "provider": "gitlab", "token": GITLAB }));
    let id = add(&mut w, "deploy", "gitlab", GITLAB, None);
    let r = w.vault.start_rotation(&id, RotationMethod::Guided, now()).unwrap();
    let typo = SecretString::from("glpat-NotKnownToTheFake99".to_owned());
    let r = w.vault.store_rotation_secret(&r.id, &typo, None, false, now()).unwrap();
    let err = w.vault.verify_rotation(&w.api, &r.id, now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("does not accept the new token"), "{err}");
    assert!(!err.to_string().contains("NotKnownToTheFake"), "{err}");
    assert_eq!(w.vault.rotation(&r.id).unwrap().step, RotationStep::NewStored);
    assert_eq!(w.fake.token(GITLAB)["active"], true, "the old token is untouched");
}

#[test]
fn a_cloudflare_roll_replaces_the_value_and_the_old_one_stops_working() {
    let mut w = world();
    w.fake
        .add_token(json!({ "provider": "cloudflare", "token": CLOUDFLARE, "id": "ed17574386854bf78a67040be0a770b0" }));
    let id = add(&mut w, "dns", "cloudflare", CLOUDFLARE, None);
    let r = w.vault.start_rotation(&id, RotationMethod::Api, now()).unwrap();
    let r = w.vault.rotate_via_api(&w.api, &r.id, None, now()).unwrap();
    assert!(r.old_invalidated);
    let r = w.vault.verify_rotation(&w.api, &r.id, now()).unwrap();
    assert_eq!(r.step, RotationStep::Verified);
    assert_eq!(w.fake.token(CLOUDFLARE)["active"], false);
}

#[test]
fn revoking_confirmed_with_a_recheck_refuses_a_token_the_provider_still_accepts() {
    let mut w = world();
    w.fake.add_token(json!({ "provider": "gitlab", "token": GITLAB }));
    let id = add(&mut w, "deploy", "gitlab", GITLAB, None);
    let outcome = w.vault.revoke_token(&w.api, &id, RevokeHow::Confirmed, true, now()).unwrap();
    assert_eq!(outcome.outcome, Outcome::Failed);
    assert_eq!(w.vault.token(&id).unwrap().status, TokenStatus::Active, "nothing recorded");
    let outcome = w.vault.revoke_token(&w.api, &id, RevokeHow::Api, true, now()).unwrap();
    assert_eq!((outcome.outcome, outcome.reverified), (Outcome::Revoked, Some(true)));
    let token = w.vault.token(&id).unwrap();
    assert_eq!(
        (token.status, token.revoke_method.as_deref(), token.revoked_at),
        (TokenStatus::Revoked, Some("api"), Some(now()))
    );
    let kinds: Vec<String> = w.vault.events(Some(&id), 50).unwrap().into_iter().map(|e| e.kind).collect();
    assert!(kinds.iter().any(|k| k == "revoked"), "{kinds:?}");
}

#[test]
fn checks_and_revocations_the_provider_or_the_moment_cannot_take_are_refused_and_change_nothing() {
    let mut w = world();
    // Stripe's catalog entry lists no check and no revocation API.
    let stripe = add(&mut w, "billing", "stripe", "sk_live_Canary0Stripe0Secret0AbCdEf", None);
    let err = w.vault.verify_token(&w.api, &stripe, now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("Stripe has no check API"), "{err}");
    let err = w.vault.revoke_token(&w.api, &stripe, RevokeHow::Api, false, now()).unwrap_err();
    assert!(err.to_string().contains("Stripe has no revoke API"), "{err}");
    let err = w.vault.revoke_token(&w.api, &stripe, RevokeHow::Later, false, now()).unwrap_err();
    assert!(err.to_string().contains("'later' only applies to the old token of a rotation"), "{err}");

    // A token in the middle of a rotation (not yet promoted) cannot be revoked on its own.
    w.fake.add_token(json!({ "provider": "gitlab", "token": GITLAB }));
    let gitlab = add(&mut w, "deploy", "gitlab", GITLAB, None);
    w.vault.start_rotation(&gitlab, RotationMethod::Guided, now()).unwrap();
    let err = w.vault.revoke_token(&w.api, &gitlab, RevokeHow::Api, false, now()).unwrap_err();
    assert!(err.to_string().contains("is being rotated"), "{err}");

    assert!(w.fake.requests().as_array().unwrap().is_empty(), "no refused call reached a provider");
    for id in [&stripe, &gitlab] {
        let token = w.vault.token(id).unwrap();
        assert_eq!((token.status, token.revoked_at, token.last_verified_at), (TokenStatus::Active, None, None));
    }
    assert_eq!(w.fake.token(GITLAB)["active"], true);
}

#[test]
fn an_api_revocation_is_recorded_even_when_the_check_after_it_fails() {
    let mut w = world();
    w.fake.add_token(json!({ "provider": "gitlab", "token": GITLAB }));
    let id = add(&mut w, "deploy", "gitlab", GITLAB, None);
    // The revoke call succeeds; the proving check after it meets a provider error.
    w.fake.fail(
        json!({ "provider": "gitlab", "path_contains": "personal_access_tokens/self", "status": 503, "method": "GET" }),
    );
    let outcome = w.vault.revoke_token(&w.api, &id, RevokeHow::Api, true, now()).unwrap();
    assert_eq!(w.fake.token(GITLAB)["active"], false, "revoked at the provider");
    assert_eq!((outcome.outcome, outcome.reverified), (Outcome::Revoked, None), "recorded, unproven");
    assert_eq!(w.vault.token(&id).unwrap().status, TokenStatus::Revoked);

    // A confirmed revocation is only recorded when the check can prove it.
    let other = "glpat-Canary0Gitlab0Other01";
    w.fake.add_token(json!({ "provider": "gitlab", "token": other }));
    let id = add(&mut w, "other", "gitlab", other, None);
    w.fake.fail(json!({ "provider": "gitlab", "status": 503 }));
    let err = w.vault.revoke_token(&w.api, &id, RevokeHow::Confirmed, true, now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProviderError);
    assert_eq!(w.vault.token(&id).unwrap().status, TokenStatus::Active, "nothing recorded");
}

#[test]
fn a_github_token_believed_leaked_is_reported_through_the_credentials_api() {
    let mut w = world();
    w.fake.add_token(json!({ "provider": "github", "token": GITHUB, "owner": "octocat" }));
    let id = add(&mut w, "leaked", "github", GITHUB, None);
    let outcome = w.vault.revoke_token(&w.api, &id, RevokeHow::ReportLeak, false, now()).unwrap();
    assert_eq!(outcome.method.as_deref(), Some("report_leak"));
    assert_eq!(w.fake.token(GITHUB)["active"], false);
    let wrong = add(&mut w, "gl", "gitlab", GITLAB, None);
    assert!(w.vault.revoke_token(&w.api, &wrong, RevokeHow::ReportLeak, false, now()).is_err());
    assert_no_canary(&w, &[]);
}

#[test]
fn panic_revoke_goes_on_after_a_failure_and_leaves_the_rest_for_the_person() {
    let mut w = world();
    w.fake.add_token(json!({ "provider": "gitlab", "token": GITLAB }));
    let gl = add(&mut w, "gl", "gitlab", GITLAB, None);
    let gh = add(&mut w, "gh", "github", GITHUB, None);
    let stripe = add(&mut w, "stripe", "stripe", "sk_live_Canary0Stripe0Secret0AbCdEfGhIj", None);
    w.fake.fail(json!({ "provider": "github", "status": 500 }));
    let outcomes = w.vault.panic_revoke(&w.api, &[gh.clone(), gl.clone(), stripe.clone()], now()).unwrap();
    let of = |id: &str| outcomes.iter().find(|o| o.token_id == id).unwrap();
    assert_eq!(of(&gh).outcome, Outcome::Failed);
    assert_eq!(of(&gh).error.as_ref().unwrap().code, ErrorCode::ProviderError);
    assert_eq!(of(&gl).outcome, Outcome::Revoked);
    assert_eq!(of(&stripe).outcome, Outcome::NeedsManual);
    assert_eq!(w.vault.token(&gh).unwrap().status, TokenStatus::Active);
    assert_eq!(w.vault.token(&stripe).unwrap().status, TokenStatus::Active);
}

#[test]
fn a_provider_answer_with_dates_past_the_year_9999_is_ignored_not_stored() {
    let mut w = world();
    let ours = now() + Duration::days(10);
    let id = add(&mut w, "far", "github", GITHUB, Some(ours));
    let far = Utc.with_ymd_and_hms(200_000, 1, 1, 0, 0, 0).unwrap();
    let answer = tokenwarden_providers::adapters::Verification {
        valid: true,
        expires_at: Some(far),
        last_used_at: Some(DateTime::<Utc>::MAX_UTC),
        ..Default::default()
    };
    let report = w.vault.record_verification(&id, &answer, now()).unwrap();
    assert_eq!((report.expires_at, report.last_used_at), (None, None));
    let token = w.vault.token(&id).unwrap();
    assert_eq!(token.expires_at, Some(ours), "the vault keeps its own expiry");
    assert_eq!(token.last_used_at, None);
    assert_eq!(w.vault.reminder_entries().unwrap().len(), 1);
}
