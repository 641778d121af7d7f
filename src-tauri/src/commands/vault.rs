//! Vault commands: status, create, unlock (password or OS keyring), lock, and the keyring slot.
//! Unlocking runs Argon2id (~0.75 s), so these are async commands, off the main thread.

use chrono::Utc;
use secrecy::SecretString;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tokenwarden_core::keystore::OsKeyring;
use tokenwarden_core::vault::{self, KdfParams, VaultStatus};
use tokenwarden_core::{Error, Vault};

use crate::state::Session;
use crate::{IpcError, ReminderTrigger, VaultDir};

/// `VaultStatus` plus whether this app has it unlocked.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct AppVaultStatus {
    #[serde(flatten)]
    pub status: VaultStatus,
    pub locked: bool,
}

#[tauri::command]
pub async fn vault_status(dir: State<'_, VaultDir>, session: State<'_, Session>) -> Result<AppVaultStatus, IpcError> {
    Ok(AppVaultStatus { status: VaultStatus::probe(&dir.0)?, locked: !session.is_unlocked() })
}

/// Argon2id cost for new vaults: calibrated, unless TOKENWARDEN_KDF=fast asks a debug build for
/// the cheap parameters the end-to-end tests use (a warning says so on stderr). Release builds
/// ignore the variable: a user's vault is never made weak by something in the environment.
fn kdf_for_new_vault() -> tokenwarden_core::Result<KdfParams> {
    let requested = std::env::var("TOKENWARDEN_KDF").is_ok_and(|v| v == "fast");
    if fast_kdf_allowed(requested, cfg!(debug_assertions)) {
        eprintln!(
            "tokenwarden: warning: TOKENWARDEN_KDF=fast: creating a vault with a weak key-derivation cost (tests only)"
        );
        return Ok(KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 });
    }
    if requested {
        eprintln!("tokenwarden: TOKENWARDEN_KDF=fast is ignored by release builds");
    }
    vault::calibrated_kdf()
}

fn fast_kdf_allowed(requested: bool, debug_build: bool) -> bool {
    requested && debug_build
}

#[tauri::command]
pub async fn vault_create(
    dir: State<'_, VaultDir>,
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    password: SecretString,
    use_keyring: bool,
) -> Result<(), IpcError> {
    let now = Utc::now();
    let mut vault = Vault::create(&dir.0, &password, kdf_for_new_vault()?, now)?;
    if use_keyring {
        let keyring = OsKeyring::new();
        vault.enable_keyring(&keyring, now)?;
        seal_reminder_index(&mut vault, &keyring);
    }
    session.open(vault);
    reminders.poke();
    Ok(())
}

/// With the user's consent to the OS keyring, the reminder index's key goes there too, so
/// reminders and the tray can name tokens while the vault is locked. Without it (or when it
/// fails) the index keeps only ids and dates, and reminders say "unlock to see which".
fn seal_reminder_index(vault: &mut Vault, keyring: &OsKeyring) {
    if let Err(error) = vault.enable_reminder_index_key(keyring) {
        eprintln!("tokenwarden: reminders will not name tokens while locked: {error}");
    }
}

#[tauri::command]
pub async fn vault_unlock(
    dir: State<'_, VaultDir>,
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    password: SecretString,
) -> Result<(), IpcError> {
    let (vault, _timings) = Vault::unlock_with_password(&dir.0, &password)?;
    session.open(vault);
    reminders.poke();
    Ok(())
}

#[tauri::command]
pub async fn vault_unlock_keyring(
    dir: State<'_, VaultDir>,
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
) -> Result<(), IpcError> {
    let vault = Vault::unlock_with_keyring(&dir.0, &OsKeyring::new())?;
    session.open(vault);
    reminders.poke();
    Ok(())
}

#[tauri::command]
pub fn vault_lock<R: Runtime>(app: AppHandle<R>, session: State<'_, Session>, reminders: State<'_, ReminderTrigger>) {
    session.lock();
    reminders.poke();
    crate::forget::forget_web_content(&app);
}

#[tauri::command]
pub async fn keyring_set(
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    enabled: bool,
    password: Option<SecretString>,
) -> Result<(), IpcError> {
    let keyring = OsKeyring::new();
    session.with_vault(|v| {
        if enabled {
            // Unlocking without a password from now on is for someone who knows it now.
            let password = password.as_ref().ok_or_else(|| Error::InvalidInput {
                field: "password".to_owned(),
                problem: "turning on keyring unlock needs the vault password".to_owned(),
            })?;
            v.confirm_password(password)?;
            v.enable_keyring(&keyring, Utc::now())?;
            seal_reminder_index(v, &keyring);
            Ok(())
        } else {
            // The index goes back to ids and dates before its key leaves the keyring.
            v.disable_reminder_index_key(&keyring)?;
            v.disable_keyring(&keyring, Utc::now())
        }
    })?;
    reminders.poke();
    Ok(())
}

/// Re-encrypts the vault under a fresh master key; the password stays and is asked for again.
/// A wrong password is refused before anything changes, and the vault stays unlocked.
#[tauri::command]
pub async fn vault_rekey(
    dir: State<'_, VaultDir>,
    session: State<'_, Session>,
    reminders: State<'_, ReminderTrigger>,
    password: SecretString,
) -> Result<(), IpcError> {
    session.with_vault(|v| v.verify_password(&password))?;
    // Keep the vault's cost unless it is below the floor (then calibrate, as for a new vault).
    let kdf = match VaultStatus::probe(&dir.0)?.kdf {
        Some(current) if !current.is_below_floor() => current,
        _ => kdf_for_new_vault()?,
    };
    let keyring = OsKeyring::new();
    session.replace_vault(|v| {
        let store = v.keyring_enabled().then_some(&keyring as &dyn tokenwarden_core::keystore::KeyStore);
        v.rekey(&password, kdf, store, Utc::now()).map(|(vault, _outcome)| vault)
    })?;
    reminders.poke();
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fast_kdf_shortcut_is_honoured_only_by_debug_builds() {
        assert!(super::fast_kdf_allowed(true, true));
        assert!(!super::fast_kdf_allowed(true, false), "a release build ignores TOKENWARDEN_KDF=fast");
        assert!(!super::fast_kdf_allowed(false, true));
    }
}
