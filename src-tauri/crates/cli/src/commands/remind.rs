//! `remind`: what expires or is due for rotation within a window. It only reads — asking never
//! marks a reminder as sent — and works while locked when the keyring holds the index key.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use tokenwarden_core::expiry;
use tokenwarden_core::reminders::{self, IndexEntry, ReminderIndex, ReminderState};
use tokenwarden_core::vault::VaultStatus;
use tokenwarden_core::Error;

use crate::args::{Global, RemindArgs};
use crate::failure::{CliResult, Failure};
use crate::output::{print_json, print_table};
use crate::session;

/// What the reminders are computed from, and the vault's warning thresholds.
struct Source {
    entries: Vec<IndexEntry>,
    warn_days: u32,
    urgent_days: u32,
}

pub fn run(global: &Global, args: RemindArgs, now: DateTime<Utc>) -> CliResult {
    let within = args.within.as_deref().map(|raw| expiry::parse_duration("within", raw)).transpose()?;
    let dir = session::vault_dir(global);
    if !VaultStatus::probe(&dir)?.exists {
        return Err(Error::NoVault { path: dir }.into());
    }
    let source = read_locked(global, &dir).map_or_else(|| read_unlocked(global), Ok)?;
    let window = within.unwrap_or_else(|| Duration::days(i64::from(source.warn_days)));
    let state = ReminderState::load(&dir)?;
    let due = reminders::upcoming(now, window, &source.entries, &state, source.warn_days, source.urgent_days);
    let summary = reminders::summary(&due, now);

    if global.json {
        let items: Vec<serde_json::Value> = due
            .iter()
            .map(|r| {
                let mut item = serde_json::to_value(r).unwrap_or_default();
                item["title"] = json!(r.title(now));
                item
            })
            .collect();
        print_json(&json!({ "due": items, "summary": summary, "within_days": window.num_days() }));
    } else if due.is_empty() {
        crate::say!("Nothing due within {}.", span(window));
    } else {
        let rows: Vec<Vec<String>> = due
            .iter()
            .map(|r| {
                vec![r.title(now), r.due_at.format("%Y-%m-%d %H:%M UTC").to_string(), r.urgency.as_str().to_owned()]
            })
            .collect();
        print_table(&["REMINDER", "DUE", "URGENCY"], &rows);
        if let Some(summary) = summary {
            crate::say!("\n{summary}");
        }
    }
    if args.fail_if_due && !due.is_empty() {
        let count = due.len();
        return Err(Failure::reminders_due(format!(
            "{count} reminder{} due within {}",
            if count == 1 { " is" } else { "s are" },
            span(window)
        )));
    }
    Ok(())
}

/// The reminder index, when the keyring can open it so it names every token: no password needed.
fn read_locked(global: &Global, dir: &std::path::Path) -> Option<Source> {
    if global.no_keyring {
        return None;
    }
    match ReminderIndex::read(dir, &session::keyring()) {
        Ok(index) if index.names_known => {
            Some(Source { entries: index.entries, warn_days: index.warn_days, urgent_days: index.urgent_days })
        }
        Ok(_) => None,
        Err(err) => {
            eprintln!("tokenwarden-cli: note: the reminder index cannot be read ({err}); unlocking instead");
            None
        }
    }
}

fn read_unlocked(global: &Global) -> CliResult<Source> {
    let vault = session::unlock(global)?;
    let settings = vault.settings()?;
    Ok(Source { entries: vault.reminder_entries()?, warn_days: settings.warn_days, urgent_days: settings.urgent_days })
}

/// "14 days", "1 day", "36 hours".
fn span(window: Duration) -> String {
    match (window.num_days(), window.num_hours()) {
        (_, hours) if hours % 24 != 0 => format!("{hours} hours"),
        (1, _) => "1 day".to_owned(),
        (days, _) => format!("{days} days"),
    }
}
