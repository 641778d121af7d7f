//! The OS keyring, behind a small trait so the vault logic can be tested without one and so the
//! real one can never silently be swapped for the keyring crate's in-memory mock.
//! On Linux the Secret Service credential is built explicitly (not through the crate's default
//! builder), and every call has a timeout: a locked keyring may otherwise wait forever on a prompt.

use std::sync::mpsc;
use std::time::Duration;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub trait KeyStore: Send + Sync {
    fn store(&self, account: &str, secret: &[u8]) -> Result<()>;
    /// `Ok(None)` when the keyring works but holds nothing under `account`.
    fn load(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>>;
    /// Deleting an absent entry is not an error.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The platform keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
pub struct OsKeyring {
    service: String,
    timeout: Duration,
}

impl OsKeyring {
    pub const SERVICE: &'static str = "tokenwarden";

    pub fn new() -> Self {
        OsKeyring { service: Self::SERVICE.to_owned(), timeout: Duration::from_secs(10) }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn call<T: Send + 'static>(
        &self,
        account: &str,
        op: impl FnOnce(keyring::Entry) -> std::result::Result<T, keyring::Error> + Send + 'static,
    ) -> Result<T> {
        let service = self.service.clone();
        let account = account.to_owned();
        let (tx, rx) = mpsc::channel();
        // The thread is detached on timeout: a hung D-Bus call cannot be cancelled, only abandoned.
        std::thread::spawn(move || {
            let result = platform_entry(&service, &account).and_then(op);
            let _ = tx.send(result);
        });
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result.map_err(describe),
            Err(_) => Err(Error::KeyringUnavailable {
                detail: format!(
                    "no answer within {} s (is the keyring locked and waiting for a prompt?)",
                    self.timeout.as_secs()
                ),
            }),
        }
    }
}

impl Default for OsKeyring {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyStore for OsKeyring {
    fn store(&self, account: &str, secret: &[u8]) -> Result<()> {
        let secret = Zeroizing::new(secret.to_vec());
        self.call(account, move |entry| entry.set_secret(&secret))
    }

    fn load(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        self.call(account, |entry| match entry.get_secret() {
            Ok(bytes) => Ok(Some(Zeroizing::new(bytes))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.call(account, |entry| match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e),
        })
    }
}

#[cfg(target_os = "linux")]
fn platform_entry(service: &str, account: &str) -> std::result::Result<keyring::Entry, keyring::Error> {
    let credential = keyring::secret_service::SsCredential::new_with_target(None, service, account)?;
    Ok(keyring::Entry::new_with_credential(Box::new(credential)))
}

#[cfg(not(target_os = "linux"))]
fn platform_entry(service: &str, account: &str) -> std::result::Result<keyring::Entry, keyring::Error> {
    keyring::Entry::new(service, account)
}

/// keyring's errors may quote attributes but never the secret; keep only the kind and its text.
fn describe(err: keyring::Error) -> Error {
    let detail = match &err {
        keyring::Error::NoStorageAccess(inner) => format!("access refused or keyring locked ({inner})"),
        keyring::Error::PlatformFailure(inner) => format!("keyring service failed ({inner})"),
        other => other.to_string(),
    };
    Error::KeyringUnavailable { detail }
}

/// A keyring in memory, for unit tests of the logic above the trait.
#[derive(Default)]
pub struct MemoryKeyStore {
    entries: std::sync::Mutex<std::collections::HashMap<String, Zeroizing<Vec<u8>>>>,
}

impl KeyStore for MemoryKeyStore {
    fn store(&self, account: &str, secret: &[u8]) -> Result<()> {
        self.lock().insert(account.to_owned(), Zeroizing::new(secret.to_vec()));
        Ok(())
    }

    fn load(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        Ok(self.lock().get(account).cloned())
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.lock().remove(account);
        Ok(())
    }
}

impl MemoryKeyStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Zeroizing<Vec<u8>>>> {
        // A poisoned map only means another test thread panicked; its data is still usable.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
