//! Re-keying: the vault re-encrypted under a fresh master key (new SQLCipher key, every sealed
//! secret resealed, fingerprints and the audit chain recomputed, the password slot and the
//! keyring entry replaced). It must never leave a vault that the password cannot open.
//!
//! The new database is built beside the old one as `vault.db.rekey`. The commit point is the
//! atomic rename of the new `vault.keys` into place: before it, the old key file opens the old
//! `vault.db` and a leftover `vault.db.rekey` is discarded at the next unlock; after it, the new
//! key file opens `vault.db.rekey`, and the next unlock (or this run) rolls forward by recording
//! the new head, dropping the old WAL and renaming `vault.db.rekey` over `vault.db`.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use std::path::Path;

use super::anchor::{self, Anchor};
use super::{KdfParams, Vault, DB_FILE};
use crate::crypto::{self, MasterKey, SubKeys};
use crate::error::{Error, Result};
use crate::keystore::KeyStore;
use crate::store::events::{self, EventKind};
use crate::store::{self, database};

/// The new database while it is being built, beside `vault.db`.
pub const REKEY_DB_FILE: &str = "vault.db.rekey";

/// What a re-key did besides re-encrypting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RekeyOutcome {
    /// No keyring slot: nothing else to do.
    NoKeyring,
    /// The keyring entry now holds the new key.
    KeyringUpdated,
    /// The keyring could not take the new key: its slot was removed (unlock with the password,
    /// then turn keyring unlock on again).
    KeyringTurnedOff,
}

fn staging_files(dir: &Path) -> [std::path::PathBuf; 4] {
    ["", "-wal", "-shm", "-journal"].map(|suffix| dir.join(format!("{REKEY_DB_FILE}{suffix}")))
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io { path: path.to_owned(), source: e }),
        _ => Ok(()),
    }
}

fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(Error::io(dir))?;
    Ok(())
}

/// Run at every unlock with the keys `vault.keys` gave: finishes a re-key that passed its commit
/// point, or discards one that did not.
pub(crate) fn recover(dir: &Path, keys: &SubKeys) -> Result<()> {
    let staged = dir.join(REKEY_DB_FILE);
    let file = match std::fs::File::open(&staged) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(Error::Io { path: staged, source }),
    };
    // A re-key still running elsewhere holds this lock: its staged database is not junk yet.
    lock_staging(&file, &staged)?;
    // Before the commit point the key file still opens the old database: the staged one is junk.
    if database::open(&dir.join(DB_FILE), &keys.database, false).is_ok() {
        for path in staging_files(dir) {
            remove_if_present(&path)?;
        }
        return sync_dir(dir);
    }
    // After it, the key file opens the staged database: finish moving it into place.
    database::open(&staged, &keys.database, false)?;
    roll_forward(dir, keys)
}

/// Records the staged database's head under the new key, drops the old database's WAL (pages
/// under the old key), then renames the staged database over `vault.db`. Safe to repeat: until
/// the rename, `recover` lands here again.
fn roll_forward(dir: &Path, keys: &SubKeys) -> Result<()> {
    let staged = dir.join(REKEY_DB_FILE);
    {
        let conn = database::open(&staged, &keys.database, false)?;
        let vault_id = vault_id_of(dir)?;
        anchor::catch_up(&conn, &Anchor::new(dir, &vault_id, keys))?;
        // A single file, no WAL beside it, before it moves.
        database::leave_wal(&conn)?;
    }
    for suffix in ["-wal", "-shm"] {
        remove_if_present(&dir.join(format!("{DB_FILE}{suffix}")))?;
    }
    std::fs::rename(&staged, dir.join(DB_FILE)).map_err(Error::io(&staged))?;
    sync_dir(dir)
}

/// Takes the re-key lock on the staged database (released when `file` is closed, or its process
/// dies), or says that another process holds it.
fn lock_staging(file: &std::fs::File, path: &Path) -> Result<()> {
    #[cfg(unix)]
    rustix::fs::flock(file, rustix::fs::FlockOperation::NonBlockingLockExclusive).map_err(|_| Error::Io {
        path: path.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            "another process is re-keying this vault; try again when it has finished",
        ),
    })?;
    #[cfg(not(unix))]
    let _ = (file, path);
    Ok(())
}

fn vault_id_of(dir: &Path) -> Result<String> {
    super::VaultStatus::probe(dir)?.vault_id.ok_or_else(|| Error::NoVault { path: dir.to_owned() })
}

impl Vault {
    /// Checks that `password` is this vault's password (runs Argon2id: slow on purpose).
    pub fn verify_password(&self, password: &SecretString) -> Result<()> {
        let check = self.keyfile.unlock_with_password(password.expose_secret().as_bytes())?;
        if check.expose() != self.master.expose() {
            return Err(Error::WrongPassword { path: self.keyfile.path().to_owned() });
        }
        Ok(())
    }

    /// Re-encrypts the vault under a fresh master key and returns it unlocked under that key.
    /// `password` must be the vault's password (checked); it stays the password. `store` is the
    /// keyring to update when keyring unlock is on.
    pub fn rekey(
        self,
        password: &SecretString,
        kdf: KdfParams,
        store: Option<&dyn KeyStore>,
        now: DateTime<Utc>,
    ) -> Result<(Vault, RekeyOutcome)> {
        kdf.validate()?;
        // Whoever unlocked (perhaps through the keyring) must also know the password.
        self.verify_password(password)?;
        // An intact history is re-anchored; a tampered one is not laundered under the new key.
        self.verify_log()?;
        let dir = self.dir.clone();
        for path in staging_files(&dir) {
            remove_if_present(&path)?;
        }
        let master = MasterKey::generate();
        let new_keys = master.derive(self.vault_id());
        let staged = dir.join(REKEY_DB_FILE);
        let _lock = self.export_to(&staged, &new_keys)?;
        self.reseal_staged(&staged, &new_keys, now)?;
        std::fs::File::open(&staged).and_then(|f| f.sync_all()).map_err(Error::io(&staged))?;
        sync_dir(&dir)?;

        let mut keyfile = self.keyfile.clone();
        keyfile.set_password(&master, password.expose_secret().as_bytes(), kdf)?;
        let account = keyfile.keyring_account().map(str::to_owned);
        self.keyfile.unchanged_on_disk()?;
        // The commit point, while this connection still holds the old database's write lock, so
        // no other process can add to the database being replaced.
        keyfile.write(true)?;
        drop(self);
        roll_forward(&dir, &new_keys)?;

        let mut outcome = RekeyOutcome::NoKeyring;
        if let Some(account) = account {
            let stored = store.map(|s| {
                s.store(&account, master.expose())
                    .and_then(|()| s.load(&account))
                    .map(|back| back.is_some_and(|b| b.as_slice() == master.expose().as_slice()))
            });
            outcome = if matches!(stored, Some(Ok(true))) {
                RekeyOutcome::KeyringUpdated
            } else {
                // The old key must not linger in the keyring, and the slot must not promise a key
                // the keyring does not hold.
                if let Some(s) = store {
                    let _ = s.delete(&account);
                }
                keyfile.set_keyring_slot(&master, None);
                keyfile.write(true)?;
                RekeyOutcome::KeyringTurnedOff
            };
        }
        let vault = Vault::open_with(&dir, keyfile, master)?;
        Ok((vault, outcome))
    }

    /// Copies the whole database into `staged`, encrypted under the new database key. Returns the
    /// staged file, locked: keep it open until the re-key is done, so no other unlock takes the
    /// half-built database for an abandoned one.
    pub(super) fn export_to(&self, staged: &Path, keys: &SubKeys) -> Result<std::fs::File> {
        let path = staged.to_str().ok_or_else(|| Error::invalid("vault", "the vault path is not UTF-8"))?;
        // The vault's connection may not create files, so ATTACH gets an empty, private one.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(staged).map_err(Error::io(staged))?;
        lock_staging(&file, staged)?;
        database::copy_encrypted(&self.conn, path, &keys.database)?;
        // From here until the re-key ends (this connection closes), other processes cannot write
        // to the old database: what they would add after the copy would be lost. One that wrote
        // in the moment between the copy and this lock makes the re-key stop and ask to retry.
        if !database::hold_write_lock(&self.conn)? {
            return Err(Error::invalid("vault", "it changed while it was being copied for the re-key; try again"));
        }
        Ok(file)
    }

    /// In the staged copy: every sealed secret resealed and fingerprinted under the new keys, the
    /// audit chain recomputed under the new audit key, and the re-key itself logged.
    pub(super) fn reseal_staged(&self, staged: &Path, keys: &SubKeys, now: DateTime<Utc>) -> Result<()> {
        let version = database::schema_version(&self.conn)?;
        let mut conn = database::open(staged, &keys.database, false)?;
        database::set_schema_version(&conn, version)?;
        let corrupt = |what: String| Error::Corrupt {
            path: self.dir.join(DB_FILE),
            detail: format!("the secret of {what} fails authentication"),
        };
        let tx = database::transaction(&mut conn)?;
        let secrets = store::secrets::all_sealed(&tx)?;
        let count = secrets.len();
        for (id, sealed) in secrets {
            let plain =
                crypto::open(&self.keys.field, &sealed, id.as_bytes()).ok_or_else(|| corrupt(format!("token {id}")))?;
            let sealed = crypto::seal(&keys.field, &plain, id.as_bytes());
            store::secrets::replace(&tx, &id, &sealed, keys.fingerprint(&plain).as_slice())?;
        }
        let pending = store::rotations::all_sealed(&tx)?;
        for (id, sealed) in pending {
            let associated = format!("rotation:{id}").into_bytes();
            let plain = crypto::open(&self.keys.field, &sealed, &associated)
                .ok_or_else(|| corrupt(format!("rotation {id}")))?;
            let sealed = crypto::seal(&keys.field, &plain, &associated);
            store::rotations::reseal(&tx, &id, &sealed, keys.fingerprint(&plain).as_slice())?;
        }
        events::rechain(&tx, &keys.audit)?;
        events::append(&tx, &keys.audit, now, EventKind::VaultRekeyed, None, &serde_json::json!({ "secrets": count }))?;
        database::commit(tx)
    }
}
