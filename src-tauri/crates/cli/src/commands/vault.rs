//! `init`, `info`, `check`, `passwd`: the vault itself.

use chrono::{DateTime, Utc};
use serde_json::json;
use tokenwarden_core::vault::{self as core_vault, RekeyOutcome, VaultStatus};
use tokenwarden_core::{Error, Vault};

use super::explicit_kdf;
use crate::args::{Global, InitArgs, PasswdArgs};
use crate::failure::CliResult;
use crate::output::print_json;
use crate::vault_access;

pub fn init(global: &Global, args: InitArgs, now: DateTime<Utc>) -> CliResult {
    let dir = vault_access::vault_dir(global);
    if VaultStatus::probe(&dir)?.exists || dir.join(core_vault::DB_FILE).exists() {
        return Err(Error::VaultExists { path: dir }.into());
    }
    let password = match &global.password_file {
        Some(path) => vault_access::read_first_line(path, "password")?,
        None => vault_access::new_password(None)?,
    };
    core_vault::check_password(&password)?;
    let kdf = match explicit_kdf(&args.kdf)? {
        Some(kdf) => kdf,
        None => {
            if vault_access::stdin_is_terminal() {
                eprintln!("Measuring this machine to choose the key-derivation cost…");
            }
            core_vault::calibrated_kdf()?
        }
    };
    let vault = Vault::create(&dir, &password, kdf, now)?;
    if global.json {
        print_json(&json!({ "dir": dir, "vault_id": vault.vault_id(), "kdf": kdf }));
    } else {
        crate::say!("Created a vault at {} ({kdf}).", dir.display());
    }
    Ok(())
}

pub fn info(global: &Global) -> CliResult {
    let dir = vault_access::vault_dir(global);
    let status = VaultStatus::probe(&dir)?;
    if !status.exists {
        return Err(Error::NoVault { path: dir }.into());
    }
    let database_bytes = core_vault::database_bytes(&dir);
    let below_floor = status.kdf.is_some_and(|k| k.is_below_floor());
    if global.json {
        print_json(&json!({
            "dir": status.dir,
            "vault_id": status.vault_id,
            "created_at": status.created_at,
            "kdf": status.kdf,
            "kdf_below_floor": below_floor,
            "keyring_slot": status.keyring_slot,
            "database_bytes": database_bytes,
        }));
        return Ok(());
    }
    crate::say!("Vault:       {}", status.dir.display());
    crate::say!("Id:          {}", status.vault_id.unwrap_or_default());
    crate::say!("Created:     {}", status.created_at.unwrap_or_default());
    if let Some(kdf) = status.kdf {
        let note = if below_floor { "  (below the recommended minimum: change it with `passwd`)" } else { "" };
        crate::say!("Password:    {kdf}{note}");
    }
    crate::say!("Keyring:     {}", if status.keyring_slot { "unlock with the OS keyring is on" } else { "off" });
    crate::say!("Database:    {database_bytes} bytes");
    Ok(())
}

pub fn check(global: &Global) -> CliResult {
    let vault = vault_access::unlock(global)?;
    let events = vault.check()?;
    let info = vault.info()?;
    if global.json {
        print_json(&json!({ "ok": true, "tokens": info.tokens, "archived": info.archived, "events": events }));
    } else {
        crate::say!(
            "Vault is intact: every page authenticates, {} tokens ({} archived), {} events in an unbroken chain.",
            info.tokens,
            info.archived,
            events
        );
    }
    Ok(())
}

pub fn passwd(global: &Global, args: PasswdArgs, now: DateTime<Utc>) -> CliResult {
    let dir = vault_access::vault_dir(global);
    if args.rekey {
        return rekey(global, &dir, &args, now);
    }
    let mut vault = vault_access::unlock_with_password(global, &dir)?;
    let new = vault_access::new_password(args.new_password_file.as_deref())?;
    core_vault::check_password(&new)?;
    let kdf = kdf_for(&dir, &args)?;
    vault.change_password(&new, kdf, now)?;
    if global.json {
        print_json(&json!({ "changed": true, "kdf": kdf }));
    } else {
        crate::say!("Password changed ({kdf}).");
    }
    Ok(())
}

/// `passwd --rekey`: the same password, a fresh master key.
fn rekey(global: &Global, dir: &std::path::Path, args: &PasswdArgs, now: DateTime<Utc>) -> CliResult {
    let status = VaultStatus::probe(dir)?;
    if !status.exists {
        return Err(Error::NoVault { path: dir.to_owned() }.into());
    }
    let password = vault_access::password(global)?;
    let (vault, _) = Vault::unlock_with_password(dir, &password)?;
    let kdf = kdf_for(dir, args)?;
    let keyring = status.keyring_slot.then(vault_access::keyring);
    let store = keyring.as_ref().map(|k| k as &dyn tokenwarden_core::keystore::KeyStore);
    let (vault, outcome) = vault.rekey(&password, kdf, store, now)?;
    let keyring = match outcome {
        RekeyOutcome::NoKeyring => "off",
        RekeyOutcome::KeyringUpdated => "updated",
        RekeyOutcome::KeyringTurnedOff => "turned_off",
    };
    if global.json {
        print_json(&json!({ "rekeyed": true, "kdf": kdf, "keyring": keyring, "vault_id": vault.vault_id() }));
    } else {
        crate::say!("Vault re-encrypted under a new key ({kdf}); the password is unchanged.");
        if outcome == RekeyOutcome::KeyringUpdated {
            crate::say!("The OS keyring now holds the new key.");
        }
    }
    if outcome == RekeyOutcome::KeyringTurnedOff {
        eprintln!(
            "tokenwarden-cli: warning: the OS keyring did not take the new key, so unlock with the keyring was turned off; turn it on again with `keyring enable`"
        );
    }
    Ok(())
}

/// Without explicit parameters the vault keeps its cost only if that meets the floor; a weak
/// one (chosen once with --kdf-*) is replaced by one calibrated to this machine.
fn kdf_for(dir: &std::path::Path, args: &PasswdArgs) -> CliResult<tokenwarden_core::KdfParams> {
    Ok(match explicit_kdf(&args.kdf)? {
        Some(kdf) => kdf,
        None => match VaultStatus::probe(dir)?.kdf {
            Some(current) if !current.is_below_floor() => current,
            _ => {
                if vault_access::stdin_is_terminal() {
                    eprintln!("Measuring this machine to choose the key-derivation cost…");
                }
                core_vault::calibrated_kdf()?
            }
        },
    })
}
