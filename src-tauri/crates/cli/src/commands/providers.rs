//! `detect`, `verify` and `provider`: what a secret is, what its provider says about it, and the
//! catalog itself.

use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde_json::json;
use tokenwarden_core::provider_api::ProviderApi;
use tokenwarden_core::timestamp;
use tokenwarden_core::verification::VerifyReport;
use tokenwarden_core::{TokenFilter, TokenStatus};
use tokenwarden_providers::{catalog, detect as detection};

use crate::args::{DetectArgs, Global, ProviderCommand, VerifyArgs};
use crate::failure::{CliResult, Failure};
use crate::output::{print_json, print_table};
use crate::vault_access;

pub fn detect(global: &Global, args: DetectArgs) -> CliResult {
    let secret = vault_access::read_secret_file(&args.secret_file)?;
    let found = detection::detect_all(secret.expose_secret());
    drop(secret);
    if global.json {
        print_json(&json!({ "best": found.first(), "matches": found }));
        return Ok(());
    }
    let Some(best) = found.first() else {
        return Err(Failure::not_found(
            "no provider's token format matches this secret (it may still be a valid token)",
        ));
    };
    crate::say!(
        "{} · {} ({} confidence{})",
        best.provider_name,
        best.kind_label,
        serde_json::to_value(best.confidence).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
        if best.checksum_verified { ", checksum verified" } else { "" }
    );
    crate::say!("provider: {}  kind: {}  token kind: {}", best.provider, best.kind, best.token_kind);
    if let Some(days) = best.default_lifetime_days {
        crate::say!("default lifetime: {days} days");
    }
    if let Some(url) = &best.manage_url {
        crate::say!("manage at: {url}");
    }
    for other in found.iter().skip(1) {
        crate::say!("also matches: {} · {}", other.provider_name, other.kind_label);
    }
    Ok(())
}

pub fn verify(global: &Global, args: VerifyArgs, now: DateTime<Utc>) -> CliResult {
    let mut vault = vault_access::unlock(global)?;
    let api = crate::vault_access::provider_api(&vault)?;
    let ids: Vec<String> = match &args.token {
        Some(query) => vec![vault.resolve(query)?.id],
        None => vault
            .list_tokens(&TokenFilter::default(), now)?
            .into_iter()
            .filter(|t| t.token.status != TokenStatus::Revoked && api.ops(t.token.provider.as_str()).verify)
            .map(|t| t.token.id)
            .collect(),
    };
    let mut reports: Vec<serde_json::Value> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut failures = 0usize;
    for id in &ids {
        let token = vault.token(id)?;
        match vault.verify_token(&api, id, now) {
            Ok(report) => {
                rows.push(report_row(&token.name, token.provider.as_str(), &report));
                reports.push(json!({ "token_id": id, "name": token.name, "report": report }));
            }
            Err(err) if args.all => {
                failures += 1;
                let failure = Failure::from(err);
                rows.push(vec![
                    token.name.clone(),
                    token.provider.to_string(),
                    "error".into(),
                    failure.message().to_owned(),
                ]);
                reports.push(json!({ "token_id": id, "name": token.name, "error": { "code": failure.code(), "message": failure.message() } }));
            }
            Err(err) => return Err(err.into()),
        }
    }
    if global.json {
        if args.all {
            print_json(&reports);
        } else if let Some(first) = reports.first() {
            print_json(first);
        }
    } else if rows.is_empty() {
        crate::say!("No live token has a provider with a check API.");
    } else {
        print_table(&["NAME", "PROVIDER", "RESULT", "DETAIL"], &rows);
    }
    if failures > 0 {
        return Err(Failure::provider(format!("{failures} of {} checks could not be made", ids.len())));
    }
    Ok(())
}

fn report_row(name: &str, provider: &str, report: &VerifyReport) -> Vec<String> {
    let mut detail: Vec<String> = Vec::new();
    if let Some(owner) = &report.owner {
        detail.push(format!("owner {owner}"));
    }
    if let Some(scopes) = &report.scopes {
        detail.push(format!("scopes {}", if scopes.is_empty() { "none".to_owned() } else { scopes.join(" ") }));
    }
    if !report.dangerous_scopes.is_empty() {
        detail.push(format!("DANGEROUS {}", report.dangerous_scopes.join(" ")));
    }
    if let Some(diff) = &report.expiry_differs {
        detail.push(format!(
            "the provider says the expiry is {}, you had {}",
            diff.provider.map_or("none".to_owned(), timestamp::encode),
            diff.ours.map_or("none".to_owned(), timestamp::encode)
        ));
    } else if let Some(at) = report.expires_at {
        detail.push(format!("expires {}", timestamp::encode(at)));
    }
    if let Some(at) = report.last_used_at {
        detail.push(format!("last used {}", timestamp::encode(at)));
    }
    if let Some(d) = &report.detail {
        detail.push(d.clone());
    }
    let result = if report.valid { "valid" } else { "INVALID" };
    vec![name.to_owned(), provider.to_owned(), result.to_owned(), detail.join("; ")]
}

pub fn provider(global: &Global, command: ProviderCommand, now: DateTime<Utc>) -> CliResult {
    match command {
        ProviderCommand::List => {
            if global.json {
                print_json(&catalog::catalog());
                return Ok(());
            }
            let rows: Vec<Vec<String>> = catalog::catalog()
                .iter()
                .map(|p| {
                    let ops: Vec<&str> = [
                        (p.api.verify, "verify"),
                        (p.api.last_used, "last-used"),
                        (p.api.rotate, "rotate"),
                        (p.api.revoke, "revoke"),
                    ]
                    .into_iter()
                    .filter_map(|(on, name)| on.then_some(name))
                    .collect();
                    vec![p.id.clone(), p.name.clone(), p.kinds.len().to_string(), ops.join(" ")]
                })
                .collect();
            print_table(&["ID", "NAME", "KINDS", "API"], &rows);
            Ok(())
        }
        ProviderCommand::Show { provider } => {
            let entry = catalog::provider(&provider).ok_or_else(|| {
                Failure::not_found(format!("no provider '{provider}' in the catalog (see `provider list`)"))
            })?;
            if global.json {
                print_json(entry);
                return Ok(());
            }
            crate::say!("{} ({})", entry.name, entry.id);
            for kind in &entry.kinds {
                let life = match (kind.default_lifetime_days, kind.max_lifetime_days) {
                    (Some(d), Some(m)) => format!(", default {d} days, at most {m}"),
                    (None, Some(m)) => format!(", at most {m} days"),
                    (Some(d), None) => format!(", default {d} days"),
                    (None, None) => String::new(),
                };
                crate::say!("  kind: {} ({}{life})", kind.label, kind.token_kind);
            }
            for (label, url) in [
                ("create", &entry.urls.create),
                ("manage", &entry.urls.manage),
                ("rotate", &entry.urls.rotate),
                ("revoke", &entry.urls.revoke),
                ("docs", &entry.urls.docs),
            ] {
                if let Some(url) = url {
                    crate::say!("  {label}: {url}");
                }
            }
            if let Some(effect) = &entry.verify_effect {
                crate::say!("  a check: {effect}");
            }
            crate::say!("Rotation:");
            for (i, step) in entry.rotation_steps.iter().enumerate() {
                crate::say!("  {}. {step}", i + 1);
            }
            crate::say!("Revocation:");
            for (i, step) in entry.revocation_steps.iter().enumerate() {
                crate::say!("  {}. {step}", i + 1);
            }
            if !entry.dangerous_scopes.is_empty() {
                crate::say!("Dangerous scopes: {}", entry.dangerous_scopes.join(", "));
            }
            Ok(())
        }
        ProviderCommand::SetUrl { provider, url, clear } => {
            let mut vault = vault_access::unlock(global)?;
            let url = if clear { None } else { url };
            vault.set_provider_api_url(&provider, url.as_deref(), now)?;
            let api = crate::vault_access::provider_api(&vault)?;
            crate::say!("{} API requests now go to {}", provider, api.base_url(&provider)?);
            Ok(())
        }
    }
}
