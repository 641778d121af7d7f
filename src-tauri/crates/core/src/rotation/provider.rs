//! The rotation steps that talk to the provider: an API rotation, the check of the new secret,
//! and the API revocation of the old one. Each records its answer through the plain steps in
//! `steps.rs`, so the state machine's guarantees hold whoever drives it. The check and the
//! revocation also come in parts (prepare, call, finish) so that a caller sharing the vault can
//! make the call with the vault free; the API rotation does not, on purpose: the provider may
//! kill the old token as it issues the new one, and nothing (Lock included) may come between its
//! answer and the new secret being sealed in the vault.

use chrono::{DateTime, Duration, Utc};
use secrecy::SecretString;
use tokenwarden_providers::adapters::Verification;

use super::{expect_step, steps::VerifiedBy, Rotation, RotationMethod, RotationStep};
use crate::error::{Error, Result};
use crate::provider_api::{display_name, no_api, rotation_invalidates_old, ProviderApi};
use crate::tokens::Token;
use crate::vault::Vault;

impl Vault {
    /// started → new_stored by asking the provider for the new token. Without `expires_at` the
    /// old token's lifetime is carried forward (capped at the provider's maximum).
    pub fn rotate_via_api(
        &mut self,
        api: &dyn ProviderApi,
        rotation_id: &str,
        expires_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::Started], "ask the provider for a new token")?;
        if !api.ops(&rotation.provider).rotate {
            return Err(no_api("method", &rotation.provider, "rotation", "use the guided rotation"));
        }
        let old = self.token(&rotation.token_id)?;
        let expires_at = expires_at.or_else(|| carried_forward_expiry(&old, now));
        let secret = self.open_secret(&old.id)?;
        self.mark_api_rotation_requested(rotation_id, now)?;
        let rotated = match api.rotate(&rotation.provider, &secret, expires_at) {
            Ok(rotated) => rotated,
            Err(err) => {
                // The provider answered with an error: nothing was issued, so the marker goes.
                self.clear_api_rotation_request(rotation_id)?;
                return Err(err);
            }
        };
        self.store_rotation_secret(
            rotation_id,
            &rotated.secret,
            crate::expiry::from_provider("expiry", rotated.expires_at).or(expires_at),
            rotation_invalidates_old(&rotation.provider),
            now,
        )
    }

    /// new_stored → verified when the provider accepts the new secret.
    pub fn verify_rotation(
        &mut self,
        api: &dyn ProviderApi,
        rotation_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Rotation> {
        let call = self.prepare_rotation_check(api, rotation_id)?;
        let answer = call.verify(api)?;
        self.finish_rotation_check(rotation_id, &answer, now)
    }

    /// The first part of [`Vault::verify_rotation`]: opens the new secret for its check. The
    /// check itself needs no vault ([`ProviderCall::verify`]).
    pub fn prepare_rotation_check(&self, api: &dyn ProviderApi, rotation_id: &str) -> Result<ProviderCall> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::NewStored], "verify the new token")?;
        if !api.ops(&rotation.provider).verify {
            return Err(no_api(
                "provider",
                &rotation.provider,
                "check",
                "try the new token yourself, then confirm it works",
            ));
        }
        let secret = self.rotation_secret(rotation_id)?;
        Ok(ProviderCall { provider: rotation.provider, secret })
    }

    /// The last part of [`Vault::verify_rotation`]: a new secret the provider refuses is not
    /// verified (and the rotation stays where it was); an accepted one is.
    pub fn finish_rotation_check(
        &mut self,
        rotation_id: &str,
        answer: &Verification,
        now: DateTime<Utc>,
    ) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        if !answer.valid {
            return Err(Error::invalid(
                "secret",
                format!(
                    "{} does not accept the new token{}: paste the right one or abort the rotation",
                    display_name(&rotation.provider),
                    answer.detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
                ),
            ));
        }
        let expires_at = crate::expiry::from_provider("expiry", answer.expires_at);
        self.mark_rotation_verified(rotation_id, VerifiedBy::Provider, expires_at, now)
    }

    /// promoted → old_revoked through the provider's API (or at once when the provider already
    /// killed the old secret while issuing the new one).
    pub fn revoke_old_via_api(
        &mut self,
        api: &dyn ProviderApi,
        rotation_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Rotation> {
        match self.prepare_old_revocation(api, rotation_id, now)? {
            OldRevocation::Recorded(rotation) => Ok(*rotation),
            OldRevocation::Call(call) => {
                call.revoke(api)?;
                self.finish_old_revocation(rotation_id, now)
            }
        }
    }

    /// The first part of [`Vault::revoke_old_via_api`]: records at once what needs no call,
    /// else opens the old secret for the provider's revoke API.
    pub fn prepare_old_revocation(
        &mut self,
        api: &dyn ProviderApi,
        rotation_id: &str,
        now: DateTime<Utc>,
    ) -> Result<OldRevocation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::Promoted], "revoke the old token")?;
        if rotation.old_invalidated {
            return Ok(OldRevocation::Recorded(Box::new(self.record_old_revoked(
                rotation_id,
                "provider_rotation",
                now,
            )?)));
        }
        if !api.ops(&rotation.provider).revoke {
            return Err(no_api("how", &rotation.provider, "revoke", "revoke the old token at its site, then confirm"));
        }
        let secret = self.open_secret(&rotation.token_id)?;
        Ok(OldRevocation::Call(ProviderCall { provider: rotation.provider, secret }))
    }

    /// The last part of [`Vault::revoke_old_via_api`], after the provider revoked the old token.
    pub fn finish_old_revocation(&mut self, rotation_id: &str, now: DateTime<Utc>) -> Result<Rotation> {
        self.record_old_revoked(rotation_id, "api", now)
    }

    fn clear_api_rotation_request(&mut self, rotation_id: &str) -> Result<()> {
        crate::store::rotations::set_api_requested(&self.conn, rotation_id, None)
    }
}

/// One secret opened for one call at its provider, made with the vault free (the app runs it on a
/// blocking thread so a slow provider holds up nothing else). The secret is wiped on drop.
pub struct ProviderCall {
    provider: String,
    secret: SecretString,
}

impl ProviderCall {
    pub fn verify(&self, api: &dyn ProviderApi) -> Result<Verification> {
        api.verify(&self.provider, &self.secret)
    }

    pub fn revoke(&self, api: &dyn ProviderApi) -> Result<()> {
        api.revoke(&self.provider, &self.secret).map(drop)
    }
}

/// What [`Vault::prepare_old_revocation`] found.
pub enum OldRevocation {
    /// The provider killed the old token when it issued the new one: recorded already.
    Recorded(Box<Rotation>),
    Call(ProviderCall),
}

/// The new expiry that keeps the old token's lifetime: the same span from now as the old token
/// had from its creation (or last rotation), capped at the provider's maximum for that kind.
pub fn carried_forward_expiry(old: &Token, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let expires = old.expires_at?;
    let began = old.last_rotated_at.unwrap_or(old.created_at);
    let lifetime = expires - began;
    if lifetime <= Duration::zero() {
        return None;
    }
    let max_days = tokenwarden_providers::catalog::provider(old.provider.as_str())
        .and_then(|p| p.kinds.iter().filter_map(|k| k.max_lifetime_days).max());
    let lifetime = match max_days {
        Some(days) => lifetime.min(Duration::days(i64::from(days))),
        None => lifetime,
    };
    // Checked: the old expiry may come from an import or a provider and sit far in the future.
    crate::expiry::add(now, lifetime)
}

impl RotationMethod {
    /// Whether this provider can take this method.
    pub fn available(self, api: &dyn ProviderApi, provider: &str) -> bool {
        match self {
            RotationMethod::Guided => true,
            RotationMethod::Api => api.ops(provider).rotate,
        }
    }
}
