//! Authentication of the two files beside the vault, `reminders.idx` and `reminders.state`: an
//! HMAC-SHA256 over each whole file, under a key derived from the reminder index key and bound to
//! the vault id, plus one generation counter the two files share. It must never let a file that
//! fails these checks silence a reminder.
//!
//! Protects against: a hand edit of either file (a date moved, an entry removed, a dismissal or a
//! snooze added) by someone who can write the vault's directory but has neither the index key (in
//! the OS keyring, or inside the encrypted vault) nor the password; either file moved from another
//! vault; either file alone put back from an older copy (its generation no longer matches the other
//! file's); and, whenever the vault is unlocked, both files put back together from an older copy
//! (the vault's settings remember the newest generation it wrote). Whatever fails is reported once,
//! reminders then come from the dates alone, and dismissals and snoozes that cannot be trusted are
//! ignored; reminders already sent are still not sent twice.
//!
//! Does not protect against: anything while no key is at hand (keyring off and vault locked):
//! nothing can be verified then, so the app takes the files as they are until the next unlock
//! (the CLI never works that way: without the keyring it unlocks the vault); both files put back
//! together from an older copy while the vault stays locked (seen at the next unlock); deleting
//! both files, which resets to "nothing sent, nothing dismissed" and only makes reminders louder;
//! a crash between writing the two files, or two processes writing them at the same moment, which
//! reads as a mismatch (reported once, the dismissals ignored until the next write). An attacker with the keyring or the password is out
//! of scope.

use std::fmt;
use std::path::Path;
use zeroize::Zeroizing;

use crate::crypto;
use crate::error::{Error, Result};
use crate::keystore::KeyStore;
use crate::vault::VaultStatus;

/// The keyring account that holds the index key of a vault.
pub(crate) fn keyring_account(vault_id: &str) -> String {
    format!("reminder-index:{vault_id}")
}

/// The index key of one vault and the MAC key derived from it. No Debug, no Clone, wiped on drop.
pub struct ReminderKey {
    /// Opens the sealed part of the index (names and providers).
    pub(crate) index: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
    pub(crate) vault_id: String,
    /// The newest generation the vault remembers writing (0 when read from the keyring alone):
    /// files older than this were put back.
    pub(crate) floor: u64,
}

impl ReminderKey {
    pub(crate) fn new(index: Zeroizing<[u8; 32]>, vault_id: &str, floor: u64) -> ReminderKey {
        let mac =
            Zeroizing::new(crypto::hmac_sha256(&index, &[b"tokenwarden/v1/reminder-files-mac", vault_id.as_bytes()]));
        ReminderKey { index, mac, vault_id: vault_id.to_owned(), floor }
    }

    /// The index key from the OS keyring, for use while the vault is locked. `None` when there is
    /// no vault, or the keyring is unavailable or does not hold the key (reminders then work from
    /// the dates alone and nothing beside the vault can be verified).
    pub fn from_keyring(dir: &Path, store: &dyn KeyStore) -> Result<Option<ReminderKey>> {
        let Some(vault_id) = VaultStatus::probe(dir)?.vault_id else { return Ok(None) };
        let Ok(Some(raw)) = store.load(&keyring_account(&vault_id)) else { return Ok(None) };
        let raw = Zeroizing::new(raw);
        if raw.len() != 32 {
            return Err(Error::Corrupt {
                path: dir.to_owned(),
                detail: "the keyring's reminder index key has the wrong length".to_owned(),
            });
        }
        // Copied straight into a wiped buffer: no unwiped copy of the key is left on the stack.
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&raw);
        Ok(Some(ReminderKey::new(key, &vault_id, 0)))
    }

    /// The MAC of one file: its name, the vault id, and its bytes as written without the MAC.
    pub(crate) fn tag(&self, file: &str, body: &[u8]) -> String {
        hex::encode(crypto::hmac_sha256(
            &self.mac,
            &[b"tokenwarden/v1/", file.as_bytes(), self.vault_id.as_bytes(), body],
        ))
    }

    /// Whether `tag` is the MAC of `body`, compared in constant time.
    pub(crate) fn verify(&self, file: &str, body: &[u8], tag: &str) -> bool {
        let want = self.tag(file, body);
        want.len() == tag.len() && want.bytes().zip(tag.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

/// What could be established about one of the files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Verdict {
    /// Its MAC is right, its generation current: everything in it counts.
    #[default]
    Verified,
    /// No key at hand (keyring off and vault locked): it could not be checked either way.
    NoKey,
    /// It carries no MAC: written by an older Tokenwarden, or while no key was at hand.
    Unsigned,
    /// It fails the checks: edited by hand, moved from another vault, or an older copy put back.
    Invalid(String),
}

impl Verdict {
    pub fn is_verified(&self) -> bool {
        matches!(self, Verdict::Verified)
    }

    /// One line to say once, or `None` when there is nothing to say (verified, or no key).
    pub fn warning(&self, file: &str, consequence: &str) -> Option<String> {
        match self {
            Verdict::Verified | Verdict::NoKey => None,
            Verdict::Unsigned => Some(format!(
                "{file} is not authenticated (written by an older version or without the key); {consequence} until it is rewritten"
            )),
            Verdict::Invalid(why) => Some(format!("{file} cannot be trusted ({why}); {consequence}")),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Verified => f.write_str("verified"),
            Verdict::NoKey => f.write_str("not verifiable without the key"),
            Verdict::Unsigned => f.write_str("not authenticated"),
            Verdict::Invalid(why) => f.write_str(why),
        }
    }
}
