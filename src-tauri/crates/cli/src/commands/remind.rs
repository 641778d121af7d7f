//! `remind`: what expires or is due for rotation within a window. It only reads — asking never
//! marks a reminder as sent — and works while locked when the keyring holds the index key.
//! It always checks `reminders.idx` and `reminders.state` with the index key (from the keyring, or
//! the unlocked vault): a dismissal or snooze that fails the check never silences `--fail-if-due`.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use tokenwarden_core::expiry;
use tokenwarden_core::reminders::{
    self, IndexEntry, ReminderIndex, ReminderKey, ReminderState, INDEX_FILE, STATE_FILE,
};
use tokenwarden_core::timestamp;
use tokenwarden_core::vault::VaultStatus;
use tokenwarden_core::Error;

use crate::args::{Global, RemindArgs};
use crate::failure::{CliResult, Failure};
use crate::output::{print_json, print_table};
use crate::vault_access;

/// What the reminders are computed from, and the vault's warning thresholds.
struct Source {
    entries: Vec<IndexEntry>,
    warn_days: u32,
    urgent_days: u32,
    /// Checks (and signs) the files beside the vault.
    key: ReminderKey,
    /// The index as read with `key`: its generation and whether it verified.
    index: ReminderIndex,
}

pub fn run(global: &Global, args: RemindArgs, now: DateTime<Utc>) -> CliResult {
    let within = args.within.as_deref().map(|raw| expiry::parse_duration("within", raw)).transpose()?;
    let dir = vault_access::vault_dir(global);
    if !VaultStatus::probe(&dir)?.exists {
        return Err(Error::NoVault { path: dir }.into());
    }
    let source = read_locked(global, &dir).map_or_else(|| read_unlocked(global, &dir), Ok)?;
    let window = within.unwrap_or_else(|| Duration::days(i64::from(source.warn_days)));
    let mut state = ReminderState::load(&dir, Some(&source.key), &source.index)?;
    let warnings = [
        source.index.verdict.warning(INDEX_FILE, "reminders come from the vault's own dates"),
        state.verdict().warning(STATE_FILE, "its dismissals and snoozes are ignored"),
    ];
    for warning in warnings.into_iter().flatten() {
        crate::note!("tokenwarden-cli: note: {warning}");
    }
    if let Some(query) = args.snooze.as_deref().or(args.dismiss.as_deref()) {
        let snooze = match args.snooze {
            Some(_) => Some(expiry::parse_duration("for", &args.snooze_for)?),
            None => None,
        };
        return silence(&dir, &mut state, &source, query, snooze, now);
    }
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

/// Snoozes (for `snooze`) or dismisses the current reminders of the token `query` names.
fn silence(
    dir: &std::path::Path,
    state: &mut ReminderState,
    source: &Source,
    query: &str,
    snooze: Option<Duration>,
    now: DateTime<Utc>,
) -> CliResult {
    let query = query.trim();
    let matches: Vec<&IndexEntry> = source
        .entries
        .iter()
        .filter(|e| {
            e.token_id == query
                || (query.len() >= 8 && e.token_id.starts_with(query))
                || e.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(query))
        })
        .collect();
    let entry = match matches.as_slice() {
        [one] => *one,
        [] => return Err(Error::TokenNotFound { query: query.to_owned() }.into()),
        many => return Err(Error::AmbiguousToken { query: query.to_owned(), count: many.len() }.into()),
    };
    let entries = std::slice::from_ref(entry);
    let (warn, urgent) = (source.warn_days, source.urgent_days);
    match snooze {
        // Every threshold of the token, so neither this reminder nor the next one fires before then.
        Some(length) => state.snooze_token(&entry.token_id, &entry.thresholds, now + length),
        None => {
            let schedule = reminders::compute(now, entries, state, warn, urgent);
            let pending: Vec<_> = schedule
                .due
                .into_iter()
                .chain(schedule.covered)
                .chain(reminders::crossed(now, entry, warn, urgent))
                .chain(reminders::upcoming(now, Duration::zero(), entries, state, warn, urgent))
                .collect();
            if pending.is_empty() {
                crate::say!("Nothing to dismiss: no reminder of that token is due.");
                return Ok(());
            }
            pending.iter().for_each(|r| state.dismiss_reminder(r));
        }
    }
    state.save(dir, Some(&source.key))?;
    let label = entry.name.clone().unwrap_or_else(|| entry.token_id.clone());
    match snooze {
        Some(length) => crate::say!("Snoozed the reminders of {label} until {}.", timestamp::encode(now + length)),
        None => crate::say!("Dismissed the reminders of {label}."),
    }
    Ok(())
}

/// The reminder index, when the keyring holds its key and it verifies and names every token: no
/// password needed.
fn read_locked(global: &Global, dir: &std::path::Path) -> Option<Source> {
    if global.no_keyring {
        return None;
    }
    let key = match ReminderKey::from_keyring(dir, &vault_access::keyring()) {
        Ok(key) => key?,
        Err(err) => {
            crate::note!("tokenwarden-cli: note: the reminder index key cannot be read ({err}); unlocking instead");
            return None;
        }
    };
    match ReminderIndex::read_with(dir, Some(&key)) {
        Ok(index) if index.names_known => Some(Source {
            entries: index.entries.clone(),
            warn_days: index.warn_days,
            urgent_days: index.urgent_days,
            key,
            index,
        }),
        // Failed its check, or plain: the vault has the names (what failed is said once, there).
        Ok(_) => None,
        Err(err) => {
            crate::note!("tokenwarden-cli: note: the reminder index cannot be read ({err}); unlocking instead");
            None
        }
    }
}

/// The vault's own entries; the index is read only to check `reminders.state` against it.
fn read_unlocked(global: &Global, dir: &std::path::Path) -> CliResult<Source> {
    let vault = vault_access::unlock(global)?;
    let settings = vault.settings()?;
    // A vault from before the files were authenticated gets its index key here.
    let key = vault.ensure_reminder_key()?;
    let index = ReminderIndex::read_with(dir, Some(&key))?;
    Ok(Source {
        entries: vault.reminder_entries()?,
        warn_days: settings.warn_days,
        urgent_days: settings.urgent_days,
        key,
        index,
    })
}

/// "14 days", "1 day", "36 hours".
fn span(window: Duration) -> String {
    match (window.num_days(), window.num_hours()) {
        (_, hours) if hours % 24 != 0 => format!("{hours} hours"),
        (1, _) => "1 day".to_owned(),
        (days, _) => format!("{days} days"),
    }
}
