//! The vault: a directory holding `vault.db` (SQLCipher) and `vault.keys` (key slots).
//! Creating, unlocking, locking, changing the password and the keyring slot live here; the
//! domain operations (tokens, usages, events, settings) are `impl Vault` blocks in their modules.
//! An unlocked `Vault` holds the keys; dropping it (locking) wipes them and closes the database.

mod anchor;
mod keyfile;
mod rekey;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use crate::crypto::KdfParams;
use crate::crypto::{self, MasterKey, SubKeys};
use crate::error::{Error, Result};
use crate::keystore::KeyStore;
use crate::store::events::EventKind;
use crate::store::{self, database, migrations};
use anchor::{Anchor, AnchoredConnection};
use keyfile::KeyFile;

pub use anchor::HEAD_FILE;
pub use rekey::{RekeyOutcome, REKEY_DB_FILE};

pub const DB_FILE: &str = "vault.db";
pub const KEYS_FILE: &str = "vault.keys";

/// The default vault directory: `tokenwarden/` in the OS data dir (`~/.local/share/tokenwarden`).
/// The app and the CLI share it.
pub fn default_dir() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("tokenwarden")
}

/// What can be known about a vault without unlocking it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VaultStatus {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub dir: PathBuf,
    pub exists: bool,
    pub vault_id: Option<String>,
    pub created_at: Option<String>,
    pub keyring_slot: bool,
    pub kdf: Option<KdfParams>,
}

impl VaultStatus {
    pub fn probe(dir: &Path) -> Result<VaultStatus> {
        let keys = dir.join(KEYS_FILE);
        if !keys.exists() {
            return Ok(VaultStatus {
                dir: dir.to_owned(),
                exists: false,
                vault_id: None,
                created_at: None,
                keyring_slot: false,
                kdf: None,
            });
        }
        let file = KeyFile::read(&keys)?;
        Ok(VaultStatus {
            dir: dir.to_owned(),
            exists: true,
            vault_id: Some(file.vault_id().to_owned()),
            created_at: Some(file.created_at().to_owned()),
            keyring_slot: file.keyring_account().is_some(),
            kdf: file.password_kdf(),
        })
    }
}

/// Facts about an unlocked vault, for `info` and the settings screen. No secrets.
#[derive(Debug, Clone, Serialize)]
pub struct VaultInfo {
    pub dir: PathBuf,
    pub vault_id: String,
    pub created_at: String,
    pub schema_version: u32,
    pub kdf: Option<KdfParams>,
    pub kdf_below_floor: bool,
    pub keyring_slot: bool,
    pub tokens: u64,
    pub archived: u64,
    pub events: u64,
    pub database_bytes: u64,
}

/// How long an unlock took: the deliberate Argon2id cost, and everything after it.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnlockTimings {
    pub kdf: Duration,
    /// The CPU time the KDF took (it runs on the calling thread): what a benchmark subtracts to
    /// compare the work after it, free of the wall clock's scheduling noise.
    pub kdf_cpu: Duration,
    pub open: Duration,
}

/// The calling thread's CPU time so far.
fn thread_cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(u64::try_from(t.tv_sec).unwrap_or(0), u32::try_from(t.tv_nsec).unwrap_or(0))
}

pub struct Vault {
    dir: PathBuf,
    keyfile: KeyFile,
    master: MasterKey,
    pub(crate) keys: SubKeys,
    pub(crate) conn: AnchoredConnection,
}

impl Vault {
    /// Creates a new vault in `dir` (made if missing, mode 0700). Fails if one exists there.
    /// `kdf` is either calibrated (never below the floor) or the caller's explicit choice; a cost
    /// below the floor is recorded as chosen, so unlocking accepts it, while one edited into the
    /// file afterwards is refused as tampering.
    pub fn create(dir: &Path, password: &SecretString, kdf: KdfParams, now: DateTime<Utc>) -> Result<Vault> {
        check_password(password)?;
        kdf.validate()?;
        let db_path = dir.join(DB_FILE);
        let keys_path = dir.join(KEYS_FILE);
        if db_path.exists() || keys_path.exists() {
            return Err(Error::VaultExists { path: dir.to_owned() });
        }
        crate::files::create_private_dir(dir)?;
        let vault_id = uuid::Uuid::now_v7().to_string();
        let master = MasterKey::generate();
        let mut keyfile = KeyFile::create(
            &keys_path,
            &vault_id,
            crate::timestamp::encode(now),
            &master,
            password.expose_secret().as_bytes(),
            kdf,
        )?;
        let keys = master.derive(&vault_id);
        let mut conn = database::open(&db_path, &keys.database, true)?;
        restrict_permissions(&db_path)?;
        migrations::apply(&mut conn)?;
        // The head record comes before the key file that says it exists.
        let anchor = Anchor::new(dir, &vault_id, &keys);
        anchor::catch_up(&conn, &anchor)?;
        keyfile.set_head_recorded(&master);
        // The key file is written last: a crash before this leaves no half-made vault that unlocks.
        keyfile.write(false)?;
        let conn = AnchoredConnection::new(conn, anchor.bound_to(&db_path));
        let mut vault = Vault { dir: dir.to_owned(), keyfile, master, keys, conn };
        vault.log(now, EventKind::VaultCreated, None, serde_json::json!({ "kdf": kdf }))?;
        Ok(vault)
    }

    pub fn unlock_with_password(dir: &Path, password: &SecretString) -> Result<(Vault, UnlockTimings)> {
        let keyfile = KeyFile::read(&dir.join(KEYS_FILE))?;
        let started = Instant::now();
        let cpu_before = thread_cpu_time();
        let master = keyfile.unlock_with_password(password.expose_secret().as_bytes())?;
        let kdf_cpu = thread_cpu_time().saturating_sub(cpu_before);
        let kdf = started.elapsed();
        let vault = Self::open_with(dir, keyfile, master)?;
        Ok((vault, UnlockTimings { kdf, kdf_cpu, open: started.elapsed() - kdf }))
    }

    /// Unlocks with the master key kept in the OS keyring. Fails with `KeyringUnavailable` or
    /// `KeyringEmpty` (callers fall back to the password) when the keyring cannot give it.
    pub fn unlock_with_keyring(dir: &Path, store: &dyn KeyStore) -> Result<Vault> {
        let keyfile = KeyFile::read(&dir.join(KEYS_FILE))?;
        let account = keyfile.keyring_account().ok_or(Error::KeyringEmpty)?.to_owned();
        let bytes = store.load(&account)?.ok_or(Error::KeyringEmpty)?;
        let master = keyfile.accept_keyring_key(&bytes)?;
        Self::open_with(dir, keyfile, master)
    }

    fn open_with(dir: &Path, mut keyfile: KeyFile, master: MasterKey) -> Result<Vault> {
        let keys = master.derive(keyfile.vault_id());
        // An interrupted re-key is finished or discarded before anything reads the database.
        rekey::recover(dir, &keys)?;
        let mut conn = database::open(&dir.join(DB_FILE), &keys.database, false)?;
        migrations::apply(&mut conn)?;
        // A database older than the recorded head was put back in place: refuse it.
        let anchor = Anchor::new(dir, keyfile.vault_id(), &keys);
        match anchor::check(&conn, &anchor, keyfile.head_recorded())? {
            anchor::CheckOutcome::Agrees { behind: false } => {}
            anchor::CheckOutcome::Agrees { behind: true } => anchor::catch_up(&conn, &anchor)?,
            anchor::CheckOutcome::Missing => {
                // A vault from before head records: record it now, then say so in vault.keys.
                anchor::catch_up(&conn, &anchor)?;
                keyfile.set_head_recorded(&master);
                keyfile.write(true)?;
            }
        }
        let conn = AnchoredConnection::new(conn, anchor.bound_to(&dir.join(DB_FILE)));
        Ok(Vault { dir: dir.to_owned(), keyfile, master, keys, conn })
    }

    /// Locks: closes the database and wipes every key (they are zeroized on drop).
    pub fn lock(self) {
        drop(self);
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn vault_id(&self) -> &str {
        self.keyfile.vault_id()
    }

    /// Checks `password` against this vault's password slot (Argon2id: slow on purpose), for
    /// actions that ask for it again while unlocked. `WrongPassword` when it does not open it.
    pub fn confirm_password(&self, password: &SecretString) -> Result<()> {
        self.keyfile.unlock_with_password(password.expose_secret().as_bytes()).map(drop)
    }

    /// Re-wraps the master key under a new password. Only `vault.keys` changes. A `kdf` below the
    /// floor is recorded in the authenticated header as chosen on purpose (see `create`).
    pub fn change_password(&mut self, new: &SecretString, kdf: KdfParams, now: DateTime<Utc>) -> Result<()> {
        check_password(new)?;
        let mut updated = self.keyfile.clone();
        updated.set_password(&self.master, new.expose_secret().as_bytes(), kdf)?;
        self.keyfile.unchanged_on_disk()?;
        updated.write(true)?;
        self.keyfile = updated;
        self.log(now, EventKind::PasswordChanged, None, serde_json::json!({ "kdf": kdf }))
    }

    /// Puts the master key in the OS keyring and records a keyring slot.
    pub fn enable_keyring(&mut self, store: &dyn KeyStore, now: DateTime<Utc>) -> Result<()> {
        let account = format!("vault:{}", self.vault_id());
        store.store(&account, self.master.expose())?;
        // Read it back: a keyring that accepts writes but forgets them must not be trusted.
        let stored = store.load(&account)?.ok_or(Error::KeyringUnavailable {
            detail: "the keyring accepted the key but did not return it".to_owned(),
        })?;
        if stored.as_slice() != self.master.expose() {
            return Err(Error::KeyringUnavailable { detail: "the keyring returned a different key".to_owned() });
        }
        let mut updated = self.keyfile.clone();
        updated.set_keyring_slot(&self.master, Some(&account));
        self.keyfile.unchanged_on_disk()?;
        updated.write(true)?;
        self.keyfile = updated;
        self.log(now, EventKind::KeyringEnabled, None, serde_json::json!({}))
    }

    /// Removes the keyring slot, then the key from the keyring.
    pub fn disable_keyring(&mut self, store: &dyn KeyStore, now: DateTime<Utc>) -> Result<()> {
        let account = self.keyfile.keyring_account().map(str::to_owned);
        let mut updated = self.keyfile.clone();
        updated.set_keyring_slot(&self.master, None);
        self.keyfile.unchanged_on_disk()?;
        updated.write(true)?;
        self.keyfile = updated;
        if let Some(account) = account {
            store.delete(&account)?;
        }
        self.log(now, EventKind::KeyringDisabled, None, serde_json::json!({}))
    }

    pub fn keyring_enabled(&self) -> bool {
        self.keyfile.keyring_account().is_some()
    }

    pub fn info(&self) -> Result<VaultInfo> {
        let kdf = self.keyfile.password_kdf();
        let database_bytes = database_bytes(&self.dir);
        Ok(VaultInfo {
            dir: self.dir.clone(),
            vault_id: self.vault_id().to_owned(),
            created_at: self.keyfile.created_at().to_owned(),
            schema_version: database::schema_version(&self.conn)?,
            kdf,
            kdf_below_floor: kdf.is_some_and(|k| k.is_below_floor()),
            keyring_slot: self.keyring_enabled(),
            tokens: store::tokens::count(&self.conn, false)?,
            archived: store::tokens::count(&self.conn, true)?,
            events: store::events::count(&self.conn)?,
            database_bytes,
        })
    }

    /// Full check: every page's HMAC, the b-trees, and the audit log's hash chain.
    pub fn check(&self) -> Result<u64> {
        database::check(&self.conn, &self.dir.join(DB_FILE))?;
        self.verify_log()
    }

    /// Folds the WAL back into the database file (the app calls this when idle).
    pub fn checkpoint(&self) -> Result<()> {
        database::checkpoint(&self.conn)
    }
}

/// Bytes the database takes on disk: `vault.db` and its write-ahead log. Needs no unlocking.
pub fn database_bytes(dir: &Path) -> u64 {
    [DB_FILE, "vault.db-wal"].iter().filter_map(|f| std::fs::metadata(dir.join(f)).ok()).map(|m| m.len()).sum()
}

/// The cost to use when the caller names none: calibrated to this machine.
pub fn calibrated_kdf() -> Result<KdfParams> {
    crypto::calibrate()
}

/// The shortest vault password accepted, in characters: the same rule as the app's setup screen
/// (`MIN_PASSWORD_LENGTH` in `ui/src/lib/model/strength.ts`).
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Whether `password` may become a vault password (checked again by `create` and
/// `change_password`; callers check first to fail before any slow work).
pub fn check_password(password: &SecretString) -> Result<()> {
    let len = password.expose_secret().chars().count();
    if len == 0 {
        return Err(Error::invalid("password", "the password is empty"));
    }
    if len < MIN_PASSWORD_CHARS {
        return Err(Error::invalid(
            "password",
            format!("the password must be at least {MIN_PASSWORD_CHARS} characters; a short sentence works well"),
        ));
    }
    if len > 1024 {
        return Err(Error::invalid("password", "the password is longer than 1024 characters"));
    }
    Ok(())
}

fn restrict_permissions(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(Error::io(path))?;
    }
    Ok(())
}
