//! The transitions of a rotation, each one transaction: the step, its data and its audit event
//! commit together or not at all.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use super::{expect_step, set_step, Consumer, Rotation, RotationMethod, RotationStep};
use crate::audit_log::{self, EventKind};
use crate::crypto;
use crate::error::{Error, Result};
use crate::store;
use crate::tokens::{self, NewToken, TokenStatus};
use crate::vault::Vault;

/// Who vouched that the new secret works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifiedBy {
    /// The provider's API accepted it.
    Provider,
    /// The person said so (providers without a check API).
    User,
}

impl VerifiedBy {
    fn as_str(self) -> &'static str {
        match self {
            VerifiedBy::Provider => "provider",
            VerifiedBy::User => "user",
        }
    }
}

fn associated(rotation_id: &str) -> Vec<u8> {
    format!("rotation:{rotation_id}").into_bytes()
}

impl Vault {
    /// Starts rotating a token. Its usages become the consumer checklist. A token can have one
    /// open rotation; revoked, archived and already replaced tokens cannot be rotated.
    pub fn start_rotation(&mut self, token_id: &str, method: RotationMethod, now: DateTime<Utc>) -> Result<Rotation> {
        let token = self.token(token_id)?;
        if let Some(open) = self.open_rotation_for(&token.id)? {
            return Err(Error::invalid(
                "rotation",
                format!(
                    "'{}' is already being rotated (step '{}'): resume or abort that rotation",
                    token.name, open.step
                ),
            ));
        }
        match token.status {
            TokenStatus::Revoked | TokenStatus::Archived => {
                return Err(Error::invalid(
                    "rotation",
                    format!("'{}' is {}: only a live token can be rotated", token.name, token.status),
                ))
            }
            TokenStatus::Rotating => {
                return Err(Error::invalid(
                    "rotation",
                    format!("'{}' has already been replaced; rotate its replacement instead", token.name),
                ))
            }
            TokenStatus::Active | TokenStatus::Expired => {}
        }
        let consumers: Vec<Consumer> = self
            .usages(&token.id)?
            .into_iter()
            .map(|u| Consumer { usage_id: u.id, kind: u.kind, location: u.location, done: false })
            .collect();
        let id = uuid::Uuid::now_v7().to_string();
        let consumers = serde_json::to_string(&consumers).map_err(internal)?;
        let tx = self.conn.transaction()?;
        store::rotations::insert(&tx, &id, &token.id, method.as_str(), &consumers, now)?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::RotationStarted,
            Some(&token.id),
            &serde_json::json!({ "rotation": id, "method": method.as_str() }),
        )?;
        tx.commit()?;
        self.rotation(&id)
    }

    /// Records that an API rotation is about to be asked of the provider, so that a process killed
    /// while the request is in flight leaves a trace the person is told about on resume.
    pub fn mark_api_rotation_requested(&mut self, rotation_id: &str, now: DateTime<Utc>) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::Started], "ask the provider for a new token")?;
        if rotation.method != RotationMethod::Api {
            return Err(Error::invalid("rotation", "this is a guided rotation: paste the new token instead"));
        }
        store::rotations::set_api_requested(&self.conn, rotation_id, Some(now))?;
        self.rotation(rotation_id)
    }

    /// started → new_stored: seals the new secret in the rotation row. Refuses the old secret
    /// itself (a paste of the wrong token). `old_invalidated` says the provider has already
    /// killed the old secret (an API rotation at GitLab or Cloudflare).
    pub fn store_rotation_secret(
        &mut self,
        rotation_id: &str,
        secret: &SecretString,
        expires_at: Option<DateTime<Utc>>,
        old_invalidated: bool,
        now: DateTime<Utc>,
    ) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::Started], "store the new token")?;
        tokens::check_secret(secret)?;
        let bytes = secret.expose_secret().trim().as_bytes();
        let fingerprint = self.keys.fingerprint(bytes);
        if self.find_by_fingerprint(&fingerprint)?.contains(&rotation.token_id) {
            return Err(Error::invalid(
                "secret",
                "this is the token being replaced: paste the NEW token the provider just made",
            ));
        }
        let sealed = crypto::seal(&self.keys.field, bytes, &associated(rotation_id));
        let hint = tokens::display_hint(secret.expose_secret().trim());
        let tx = self.conn.transaction()?;
        set_step(&tx, rotation_id, RotationStep::Started, RotationStep::NewStored, now)?;
        store::rotations::store_new_secret(
            &tx,
            rotation_id,
            &sealed,
            fingerprint.as_slice(),
            &hint,
            expires_at,
            old_invalidated,
        )?;
        step_event(&tx, &self.keys.audit, &rotation, RotationStep::NewStored, now)?;
        tx.commit()?;
        self.rotation(rotation_id)
    }

    /// The new secret while it waits in the rotation (to verify it at the provider).
    pub fn rotation_secret(&self, rotation_id: &str) -> Result<SecretString> {
        let sealed = store::rotations::new_sealed(&self.conn, rotation_id)?
            .ok_or_else(|| Error::invalid("rotation", "this rotation holds no new token"))?;
        let plain =
            crypto::open(&self.keys.field, &sealed, &associated(rotation_id)).ok_or_else(|| Error::Corrupt {
                path: self.dir().join(crate::vault::DB_FILE),
                detail: format!("the new secret of rotation {rotation_id} fails authentication"),
            })?;
        let text = String::from_utf8(plain.to_vec())
            .map_err(|_| Error::Internal("a rotation secret is not UTF-8".to_owned()))?;
        Ok(SecretString::from(text))
    }

    /// new_stored → verified. `provider_expiry` is what the provider reported for the new token.
    pub fn mark_rotation_verified(
        &mut self,
        rotation_id: &str,
        by: VerifiedBy,
        provider_expiry: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::NewStored], "mark the new token verified")?;
        let tx = self.conn.transaction()?;
        set_step(&tx, rotation_id, RotationStep::NewStored, RotationStep::Verified, now)?;
        store::rotations::set_verified(&tx, rotation_id, by.as_str(), provider_expiry)?;
        step_event(&tx, &self.keys.audit, &rotation, RotationStep::Verified, now)?;
        tx.commit()?;
        self.rotation(rotation_id)
    }

    /// Ticks (or unticks) one consumer on the checklist; only while the rotation is at `verified`.
    pub fn tick_consumer(
        &mut self,
        rotation_id: &str,
        usage_id: &str,
        done: bool,
        now: DateTime<Utc>,
    ) -> Result<Rotation> {
        let mut rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::Verified], "tick a consumer")?;
        let consumer = rotation
            .consumers
            .iter_mut()
            .find(|c| c.usage_id == usage_id)
            .ok_or_else(|| Error::invalid("usage", format!("'{usage_id}' is not on this rotation's checklist")))?;
        consumer.done = done;
        let consumers = serde_json::to_string(&rotation.consumers).map_err(internal)?;
        store::rotations::set_consumers(&self.conn, rotation_id, &consumers, now)?;
        self.rotation(rotation_id)
    }

    /// verified → consumers_updated, once every consumer is ticked.
    pub fn finish_consumers(&mut self, rotation_id: &str, now: DateTime<Utc>) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::Verified], "finish the consumer checklist")?;
        let left: Vec<&str> = rotation.consumers.iter().filter(|c| !c.done).map(|c| c.location.as_str()).collect();
        if !left.is_empty() {
            return Err(Error::invalid(
                "consumers",
                format!("{} still use the old token: update and tick {}", left.len(), left.join(", ")),
            ));
        }
        let tx = self.conn.transaction()?;
        set_step(&tx, rotation_id, RotationStep::Verified, RotationStep::ConsumersUpdated, now)?;
        step_event(&tx, &self.keys.audit, &rotation, RotationStep::ConsumersUpdated, now)?;
        tx.commit()?;
        self.rotation(rotation_id)
    }

    /// consumers_updated → promoted: the new secret becomes a token of its own (same name,
    /// provider, tags and usages, `replaces` the old one) and the old token turns `rotating`.
    pub fn promote_rotation(&mut self, rotation_id: &str, now: DateTime<Utc>) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::ConsumersUpdated], "promote the new token")?;
        let old = self.token(&rotation.token_id)?;
        let secret = self.rotation_secret(rotation_id)?;
        let new_id = uuid::Uuid::now_v7().to_string();
        let new = NewToken {
            name: old.name.clone(),
            provider: old.provider.clone(),
            kind: old.kind,
            secret,
            account: old.account.clone(),
            environment: old.environment.clone(),
            scopes: old.scopes.clone(),
            tags: old.tags.clone(),
            purpose: old.purpose.clone(),
            notes: old.notes.clone(),
            url: old.url.clone(),
            expires_at: rotation.new_expires_at,
            rotation_max_age_days: old.rotation_max_age_days,
        };
        let tx = self.conn.transaction()?;
        set_step(&tx, rotation_id, RotationStep::ConsumersUpdated, RotationStep::Promoted, now)?;
        tokens::insert_token(&tx, &self.keys, &new_id, new, now, now)?;
        store::tokens::link_rotated(&tx, &old.id, &new_id, now)?;
        store::usages::move_to(&tx, &old.id, &new_id)?;
        store::reminders::copy(&tx, &old.id, &new_id)?;
        // The secret now lives in token_secrets under the new token's id; wipe the rotation's copy.
        store::rotations::set_promoted(&tx, rotation_id, &new_id)?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::Created,
            Some(&new_id),
            &serde_json::json!({ "rotated_from": old.id, "rotation": rotation_id }),
        )?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::Rotated,
            Some(&old.id),
            &serde_json::json!({ "replaced_by": new_id, "rotation": rotation_id }),
        )?;
        tx.commit()?;
        self.refresh_reminder_index();
        self.rotation(rotation_id)
    }

    /// promoted → old_revoked: the old token is dead at the provider (`method` says how we know).
    pub fn record_old_revoked(&mut self, rotation_id: &str, method: &str, now: DateTime<Utc>) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::Promoted], "record the old token as revoked")?;
        let tx = self.conn.transaction()?;
        set_step(&tx, rotation_id, RotationStep::Promoted, RotationStep::OldRevoked, now)?;
        store::rotations::set_revoke_method(&tx, rotation_id, method)?;
        tokens::set_revoked(&tx, &self.keys.audit, &rotation.token_id, method, now)?;
        tx.commit()?;
        self.refresh_reminder_index();
        self.rotation(rotation_id)
    }

    /// promoted → old_manual: the person will revoke the old token later; it stays `rotating`.
    pub fn mark_old_for_manual_revocation(&mut self, rotation_id: &str, now: DateTime<Utc>) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::Promoted], "leave the old token for later")?;
        let tx = self.conn.transaction()?;
        set_step(&tx, rotation_id, RotationStep::Promoted, RotationStep::OldManual, now)?;
        store::rotations::set_revoke_method(&tx, rotation_id, "later")?;
        step_event(&tx, &self.keys.audit, &rotation, RotationStep::OldManual, now)?;
        tx.commit()?;
        self.rotation(rotation_id)
    }

    /// old_revoked | old_manual → done.
    pub fn finish_rotation(&mut self, rotation_id: &str, now: DateTime<Utc>) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        expect_step(&rotation, &[RotationStep::OldRevoked, RotationStep::OldManual], "finish the rotation")?;
        let tx = self.conn.transaction()?;
        set_step(&tx, rotation_id, rotation.step, RotationStep::Done, now)?;
        store::rotations::set_finished(&tx, rotation_id, now)?;
        step_event(&tx, &self.keys.audit, &rotation, RotationStep::Done, now)?;
        tx.commit()?;
        self.rotation(rotation_id)
    }

    /// Any step before promoted → aborted: the new secret is wiped, the old token untouched.
    pub fn abort_rotation(&mut self, rotation_id: &str, now: DateTime<Utc>) -> Result<Rotation> {
        let rotation = self.rotation(rotation_id)?;
        if !rotation.step.can_abort() {
            return Err(Error::invalid(
                "rotation",
                format!(
                    "the new token of '{}' is already active (step '{}'): finish the rotation instead of aborting it",
                    rotation.token_name, rotation.step
                ),
            ));
        }
        let tx = self.conn.transaction()?;
        set_step(&tx, rotation_id, rotation.step, RotationStep::Aborted, now)?;
        store::rotations::set_aborted(&tx, rotation_id, now)?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::RotationAborted,
            Some(&rotation.token_id),
            &serde_json::json!({ "rotation": rotation_id, "at_step": rotation.step.as_str() }),
        )?;
        tx.commit()?;
        self.rotation(rotation_id)
    }
}

fn step_event(
    conn: &rusqlite::Connection,
    audit: &[u8; 32],
    rotation: &Rotation,
    step: RotationStep,
    now: DateTime<Utc>,
) -> Result<()> {
    audit_log::append(
        conn,
        audit,
        now,
        EventKind::RotationStep,
        Some(&rotation.token_id),
        &serde_json::json!({ "rotation": rotation.id, "step": step.as_str() }),
    )
}

fn internal(e: serde_json::Error) -> Error {
    Error::Internal(e.to_string())
}
