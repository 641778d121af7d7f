//! `log`: the audit log, and `log --verify` to check its hash chain.

use serde_json::json;

use crate::args::{Global, LogArgs};
use crate::failure::CliResult;
use crate::output::{print_json, print_table};
use crate::vault_access;

pub fn run(global: &Global, args: LogArgs) -> CliResult {
    let vault = vault_access::unlock(global)?;
    if args.verify {
        let count = vault.verify_log()?;
        if global.json {
            print_json(&json!({ "ok": true, "events": count }));
        } else {
            crate::say!("The audit log is intact: {count} events in an unbroken chain.");
        }
        return Ok(());
    }
    let token_id = match &args.token {
        Some(query) => Some(vault.resolve(query)?.id),
        None => None,
    };
    let events = vault.events(token_id.as_deref(), args.limit)?;
    if global.json {
        print_json(&events);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                tokenwarden_core::timestamp::encode(e.at),
                e.kind.clone(),
                e.token_id.clone().unwrap_or_default(),
                if e.detail.as_object().is_some_and(|o| o.is_empty()) { String::new() } else { e.detail.to_string() },
            ]
        })
        .collect();
    print_table(&["SEQ", "AT", "EVENT", "TOKEN", "DETAIL"], &rows);
    Ok(())
}
