//! `keyring enable|disable|status`: unlocking with the OS keyring.

use chrono::{DateTime, Utc};
use serde_json::json;
use tokenwarden_core::keystore::KeyStore;
use tokenwarden_core::vault::VaultStatus;
use tokenwarden_core::Error;

use crate::args::{Global, KeyringCommand};
use crate::failure::CliResult;
use crate::output::print_json;
use crate::vault_access;

pub fn run(global: &Global, command: KeyringCommand, now: DateTime<Utc>) -> CliResult {
    let dir = vault_access::vault_dir(global);
    match command {
        KeyringCommand::Enable => {
            let mut vault = vault_access::unlock_with_password(global, &dir)?;
            vault.enable_keyring(&vault_access::keyring(), now)?;
            // Lets `remind` and the tray name tokens while locked. Optional: without it the
            // reminder index keeps ids and dates only.
            if let Err(err) = vault.enable_reminder_index_key(&vault_access::keyring()) {
                crate::note!("tokenwarden-cli: note: reminders will not name tokens while locked: {err}");
            }
            report(global, true, "Unlock with the OS keyring is on: the vault key is in your keyring.");
        }
        KeyringCommand::Disable => {
            let mut vault = vault_access::unlock_with_password(global, &dir)?;
            vault.disable_keyring(&vault_access::keyring(), now)?;
            if let Err(err) = vault.disable_reminder_index_key(&vault_access::keyring()) {
                crate::note!(
                    "tokenwarden-cli: note: the reminder index key could not be removed from the keyring: {err}"
                );
            }
            report(global, false, "Unlock with the OS keyring is off: the vault key was removed from your keyring.");
        }
        KeyringCommand::Status => {
            let status = VaultStatus::probe(&dir)?;
            if !status.exists {
                return Err(Error::NoVault { path: dir }.into());
            }
            let account = status.vault_id.map(|id| format!("vault:{id}")).unwrap_or_default();
            let reachable = vault_access::keyring().load(&account);
            let (holds_key, problem) = match &reachable {
                Ok(found) => (found.is_some(), None),
                Err(e) => (false, Some(e.to_string())),
            };
            if global.json {
                print_json(&json!({ "enabled": status.keyring_slot, "holds_key": holds_key, "problem": problem }));
            } else {
                crate::say!("Keyring unlock: {}", if status.keyring_slot { "on" } else { "off" });
                match problem {
                    Some(problem) => crate::say!("Keyring:        {problem}"),
                    None => crate::say!(
                        "Keyring:        {}",
                        if holds_key { "holds this vault's key" } else { "holds no key for this vault" }
                    ),
                }
            }
        }
    }
    Ok(())
}

fn report(global: &Global, enabled: bool, text: &str) {
    if global.json {
        print_json(&json!({ "enabled": enabled }));
    } else {
        crate::say!("{text}");
    }
}
