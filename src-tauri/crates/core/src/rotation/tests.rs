//! The state machine on its own (no provider calls): each transition, each refusal, and what
//! promotion and abort do to the tokens. Provider-driven steps are tested against the fake
//! provider server in `tests/rotation.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, TimeZone, Utc};
use secrecy::{ExposeSecret, SecretString};
use tokenwarden_providers::ProviderId;

use super::*;
use crate::tokens::{NewToken, TokenKind, TokenStatus};
use crate::ErrorCode;

const OLD: &str = "glpat-OLDOLDOLDOLDOLDOLD1";
const NEW: &str = "glpat-NEWNEWNEWNEWNEWNEW2";

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn vault_with_token() -> (tempfile::TempDir, Vault, String) {
    let dir = tempfile::tempdir().unwrap();
    let cheap = crate::KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
    let mut vault = Vault::create(&dir.path().join("v"), &SecretString::from("test password"), cheap, now()).unwrap();
    let mut new = NewToken::new(
        "deploy-bot",
        ProviderId::parse("gitlab").unwrap(),
        TokenKind::PersonalAccessToken,
        SecretString::from(OLD.to_owned()),
    );
    new.tags = vec!["ci".into()];
    new.expires_at = Some(now() + Duration::days(30));
    let token = vault.add_token(new, now()).unwrap();
    vault.add_usage(&token.id, "ci_secret", "gitlab.com/acme/app CI variable", None, now()).unwrap();
    vault.add_usage(&token.id, "env_file", "/srv/app/.env", None, now()).unwrap();
    (dir, vault, token.id)
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn walk_to_promoted(vault: &mut Vault, token_id: &str) -> Rotation {
    let r = vault.start_rotation(token_id, RotationMethod::Guided, now()).unwrap();
    vault.store_rotation_secret(&r.id, &secret(NEW), None, false, now()).unwrap();
    vault.mark_rotation_verified(&r.id, VerifiedBy::User, None, now()).unwrap();
    for c in vault.rotation(&r.id).unwrap().consumers {
        vault.tick_consumer(&r.id, &c.usage_id, true, now()).unwrap();
    }
    vault.finish_consumers(&r.id, now()).unwrap();
    vault.promote_rotation(&r.id, now()).unwrap()
}

#[test]
fn a_guided_rotation_walks_every_step_and_replaces_the_token() {
    let (_dir, mut vault, old_id) = vault_with_token();
    let started = vault.start_rotation(&old_id, RotationMethod::Guided, now()).unwrap();
    assert_eq!(started.step, RotationStep::Started);
    assert_eq!(started.consumers.len(), 2, "the checklist comes from the token's usages");
    assert!(started.consumers.iter().all(|c| !c.done));

    let stored = vault.store_rotation_secret(&started.id, &secret(NEW), None, false, now()).unwrap();
    assert_eq!(stored.step, RotationStep::NewStored);
    assert_eq!(stored.new_hint.as_deref(), Some("glpat-…NEW2"));
    assert_eq!(vault.rotation_secret(&started.id).unwrap().expose_secret(), NEW);

    let provider_expiry = now() + Duration::days(60);
    let verified =
        vault.mark_rotation_verified(&started.id, VerifiedBy::Provider, Some(provider_expiry), now()).unwrap();
    assert_eq!(verified.verified_by.as_deref(), Some("provider"));
    assert_eq!(verified.new_expires_at, Some(provider_expiry));

    let promoted = walk_rest_to_promoted(&mut vault, &started.id);
    let new_id = promoted.new_token_id.clone().unwrap();
    let old = vault.token(&old_id).unwrap();
    let new = vault.token(&new_id).unwrap();
    assert_eq!(old.status, TokenStatus::Rotating);
    assert_eq!(old.replaced_by.as_deref(), Some(new_id.as_str()));
    assert_eq!(new.status, TokenStatus::Active);
    assert_eq!(new.replaces.as_deref(), Some(old_id.as_str()));
    assert_eq!((new.name.as_str(), new.tags.clone()), ("deploy-bot", vec!["ci".to_owned()]));
    assert_eq!(new.expires_at, Some(provider_expiry));
    assert_eq!(new.last_rotated_at, Some(now()));
    assert_eq!(
        vault.reveal_secret(&new_id, crate::audit_log::EventKind::Revealed, now()).unwrap().expose_secret(),
        NEW
    );
    assert_eq!(
        vault.reveal_secret(&old_id, crate::audit_log::EventKind::Revealed, now()).unwrap().expose_secret(),
        OLD
    );
    assert_eq!(vault.usages(&new_id).unwrap().len(), 2, "usages move to the new token");
    assert!(vault.usages(&old_id).unwrap().is_empty());
    assert!(vault.rotation_secret(&started.id).is_err(), "the rotation's copy of the secret is wiped");

    let revoked = vault.record_old_revoked(&started.id, "confirmed", now()).unwrap();
    assert_eq!(revoked.step, RotationStep::OldRevoked);
    let old = vault.token(&old_id).unwrap();
    assert_eq!(old.status, TokenStatus::Revoked);
    assert_eq!(old.revoke_method.as_deref(), Some("confirmed"));
    assert_eq!(old.revoked_at, Some(now()));

    let done = vault.finish_rotation(&started.id, now()).unwrap();
    assert_eq!(done.step, RotationStep::Done);
    assert!(vault.open_rotation_for(&old_id).unwrap().is_none());
    assert!(vault.open_rotations().unwrap().is_empty());
    let kinds: Vec<String> = vault.events(Some(&old_id), 100).unwrap().into_iter().map(|e| e.kind).collect();
    for kind in ["rotation_started", "rotation_step", "rotated", "revoked"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} missing from {kinds:?}");
    }
    vault.verify_log().unwrap();
}

fn walk_rest_to_promoted(vault: &mut Vault, id: &str) -> Rotation {
    for c in vault.rotation(id).unwrap().consumers {
        vault.tick_consumer(id, &c.usage_id, true, now()).unwrap();
    }
    vault.finish_consumers(id, now()).unwrap();
    vault.promote_rotation(id, now()).unwrap()
}

#[test]
fn steps_out_of_order_are_refused_naming_the_current_step() {
    let (_dir, mut vault, old_id) = vault_with_token();
    let r = vault.start_rotation(&old_id, RotationMethod::Guided, now()).unwrap();
    let err = vault.promote_rotation(&r.id, now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("'started'"), "{err}");
    assert!(vault.mark_rotation_verified(&r.id, VerifiedBy::User, None, now()).is_err());
    assert!(vault.record_old_revoked(&r.id, "api", now()).is_err(), "the old token is never revoked before promotion");
    assert!(vault.finish_consumers(&r.id, now()).is_err());
    assert_eq!(vault.token(&old_id).unwrap().status, TokenStatus::Active);
}

#[test]
fn consumers_must_all_be_ticked_before_moving_on() {
    let (_dir, mut vault, old_id) = vault_with_token();
    let r = vault.start_rotation(&old_id, RotationMethod::Guided, now()).unwrap();
    vault.store_rotation_secret(&r.id, &secret(NEW), None, false, now()).unwrap();
    vault.mark_rotation_verified(&r.id, VerifiedBy::User, None, now()).unwrap();
    let first = r.consumers[0].usage_id.clone();
    vault.tick_consumer(&r.id, &first, true, now()).unwrap();
    let err = vault.finish_consumers(&r.id, now()).unwrap_err().to_string();
    assert!(err.contains("/srv/app/.env"), "names what is left: {err}");
    assert!(vault.tick_consumer(&r.id, "not-a-usage", true, now()).is_err());
}

#[test]
fn pasting_the_old_token_as_the_new_one_is_refused() {
    let (_dir, mut vault, old_id) = vault_with_token();
    let r = vault.start_rotation(&old_id, RotationMethod::Guided, now()).unwrap();
    let err = vault.store_rotation_secret(&r.id, &secret(OLD), None, false, now()).unwrap_err().to_string();
    assert!(err.contains("being replaced"), "{err}");
    assert!(!err.contains(OLD));
    assert_eq!(vault.rotation(&r.id).unwrap().step, RotationStep::Started);
}

#[test]
fn abort_wipes_the_new_secret_and_leaves_the_old_token_alone() {
    let (_dir, mut vault, old_id) = vault_with_token();
    let before = vault.token(&old_id).unwrap();
    let r = vault.start_rotation(&old_id, RotationMethod::Guided, now()).unwrap();
    vault.store_rotation_secret(&r.id, &secret(NEW), None, false, now()).unwrap();
    let aborted = vault.abort_rotation(&r.id, now()).unwrap();
    assert_eq!(aborted.step, RotationStep::Aborted);
    assert!(vault.rotation_secret(&r.id).is_err());
    let after = vault.token(&old_id).unwrap();
    assert_eq!((after.status, after.replaced_by, after.hint), (before.status, before.replaced_by, before.hint));
    assert_eq!(vault.list_tokens(&Default::default(), now()).unwrap().len(), 1, "no new token row");
    // A new rotation can start once the old one is aborted.
    vault.start_rotation(&old_id, RotationMethod::Guided, now()).unwrap();
}

#[test]
fn a_promoted_rotation_cannot_be_aborted() {
    let (_dir, mut vault, old_id) = vault_with_token();
    let r = walk_to_promoted(&mut vault, &old_id);
    let err = vault.abort_rotation(&r.id, now()).unwrap_err().to_string();
    assert!(err.contains("already active"), "{err}");
}

#[test]
fn only_one_open_rotation_per_token_and_none_for_dead_tokens() {
    let (_dir, mut vault, old_id) = vault_with_token();
    vault.start_rotation(&old_id, RotationMethod::Guided, now()).unwrap();
    let err = vault.start_rotation(&old_id, RotationMethod::Guided, now()).unwrap_err().to_string();
    assert!(err.contains("already being rotated"), "{err}");
    assert_eq!(vault.open_rotations().unwrap().len(), 1);

    let archived = vault
        .add_token(
            NewToken::new("old", ProviderId::generic(), TokenKind::ApiKey, secret("archived-secret-000000000")),
            now(),
        )
        .unwrap();
    vault.archive_token(&archived.id, now()).unwrap();
    assert!(vault.start_rotation(&archived.id, RotationMethod::Guided, now()).is_err());
}

#[test]
fn old_token_left_for_later_stays_rotating_until_revoked() {
    let (_dir, mut vault, old_id) = vault_with_token();
    let r = walk_to_promoted(&mut vault, &old_id);
    let manual = vault.mark_old_for_manual_revocation(&r.id, now()).unwrap();
    assert_eq!(manual.step, RotationStep::OldManual);
    assert_eq!(vault.finish_rotation(&r.id, now()).unwrap().step, RotationStep::Done);
    assert_eq!(vault.token(&old_id).unwrap().status, TokenStatus::Rotating);
}

#[test]
fn the_old_lifetime_is_carried_forward_and_capped() {
    let (_dir, vault, old_id) = vault_with_token();
    let mut old = vault.token(&old_id).unwrap();
    let later = now() + Duration::days(25);
    assert_eq!(carried_forward_expiry(&old, later), Some(later + Duration::days(30)));
    old.expires_at = Some(now() + Duration::days(5000));
    let capped = carried_forward_expiry(&old, now()).unwrap();
    assert!(capped <= now() + Duration::days(400), "GitLab caps token lifetimes: {capped}");
    old.expires_at = None;
    assert_eq!(carried_forward_expiry(&old, now() + Duration::days(1)), None);
}

#[test]
fn a_lifetime_reaching_past_any_date_carries_forward_as_none_not_a_panic() {
    let (_dir, vault, old_id) = vault_with_token();
    let mut old = vault.token(&old_id).unwrap();
    // No provider cap, and an expiry at the very end of what a date can hold.
    old.provider = ProviderId::generic();
    old.expires_at = Some(chrono::DateTime::<Utc>::MAX_UTC);
    assert_eq!(carried_forward_expiry(&old, now() + Duration::days(1)), None);
}
