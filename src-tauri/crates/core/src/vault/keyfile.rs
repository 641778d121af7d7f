//! `vault.keys`: the key slots that each unwrap the master key, like LUKS. A password slot wraps
//! the master key under an Argon2id key; a keyring slot says the OS keyring holds it.
//! Changing the password rewrites this file alone, atomically. A SHA-256 checksum tells accidental
//! damage from a wrong password; an HMAC under a master-derived key authenticates the whole header.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

use crate::crypto::{self, KdfParams, MasterKey, SubKeys, KEY_LEN};
use crate::error::{Error, Result};
use crate::files;

const FORMAT: &str = "tokenwarden-keys";
const VERSION: u32 = 1;

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    format: String,
    version: u32,
    vault_id: String,
    created_at: String,
    slots: Vec<Slot>,
    /// Set once `vault.head` records the audit chain's head: from then on a missing record is
    /// tampering, not an older vault. Omitted when false, so older key files keep their bytes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    head_recorded: bool,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Slot {
    Password {
        algorithm: String,
        kdf: KdfParams,
        salt: String,
        wrapped_key: String,
        /// Set when `kdf` is below the floor because the caller asked for it (`--kdf-*`, test
        /// builds); covered by the header MAC. Omitted when false, so older key files, which lack
        /// it, keep their exact bytes and their MAC.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        below_floor_chosen: bool,
    },
    Keyring {
        service: String,
        account: String,
    },
}

/// The file as written: the body's fields, then the MAC and the checksum.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OnDisk {
    format: String,
    version: u32,
    vault_id: String,
    created_at: String,
    slots: Vec<Slot>,
    /// Set once `vault.head` records the audit chain's head: from then on a missing record is
    /// tampering, not an older vault. Omitted when false, so older key files keep their bytes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    head_recorded: bool,
    header_mac: String,
    checksum: String,
}

impl OnDisk {
    fn split(self) -> (Body, String, String) {
        let body = Body {
            format: self.format,
            version: self.version,
            vault_id: self.vault_id,
            created_at: self.created_at,
            slots: self.slots,
            head_recorded: self.head_recorded,
        };
        (body, self.header_mac, self.checksum)
    }
}

/// The parsed key file. Holds only wrapped (encrypted) key material.
#[derive(Clone)]
pub struct KeyFile {
    path: PathBuf,
    body: Body,
    header_mac: Vec<u8>,
}

impl KeyFile {
    /// Makes a new key file with one password slot wrapping `master`.
    pub fn create(
        path: &Path,
        vault_id: &str,
        created_at: String,
        master: &MasterKey,
        password: &[u8],
        kdf: KdfParams,
    ) -> Result<KeyFile> {
        let slot = password_slot(vault_id, master, password, kdf)?;
        let body = Body {
            format: FORMAT.to_owned(),
            version: VERSION,
            vault_id: vault_id.to_owned(),
            created_at,
            slots: vec![slot],
            head_recorded: false,
        };
        let mut file = KeyFile { path: path.to_owned(), body, header_mac: Vec::new() };
        file.seal_header(&master.derive(vault_id));
        Ok(file)
    }

    pub fn read(path: &Path) -> Result<KeyFile> {
        let bytes = std::fs::read(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::NoVault { path: path.parent().unwrap_or(path).to_owned() }
            } else {
                Error::Io { path: path.to_owned(), source }
            }
        })?;
        let corrupt = |detail: &str| Error::Corrupt { path: path.to_owned(), detail: detail.to_owned() };
        let on_disk: OnDisk = serde_json::from_slice(&bytes).map_err(|_| corrupt("it is not a valid key file"))?;
        let (body, header_mac, stored_checksum) = on_disk.split();
        if body.format != FORMAT {
            return Err(corrupt("it is not a Tokenwarden key file"));
        }
        if body.version != VERSION {
            return Err(Error::invalid(
                "vault.keys",
                format!("key file version {} is not supported by this build", body.version),
            ));
        }
        if hex::encode(checksum(&body)) != stored_checksum {
            return Err(corrupt("its checksum does not match"));
        }
        let header_mac = B64.decode(&header_mac).map_err(|_| corrupt("bad header MAC"))?;
        if !body.slots.iter().any(|s| matches!(s, Slot::Password { .. })) {
            return Err(corrupt("it has no password slot"));
        }
        Ok(KeyFile { path: path.to_owned(), body, header_mac })
    }

    pub fn write(&self, overwrite: bool) -> Result<()> {
        let body = self.body.clone();
        let on_disk = OnDisk {
            checksum: hex::encode(checksum(&body)),
            header_mac: B64.encode(&self.header_mac),
            format: body.format,
            version: body.version,
            vault_id: body.vault_id,
            created_at: body.created_at,
            slots: body.slots,
            head_recorded: body.head_recorded,
        };
        let mut bytes =
            serde_json::to_vec_pretty(&on_disk).map_err(|e| Error::Internal(format!("cannot encode key file: {e}")))?;
        bytes.push(b'\n');
        files::write_atomic(&self.path, &bytes, overwrite)
    }

    /// Fails if `vault.keys` on disk is no longer the file this one was read from (another
    /// process changed the password, the keyring slot, or re-keyed the vault): writing this copy
    /// over it would undo that change, or pair the database with a key that does not open it.
    pub fn unchanged_on_disk(&self) -> Result<()> {
        let on_disk = KeyFile::read(&self.path)?;
        if on_disk.header_mac == self.header_mac && on_disk.body.vault_id == self.body.vault_id {
            Ok(())
        } else {
            Err(Error::invalid(
                "vault.keys",
                "it changed since this vault was unlocked (the password was changed or the vault re-keyed elsewhere): lock, unlock again and retry",
            ))
        }
    }

    pub fn vault_id(&self) -> &str {
        &self.body.vault_id
    }

    pub fn created_at(&self) -> &str {
        &self.body.created_at
    }

    pub fn password_kdf(&self) -> Option<KdfParams> {
        self.body.slots.iter().find_map(|s| match s {
            Slot::Password { kdf, .. } => Some(*kdf),
            Slot::Keyring { .. } => None,
        })
    }

    pub fn head_recorded(&self) -> bool {
        self.body.head_recorded
    }

    /// Marks that `vault.head` exists (write it first), re-sealing the header.
    pub fn set_head_recorded(&mut self, master: &MasterKey) {
        self.body.head_recorded = true;
        self.seal_header(&master.derive(&self.body.vault_id));
    }

    /// Test support: makes this a key file from before head records.
    #[cfg(test)]
    pub fn clear_head_recorded(&mut self, master: &MasterKey) {
        self.body.head_recorded = false;
        self.seal_header(&master.derive(&self.body.vault_id));
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn keyring_account(&self) -> Option<&str> {
        self.body.slots.iter().find_map(|s| match s {
            Slot::Keyring { account, .. } => Some(account.as_str()),
            Slot::Password { .. } => None,
        })
    }

    /// Unwraps the master key with the password. Runs Argon2id: slow on purpose.
    pub fn unlock_with_password(&self, password: &[u8]) -> Result<MasterKey> {
        let Some(Slot::Password { kdf, salt, wrapped_key, below_floor_chosen, .. }) =
            self.body.slots.iter().find(|s| matches!(s, Slot::Password { .. }))
        else {
            return Err(self.corrupt("it has no password slot"));
        };
        // Before Argon2id runs: a tampered cost must neither weaken the slot unnoticed nor make
        // this unlock allocate or compute without bound. (`below_floor_chosen` is only proven by
        // the header MAC after the unwrap, which then fails if the flag was added by an attacker.)
        if let Some(problem) = kdf.stored_problem(*below_floor_chosen) {
            return Err(self.corrupt(&problem));
        }
        let salt = B64.decode(salt).map_err(|_| self.corrupt("bad salt"))?;
        let wrapped = B64.decode(wrapped_key).map_err(|_| self.corrupt("bad wrapped key"))?;
        let wrapping = crypto::derive_wrapping_key(password, &salt, *kdf)?;
        let opened = crypto::open(&wrapping, &wrapped, &self.wrap_context())
            .ok_or_else(|| Error::WrongPassword { path: self.path.clone() })?;
        let master = master_from(&opened).ok_or_else(|| self.corrupt("wrapped key has the wrong size"))?;
        self.verify_header(&master)?;
        Ok(master)
    }

    /// Takes a master key fetched from the keyring, checking it belongs to this vault.
    pub fn accept_keyring_key(&self, bytes: &[u8]) -> Result<MasterKey> {
        let master = master_from(bytes).ok_or(Error::KeyringUnavailable {
            detail: "the keyring entry for this vault is not a Tokenwarden key".to_owned(),
        })?;
        if !self.header_matches(&master) {
            return Err(Error::KeyringUnavailable {
                detail: "the keyring holds a key that does not open this vault (was the vault replaced?)".to_owned(),
            });
        }
        Ok(master)
    }

    /// Replaces the password slot with one for `password`; other slots stay.
    pub fn set_password(&mut self, master: &MasterKey, password: &[u8], kdf: KdfParams) -> Result<()> {
        let new_slot = password_slot(self.vault_id(), master, password, kdf)?;
        for slot in &mut self.body.slots {
            if matches!(slot, Slot::Password { .. }) {
                *slot = new_slot.clone();
            }
        }
        self.seal_header(&master.derive(&self.body.vault_id));
        Ok(())
    }

    pub fn set_keyring_slot(&mut self, master: &MasterKey, account: Option<&str>) {
        self.body.slots.retain(|s| matches!(s, Slot::Password { .. }));
        if let Some(account) = account {
            self.body.slots.push(Slot::Keyring {
                service: crate::keystore::OsKeyring::SERVICE.to_owned(),
                account: account.to_owned(),
            });
        }
        self.seal_header(&master.derive(&self.body.vault_id));
    }

    fn wrap_context(&self) -> Vec<u8> {
        format!("tokenwarden/v1/password-slot/{}", self.body.vault_id).into_bytes()
    }

    fn header_bytes(&self) -> Vec<u8> {
        // Infallible: Body holds only strings, numbers and vectors of them.
        #[allow(clippy::expect_used)]
        serde_json::to_vec(&self.body).expect("key file body always serializes")
    }

    fn seal_header(&mut self, keys: &SubKeys) {
        self.header_mac = crypto::hmac_sha256(&keys.header, &[&self.header_bytes()]).to_vec();
    }

    /// Whether the header MAC was made with this master key (so the header is unaltered).
    fn header_matches(&self, master: &MasterKey) -> bool {
        let expected = crypto::hmac_sha256(&master.derive(self.vault_id()).header, &[&self.header_bytes()]);
        expected.as_slice() == self.header_mac.as_slice()
    }

    fn verify_header(&self, master: &MasterKey) -> Result<()> {
        if self.header_matches(master) {
            Ok(())
        } else {
            Err(self.corrupt("its header was altered"))
        }
    }

    fn corrupt(&self, detail: &str) -> Error {
        Error::Corrupt { path: self.path.clone(), detail: detail.to_owned() }
    }
}

fn password_slot(vault_id: &str, master: &MasterKey, password: &[u8], kdf: KdfParams) -> Result<Slot> {
    kdf.validate()?;
    let salt = crypto::random_bytes::<16>();
    let wrapping = crypto::derive_wrapping_key(password, &salt, kdf)?;
    let context = format!("tokenwarden/v1/password-slot/{vault_id}");
    let wrapped = crypto::seal(&wrapping, master.expose(), context.as_bytes());
    Ok(Slot::Password {
        algorithm: "argon2id".to_owned(),
        kdf,
        salt: B64.encode(salt),
        wrapped_key: B64.encode(wrapped),
        // Calibration never goes below the floor: a cost under it was asked for explicitly.
        below_floor_chosen: kdf.is_below_floor(),
    })
}

fn master_from(bytes: &[u8]) -> Option<MasterKey> {
    let array: [u8; KEY_LEN] = bytes.try_into().ok()?;
    Some(MasterKey::from_bytes(Zeroizing::new(array)))
}

fn checksum(body: &Body) -> [u8; 32] {
    // Infallible: see header_bytes.
    #[allow(clippy::expect_used)]
    let bytes = serde_json::to_vec(body).expect("key file body always serializes");
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::crypto::KDF_FLOOR;

    const CHEAP: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };

    fn make(dir: &Path, kdf: KdfParams) -> (KeyFile, MasterKey) {
        let master = MasterKey::generate();
        let file = KeyFile::create(&dir.join("vault.keys"), "vault-id", "2026-01-01".into(), &master, b"password", kdf)
            .unwrap();
        file.write(false).unwrap();
        (file, master)
    }

    #[test]
    fn a_slot_at_the_floor_is_written_without_the_choice_flag_as_older_files_were() {
        let dir = tempfile::tempdir().unwrap();
        let (file, master) = make(dir.path(), KDF_FLOOR);
        let text = std::fs::read_to_string(dir.path().join("vault.keys")).unwrap();
        assert!(!text.contains("below_floor_chosen"), "{text}");
        assert!(file.header_matches(&master));
        let read = KeyFile::read(&dir.path().join("vault.keys")).unwrap();
        assert!(read.unlock_with_password(b"password").is_ok());
    }

    #[test]
    fn a_slot_made_below_the_floor_on_purpose_says_so_under_the_mac_and_opens() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), CHEAP);
        let text = std::fs::read_to_string(dir.path().join("vault.keys")).unwrap();
        assert!(text.contains("\"below_floor_chosen\": true"), "{text}");
        let read = KeyFile::read(&dir.path().join("vault.keys")).unwrap();
        assert!(read.unlock_with_password(b"password").is_ok());
    }

    #[test]
    fn a_weak_slot_without_the_flag_is_refused_as_corrupt_before_argon2() {
        let dir = tempfile::tempdir().unwrap();
        let (mut file, _) = make(dir.path(), CHEAP);
        for slot in &mut file.body.slots {
            if let Slot::Password { below_floor_chosen, .. } = slot {
                *below_floor_chosen = false;
            }
        }
        file.write(true).unwrap();
        let read = KeyFile::read(&dir.path().join("vault.keys")).unwrap();
        // Any password: the refusal comes before the password is tried.
        let err = read.unlock_with_password(b"not even the password").err().unwrap();
        assert!(matches!(err, Error::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("below the minimum"), "{err}");
    }
}
