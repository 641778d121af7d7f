//! `usage add|list|rm`: where each token is used, for rotation checklists and audits.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::args::{Global, UsageCommand};
use crate::failure::CliResult;
use crate::output::{field, print_json, print_table};
use crate::vault_access;

pub fn run(global: &Global, command: UsageCommand, now: DateTime<Utc>) -> CliResult {
    let mut vault = vault_access::unlock(global)?;
    match command {
        UsageCommand::Add { token, kind, location, note } => {
            let token = vault.resolve(&token)?;
            let usage = vault.add_usage(&token.id, &kind, &location, note, now)?;
            if global.json {
                print_json(&usage);
            } else {
                crate::say!(
                    "Recorded: '{}' is used in {} ({}).",
                    field(&token.name),
                    field(&usage.location),
                    field(&usage.kind)
                );
            }
        }
        UsageCommand::List { token } => {
            let token = vault.resolve(&token)?;
            let usages = vault.usages(&token.id)?;
            if global.json {
                print_json(&usages);
            } else {
                let rows: Vec<Vec<String>> = usages
                    .iter()
                    .map(|u| {
                        vec![u.kind.clone(), u.location.clone(), u.notes.clone().unwrap_or_default(), u.id.clone()]
                    })
                    .collect();
                print_table(&["KIND", "LOCATION", "NOTE", "ID"], &rows);
            }
        }
        UsageCommand::Rm { id } => {
            vault.remove_usage(&id, now)?;
            if global.json {
                print_json(&json!({ "removed": id }));
            } else {
                crate::say!("Usage removed.");
            }
        }
    }
    Ok(())
}
