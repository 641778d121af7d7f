//! `add`, `list`, `show`, `edit`, `rm`, `reveal`, `copy`: the token inventory.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::time::Duration;
use tokenwarden_core::audit_log::EventKind;
use tokenwarden_core::clipboard::{self, ClearOutcome};
use tokenwarden_core::expiry;
use tokenwarden_core::timestamp;
use tokenwarden_core::tokens::SortOrder;
use tokenwarden_core::{NewToken, TokenFilter, TokenKind, TokenPatch, TokenStatus, TokenSummary};
use tokenwarden_providers::ProviderId;

use crate::args::{AddArgs, CopyArgs, EditArgs, Global, ListArgs, RmArgs, TokenRef};
use crate::failure::{CliResult, Failure};
use crate::output::{field, print_json, print_table, TokenJson};
use crate::vault_access;

fn provider(raw: &str) -> CliResult<ProviderId> {
    ProviderId::parse(raw).map_err(|e| Failure::invalid(format!("provider: {e}")))
}

/// `''` clears a field; anything else sets it.
fn optional(raw: String) -> Option<String> {
    if raw.trim().is_empty() {
        None
    } else {
        Some(raw)
    }
}

fn rotation_days(raw: &str) -> CliResult<Option<u32>> {
    if raw.trim().eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    let days = expiry::parse_duration("rotate-every", raw)?.num_days();
    if days < 1 {
        return Err(Failure::invalid("rotate-every: use at least one day"));
    }
    Ok(Some(days as u32))
}

fn read_secret(path: Option<&Path>, global: &Global) -> CliResult<SecretString> {
    match path {
        Some(path) => {
            if path == Path::new("-") && global.password_file.as_deref() == Some(Path::new("-")) {
                return Err(Failure::usage("the password and the secret cannot both come from stdin"));
            }
            vault_access::read_secret_file(path)
        }
        None if vault_access::stdin_is_terminal() => vault_access::prompt_hidden("Secret (input hidden): "),
        None => Err(Failure::usage("no secret given: pass --secret-file PATH (or - for stdin)")),
    }
}

pub fn add(global: &Global, args: AddArgs, now: DateTime<Utc>) -> CliResult {
    // Check what can be checked before asking for anything.
    let explicit_kind = args.kind.as_deref().map(str::parse::<TokenKind>).transpose()?;
    let explicit_expiry = args.expires.as_deref().map(|e| expiry::parse_expiry(e, now)).transpose()?;
    let explicit_provider = args.provider.as_deref().map(provider).transpose()?;
    let rotation = args.rotate_every.as_deref().map(rotation_days).transpose()?.flatten();
    let secret = read_secret(args.secret_file.as_deref(), global)?;
    let mut vault = vault_access::unlock(global)?;
    // What the token's format says pre-fills whatever was not given.
    let detected = tokenwarden_providers::detect::detect(secret.expose_secret())
        .filter(|d| explicit_provider.as_ref().is_none_or(|p| p.as_str() == d.provider));
    // A known prefix whose format does not check out (a GitHub token with a bad checksum, say)
    // still names its provider, as a guess.
    let provider = explicit_provider
        .or_else(|| detected.as_ref().and_then(|d| ProviderId::parse(&d.provider).ok()))
        .or_else(|| tokenwarden_providers::provider_for_prefix(secret.expose_secret()))
        .unwrap_or_else(ProviderId::generic);
    let kind = explicit_kind
        .or_else(|| detected.as_ref().and_then(|d| d.token_kind.parse().ok()))
        .unwrap_or(TokenKind::ApiKey);
    let expires_at = match explicit_expiry {
        Some(given) => given,
        None => detected.as_ref().and_then(|d| d.default_lifetime_days).and_then(|days| {
            let at = expiry::add_days(now, i64::from(days))?;
            eprintln!(
                "tokenwarden-cli: note: expiry set to {} ({} days, the provider's default); pass --expires to change it",
                at.format("%Y-%m-%d"),
                days
            );
            Some(at)
        }),
    };
    let url = args.url.or_else(|| detected.as_ref().and_then(|d| d.manage_url.clone()));
    let duplicates = vault.find_by_secret(&secret)?;
    let mut new = NewToken::new(args.name, provider, kind, secret);
    new.account = args.account;
    new.environment = args.environment;
    new.scopes = args.scopes;
    new.tags = args.tags;
    new.notes = args.note;
    new.url = url;
    new.expires_at = expires_at;
    new.rotation_max_age_days = rotation;
    let token = vault.add_token(new, now)?;
    if !duplicates.is_empty() {
        crate::note!("tokenwarden-cli: note: the same secret is already stored as {}", duplicates.join(", "));
    }
    let summary = TokenSummary::new(token, now);
    if global.json {
        print_json(&TokenJson::new(&summary, now));
    } else {
        crate::say!(
            "Added '{}' ({}, {}, {}) as {}",
            summary.token.name,
            summary.token.provider,
            summary.token.hint,
            summary.countdown(now),
            summary.token.id
        );
    }
    Ok(())
}

pub fn list(global: &Global, args: ListArgs, now: DateTime<Utc>) -> CliResult {
    let filter = TokenFilter {
        provider: args.provider.as_deref().map(provider).transpose()?,
        status: args.status.as_deref().map(str::parse::<TokenStatus>).transpose()?,
        tag: args.tag,
        environment: args.environment,
        expiring_within: args
            .expiring_within
            .as_deref()
            .map(|d| expiry::parse_duration("expiring-within", d))
            .transpose()?,
        search: args.search,
        include_archived: args.all,
        sort: args.sort.parse::<SortOrder>()?,
    };
    let vault = vault_access::unlock(global)?;
    let tokens = vault.list_tokens(&filter, now)?;
    drop(vault);
    if global.json {
        print_json(&crate::output::TokenList { tokens: &tokens, now });
        // The process ends once this returns, and the kernel takes its memory back whole. Freeing
        // 10,000 tokens first, string by string (each wiped as it is freed), cost `list` 4 ms of
        // its 50. Metadata only: a token never holds its secret, and the vault is closed above.
        std::mem::forget(tokens);
        return Ok(());
    }
    if tokens.is_empty() {
        crate::say!("No tokens match. Add one with `tokenwarden-cli add --name NAME --secret-file -`.");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = tokens
        .iter()
        .map(|s| {
            let t = &s.token;
            vec![
                t.name.clone(),
                t.provider.to_string(),
                t.account.clone().unwrap_or_default(),
                t.hint.clone(),
                s.countdown(now),
                s.effective_status.to_string(),
                t.id.clone(),
            ]
        })
        .collect();
    print_table(&["NAME", "PROVIDER", "ACCOUNT", "HINT", "EXPIRES", "STATUS", "ID"], &rows);
    Ok(())
}

pub fn show(global: &Global, args: TokenRef, now: DateTime<Utc>) -> CliResult {
    let vault = vault_access::unlock(global)?;
    let token = vault.resolve(&args.token)?;
    let usages = vault.usages(&token.id)?;
    let history = vault.events(Some(&token.id), 20)?;
    let summary = TokenSummary::new(token, now);
    if global.json {
        print_json(&json!({ "token": TokenJson::new(&summary, now), "usages": usages, "history": history }));
        return Ok(());
    }
    let t = &summary.token;
    let line = |label: &str, value: &str| {
        if !value.is_empty() {
            crate::say!("{label:<13}{}", field(value));
        }
    };
    line("Name:", &t.name);
    line("Id:", &t.id);
    line("Provider:", t.provider.as_str());
    line("Kind:", t.kind.as_str());
    line("Secret:", &format!("{}  (masked; `reveal` or `copy` to use it)", t.hint));
    line("Status:", summary.effective_status.as_str());
    let expires = match t.expires_at {
        Some(at) => format!("{} ({})", timestamp::encode(at), summary.countdown(now)),
        None => "no expiry".to_owned(),
    };
    line("Expires:", &expires);
    line("Account:", t.account.as_deref().unwrap_or(""));
    line("Environment:", t.environment.as_deref().unwrap_or(""));
    line("Scopes:", &t.scopes.join(", "));
    line("Tags:", &t.tags.join(", "));
    line("Rotate every:", &t.rotation_max_age_days.map(|d| format!("{d} days")).unwrap_or_default());
    line("Manage at:", t.url.as_deref().unwrap_or(""));
    if let Some(notes) = t.notes.as_deref() {
        // Notes keep their lines, each indented under the label.
        crate::say!("{:<13}{}", "Notes:", notes.replace('\n', &format!("\n{:13}", "")));
    }
    line("Created:", &timestamp::encode(t.created_at));
    line("Updated:", &timestamp::encode(t.updated_at));
    if !usages.is_empty() {
        crate::say!("Used in:");
        for u in &usages {
            crate::say!("  - {} ({})", field(&u.location), field(&u.kind));
        }
    }
    if !history.is_empty() {
        crate::say!("History:");
        for e in &history {
            crate::say!("  {}  {}", timestamp::encode(e.at), field(&e.kind));
        }
    }
    Ok(())
}

pub fn edit(global: &Global, args: EditArgs, now: DateTime<Utc>) -> CliResult {
    if !args.tags.is_empty() && (!args.add_tag.is_empty() || !args.remove_tag.is_empty()) {
        return Err(Failure::usage("--tag replaces all tags; use it without --add-tag and --remove-tag"));
    }
    let mut patch = TokenPatch {
        name: args.name,
        provider: args.provider.as_deref().map(provider).transpose()?,
        kind: args.kind.as_deref().map(str::parse).transpose()?,
        account: args.account.map(optional),
        environment: args.environment.map(optional),
        scopes: args.scopes.map(|s| s.split(',').map(str::to_owned).collect()),
        notes: args.note.map(optional),
        url: args.url.map(optional),
        expires_at: args.expires.as_deref().map(|e| expiry::parse_expiry(e, now)).transpose()?,
        rotation_max_age_days: args.rotate_every.as_deref().map(rotation_days).transpose()?,
        status: args.status.as_deref().map(str::parse).transpose()?,
        ..TokenPatch::default()
    };
    if let Some(path) = args.secret_file.as_deref() {
        patch.secret = Some(read_secret(Some(path), global)?);
    }
    let mut vault = vault_access::unlock(global)?;
    let token = vault.resolve(&args.token)?;
    if !args.tags.is_empty() {
        patch.tags = Some(args.tags);
    } else if !args.add_tag.is_empty() || !args.remove_tag.is_empty() {
        let mut tags = token.tags.clone();
        tags.extend(args.add_tag);
        tags.retain(|t| !args.remove_tag.contains(t));
        patch.tags = Some(tags);
    }
    let updated = vault.update_token(&token.id, patch, now)?;
    let summary = TokenSummary::new(updated, now);
    if global.json {
        print_json(&TokenJson::new(&summary, now));
    } else {
        crate::say!("Updated '{}'.", summary.token.name);
    }
    Ok(())
}

pub fn rm(global: &Global, args: RmArgs, now: DateTime<Utc>) -> CliResult {
    let mut vault = vault_access::unlock(global)?;
    let token = vault.resolve(&args.token)?;
    if !args.purge {
        vault.archive_token(&token.id, now)?;
        if global.json {
            print_json(&json!({ "archived": token.id }));
        } else {
            crate::say!("Archived '{}'. `list --all` still shows it; `rm --purge` deletes it for good.", token.name);
        }
        return Ok(());
    }
    if !args.yes {
        if !vault_access::stdin_is_terminal() {
            return Err(Failure::usage("--purge deletes the secret for good: add --yes to confirm"));
        }
        eprint!("Delete '{}' and its secret for good? Type the name to confirm: ", field(&token.name));
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer).map_err(|e| Failure::general(e.to_string()))?;
        if answer.trim() != token.name {
            return Err(Failure::invalid("the name did not match; nothing was deleted"));
        }
    }
    vault.purge_token(&token.id, now)?;
    if global.json {
        print_json(&json!({ "purged": token.id }));
    } else {
        crate::say!("Deleted '{}' for good.", token.name);
    }
    Ok(())
}

pub fn reveal(global: &Global, args: TokenRef, now: DateTime<Utc>) -> CliResult {
    let mut vault = vault_access::unlock(global)?;
    let token = vault.resolve(&args.token)?;
    let secret = vault.reveal_secret(&token.id, EventKind::Revealed, now)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", secret.expose_secret()).map_err(|e| Failure::general(format!("writing to stdout: {e}")))?;
    Ok(())
}

pub fn copy(global: &Global, args: CopyArgs, now: DateTime<Utc>) -> CliResult {
    let mut vault = vault_access::unlock(global)?;
    let token = vault.resolve(&args.token)?;
    let seconds = match args.clear_after {
        Some(s) if s == 0 || s > 3600 => return Err(Failure::invalid("--clear-after: use 1 to 3600 seconds")),
        Some(s) => s,
        None => vault.settings()?.clipboard_clear_secs,
    };
    let secret = vault.reveal_secret(&token.id, EventKind::Copied, now)?;
    // Lock before waiting: the keys need not stay in memory while the clipboard is held.
    vault.lock();
    crate::note!("Copied '{}' — clears in {seconds} s (keep this running until then).", token.name);
    let outcome = clipboard::copy_then_clear(&secret, Duration::from_secs(u64::from(seconds)))?;
    match (outcome, global.json) {
        (ClearOutcome::Cleared, false) => eprintln!("Clipboard cleared."),
        (ClearOutcome::Replaced, false) => eprintln!("Something else was copied meanwhile; left it alone."),
        (outcome, true) => print_json(&json!({ "copied": token.id, "cleared": outcome == ClearOutcome::Cleared })),
    }
    Ok(())
}
