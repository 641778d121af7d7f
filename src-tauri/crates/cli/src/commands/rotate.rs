//! `rotate` and `revoke`. A rotation is driven one saved step at a time: every question is asked
//! after the previous step is committed, so an interrupted run resumes with `--resume` exactly
//! where it stopped. Questions go to stderr, answers come from stdin (a terminal or a script).

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use std::io::{BufRead, Write};
use zeroize::Zeroizing;

use tokenwarden_core::provider_api::{display_name, LiveApi, ProviderApi};
use tokenwarden_core::revocation::{Outcome, RevokeHow, RevokeOutcome};
use tokenwarden_core::rotation::{Rotation, RotationMethod, RotationStep, VerifiedBy};
use tokenwarden_core::timestamp;
use tokenwarden_core::{expiry, TokenFilter, TokenStatus, Vault};
use tokenwarden_providers::catalog;

use crate::args::{Global, RevokeArgs, RotateArgs};
use crate::failure::{CliResult, Failure};
use crate::output::{print_json, print_table};
use crate::vault_access;

/// Asks on stderr and reads one answer line from stdin. A closed stdin stops the command; the
/// rotation stays at its last saved step.
fn ask(question: &str) -> CliResult<Zeroizing<String>> {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\n? {} > ", tokenwarden_core::display_text::multi_line(question));
    let _ = err.flush();
    let mut line = Zeroizing::new(String::new());
    let read = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::general(format!("cannot read the answer: {e}")))?;
    if read == 0 {
        return Err(Failure::general("stopped: no answer (stdin is closed); continue with `rotate TOKEN --resume`"));
    }
    let trimmed = Zeroizing::new(line.trim().to_owned());
    Ok(trimmed)
}

fn confirm(question: &str) -> CliResult<bool> {
    let answer = ask(&format!("{question} [y/N]"))?;
    Ok(matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"))
}

fn note(text: &str) {
    crate::note!("{text}");
}

fn stopped(rotation: &Rotation) -> CliResult {
    note(&format!(
        "Stopped at step '{}'. Nothing is lost: continue with `tokenwarden-cli rotate {} --resume` (or --abort).",
        rotation.step, rotation.token_id
    ));
    Ok(())
}

pub fn rotate(global: &Global, args: RotateArgs, now: DateTime<Utc>) -> CliResult {
    let method: RotationMethod = args.method.parse()?;
    let expires_at = args.expires.as_deref().map(|e| expiry::parse_expiry(e, now)).transpose()?.flatten();
    let mut vault = vault_access::unlock(global)?;
    let token = vault.resolve(&args.token)?;
    let api = crate::vault_access::provider_api(&vault)?;
    let open = vault.open_rotation_for(&token.id)?;
    let rotation = match (open, args.resume, args.abort) {
        (Some(open), _, true) => {
            let aborted = vault.abort_rotation(&open.id, Utc::now())?;
            return finish_output(
                global,
                &aborted,
                "Rotation aborted: the new token was discarded, the old one is untouched.",
            );
        }
        (None, true, _) | (None, _, true) => {
            return Err(Failure::invalid(format!("'{}' has no unfinished rotation", token.name)));
        }
        (Some(open), true, false) => open,
        (Some(open), false, false) => {
            return Err(Failure::invalid(format!(
                "'{}' is already being rotated (step '{}'): use --resume or --abort",
                token.name, open.step
            )));
        }
        (None, false, false) => {
            if !method.available(&api, token.provider.as_str()) {
                return Err(Failure::invalid(format!(
                    "{} has no rotation API: use --method guided",
                    display_name(token.provider.as_str())
                )));
            }
            vault.start_rotation(&token.id, method, now)?
        }
    };
    note(&format!(
        "Rotating '{}' ({}, {}), {} rotation, at step '{}'.",
        rotation.token_name,
        display_name(&rotation.provider),
        token.hint,
        rotation.method.as_str(),
        rotation.step
    ));
    let id = rotation.id.clone();
    loop {
        let rotation = vault.rotation(&id)?;
        if rotation.step.is_finished() {
            return finish_output(global, &rotation, "Rotation done.");
        }
        if !advance(&mut vault, &api, &rotation, &args, expires_at)? {
            return stopped(&vault.rotation(&id)?);
        }
    }
}

fn finish_output(global: &Global, rotation: &Rotation, message: &str) -> CliResult {
    if global.json {
        print_json(rotation);
    } else {
        crate::say!("{message}");
        if let Some(new) = &rotation.new_token_id {
            crate::say!("New token: {new} ({})", rotation.new_hint.as_deref().unwrap_or(""));
        }
    }
    Ok(())
}

/// Takes one step. Returns false when the person chose to stop here.
fn advance(
    vault: &mut Vault,
    api: &LiveApi,
    rotation: &Rotation,
    args: &RotateArgs,
    expires_at: Option<DateTime<Utc>>,
) -> CliResult<bool> {
    let provider = display_name(&rotation.provider);
    let entry = catalog::provider(&rotation.provider);
    let ops = api.ops(&rotation.provider);
    match rotation.step {
        RotationStep::Started => {
            if let Some(at) = rotation.api_requested_at {
                note(&format!(
                    "Warning: a new token was asked of {provider} at {} but the answer was never saved. \
                     {provider} may already have replaced the old token: check at its site, and if so abort \
                     this rotation and create a new token there (guided rotation).",
                    timestamp::encode(at)
                ));
            }
            match rotation.method {
                RotationMethod::Api => {
                    let consequence = if tokenwarden_core::provider_api::rotation_invalidates_old(&rotation.provider) {
                        format!("{provider} will issue a new token and the old one stops working at once")
                    } else {
                        format!("{provider} will issue a second token; the old one keeps working until it is revoked")
                    };
                    if !confirm(&format!("Step 1: ask {provider} for a new token now? ({consequence})"))? {
                        return Ok(false);
                    }
                    let r = vault.rotate_via_api(api, &rotation.id, expires_at, Utc::now())?;
                    note(&format!("Stored the new token ({}).", r.new_hint.as_deref().unwrap_or("")));
                }
                RotationMethod::Guided => {
                    note(&format!("Step 1: make a new token at {provider}."));
                    if let Some(url) = entry.and_then(|e| e.urls.rotate.clone().or_else(|| e.urls.create.clone())) {
                        note(&format!("  Open: {url}"));
                    }
                    for (i, step) in entry.map(|e| e.rotation_steps.as_slice()).unwrap_or_default().iter().enumerate() {
                        note(&format!("  {}. {step}", i + 1));
                    }
                    let secret = new_secret(args)?;
                    let r = vault.store_rotation_secret(&rotation.id, &secret, expires_at, false, Utc::now())?;
                    note(&format!("Stored the new token ({}).", r.new_hint.as_deref().unwrap_or("")));
                }
            }
        }
        RotationStep::NewStored => {
            if ops.verify {
                note(&format!("Step 2: checking the new token at {provider}…"));
                vault.verify_rotation(api, &rotation.id, Utc::now())?;
                note(&format!("{provider} accepts the new token."));
            } else {
                if !confirm(&format!(
                    "Step 2: {provider} has no check API. Have you tried the new token and does it work?"
                ))? {
                    return Ok(false);
                }
                vault.mark_rotation_verified(&rotation.id, VerifiedBy::User, None, Utc::now())?;
            }
        }
        RotationStep::Verified => {
            if rotation.consumers.is_empty() {
                note("Step 3: no usages are recorded for this token; nothing to update.");
            } else {
                note("Step 3: put the new token everywhere the old one is used.");
            }
            for consumer in rotation.consumers.iter().filter(|c| !c.done) {
                if !confirm(&format!("Updated {} ({})?", consumer.location, consumer.kind))? {
                    return Ok(false);
                }
                vault.tick_consumer(&rotation.id, &consumer.usage_id, true, Utc::now())?;
            }
            vault.finish_consumers(&rotation.id, Utc::now())?;
        }
        RotationStep::ConsumersUpdated => {
            if !confirm("Step 4: make the new token the active one (the old one becomes 'rotating')?")? {
                return Ok(false);
            }
            vault.promote_rotation(&rotation.id, Utc::now())?;
            note("The new token is active.");
        }
        RotationStep::Promoted => {
            if rotation.old_invalidated {
                note(&format!("Step 5: {provider} already revoked the old token when it issued the new one."));
                vault.revoke_old_via_api(api, &rotation.id, Utc::now())?;
                return Ok(true);
            }
            let choices = if ops.revoke {
                "[a]pi, [c]onfirmed at the provider, [l]ater"
            } else {
                "[c]onfirmed at the provider, [l]ater"
            };
            note(&format!("Step 5: revoke the old token at {provider}."));
            if let Some(url) = entry.and_then(|e| e.urls.revoke.clone().or_else(|| e.urls.manage.clone())) {
                note(&format!("  Open: {url}"));
            }
            for (i, step) in entry.map(|e| e.revocation_steps.as_slice()).unwrap_or_default().iter().enumerate() {
                note(&format!("  {}. {step}", i + 1));
            }
            let answer = ask(&format!("How is the old token revoked? {choices}"))?;
            match answer.to_ascii_lowercase().as_str() {
                "a" | "api" if ops.revoke => {
                    vault.revoke_old_via_api(api, &rotation.id, Utc::now())?;
                    note(&format!("{provider} revoked the old token."));
                }
                "c" | "confirmed" => {
                    vault.record_old_revoked(&rotation.id, "confirmed", Utc::now())?;
                }
                "l" | "later" => {
                    vault.mark_old_for_manual_revocation(&rotation.id, Utc::now())?;
                    note("The old token stays 'rotating' until you revoke it (`tokenwarden-cli revoke`).");
                }
                _ => return Ok(false),
            }
        }
        RotationStep::OldRevoked | RotationStep::OldManual => {
            vault.finish_rotation(&rotation.id, Utc::now())?;
        }
        RotationStep::Done | RotationStep::Aborted => {}
    }
    Ok(true)
}

fn new_secret(args: &RotateArgs) -> CliResult<SecretString> {
    if let Some(path) = &args.secret_file {
        return vault_access::read_secret_file(path);
    }
    if vault_access::stdin_is_terminal() {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err);
        return vault_access::prompt_hidden("? Paste the new token (input hidden) > ");
    }
    let line = ask("Paste the new token")?;
    if line.is_empty() {
        return Err(Failure::invalid("no new token given"));
    }
    Ok(SecretString::from(line.as_str().to_owned()))
}

pub fn revoke(global: &Global, args: RevokeArgs, now: DateTime<Utc>) -> CliResult {
    let how = args.how.as_deref().map(str::parse::<RevokeHow>).transpose()?;
    let mut vault = vault_access::unlock(global)?;
    let api = crate::vault_access::provider_api(&vault)?;
    let mut ids: Vec<String> = Vec::new();
    for query in &args.tokens {
        let id = vault.resolve(query)?.id;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if let Some(provider) = &args.provider {
        for t in vault.list_tokens(&TokenFilter::default(), now)? {
            let live = !matches!(t.token.status, TokenStatus::Revoked | TokenStatus::Archived);
            if live && t.token.provider.as_str() == provider && !ids.contains(&t.token.id) {
                ids.push(t.token.id);
            }
        }
    }
    if ids.is_empty() {
        return Err(Failure::not_found("no live token to revoke"));
    }
    if ids.len() > 1 || (args.provider.is_some() && how.is_none()) {
        return panic_revoke(global, &mut vault, &api, &ids, args.yes, now);
    }
    let token = vault.token(&ids[0])?;
    let provider = token.provider.as_str();
    let how = how.unwrap_or(match (api.ops(provider).revoke, provider) {
        (true, "github") => RevokeHow::ReportLeak,
        (true, _) => RevokeHow::Api,
        (false, _) => RevokeHow::Confirmed,
    });
    if !args.yes {
        let question = match how {
            RevokeHow::Confirmed => {
                note(&format!("Revoke '{}' at {}:", token.name, display_name(provider)));
                if let Some(entry) = catalog::provider(provider) {
                    if let Some(url) = entry.urls.revoke.as_ref().or(entry.urls.manage.as_ref()) {
                        note(&format!("  Open: {url}"));
                    }
                    for (i, step) in entry.revocation_steps.iter().enumerate() {
                        note(&format!("  {}. {step}", i + 1));
                    }
                }
                "Have you revoked it there?".to_owned()
            }
            _ => format!("Revoke '{}' at {} now? This cannot be undone.", token.name, display_name(provider)),
        };
        if !confirm(&question)? {
            return Err(Failure::general("nothing was revoked"));
        }
    }
    let outcome = vault.revoke_token(&api, &token.id, how, args.reverify, now)?;
    if global.json {
        print_json(&outcome);
    } else {
        print_outcomes(std::slice::from_ref(&outcome));
    }
    match &outcome.error {
        Some(e) => Err(Failure::invalid(e.message.clone())),
        None => Ok(()),
    }
}

fn panic_revoke(
    global: &Global,
    vault: &mut Vault,
    api: &LiveApi,
    ids: &[String],
    yes: bool,
    now: DateTime<Utc>,
) -> CliResult {
    let automatic = ids.iter().filter(|id| vault.token(id).is_ok_and(|t| api.ops(t.provider.as_str()).revoke)).count();
    if !yes
        && !confirm(&format!(
            "Revoke {} tokens now? {automatic} go through their provider's API at once (this cannot be undone); the other {} are listed for you to revoke by hand.",
            ids.len(),
            ids.len() - automatic
        ))?
    {
        return Err(Failure::general("nothing was revoked"));
    }
    let outcomes = vault.panic_revoke(api, ids, now)?;
    if global.json {
        print_json(&outcomes);
    } else {
        print_outcomes(&outcomes);
        for o in outcomes.iter().filter(|o| o.outcome == Outcome::NeedsManual) {
            let url =
                catalog::provider(&o.provider).and_then(|e| e.urls.revoke.clone().or_else(|| e.urls.manage.clone()));
            crate::say!(
                "To do: revoke '{}' at {}{}, then run `tokenwarden-cli revoke {} --how confirmed`",
                o.name,
                display_name(&o.provider),
                url.map(|u| format!(" ({u})")).unwrap_or_default(),
                o.token_id
            );
        }
    }
    let failed = outcomes.iter().filter(|o| o.outcome == Outcome::Failed).count();
    if failed > 0 {
        return Err(Failure::provider(format!("{failed} of {} revocations failed", outcomes.len())));
    }
    Ok(())
}

fn print_outcomes(outcomes: &[RevokeOutcome]) {
    let rows: Vec<Vec<String>> = outcomes
        .iter()
        .map(|o| {
            let result = match o.outcome {
                Outcome::Revoked => "revoked",
                Outcome::NeedsManual => "revoke by hand",
                Outcome::Failed => "FAILED",
            };
            let mut detail = o.method.clone().unwrap_or_default();
            if let Some(true) = o.reverified {
                detail.push_str(" (the provider now refuses it)");
            }
            if let Some(e) = &o.error {
                detail = e.message.clone();
            }
            vec![o.name.clone(), o.provider.clone(), result.to_owned(), detail]
        })
        .collect();
    print_table(&["NAME", "PROVIDER", "RESULT", "DETAIL"], &rows);
}
