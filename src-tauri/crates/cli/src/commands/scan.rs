//! `scan [PATH…] [--home] [--link] [--import]`: tokens lying in plaintext files, tied to the vault.
//! Each value the scanner hands over is matched by keyed fingerprint and dropped at once, unless it
//! is an unknown token kept (in a zeroizing buffer) for `--import`.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokenwarden_core::transfer::{Format, ImportBatch, ImportRecord, ImportedUsage, OnDuplicate};
use tokenwarden_core::{TokenKind, TokenStatus, Vault};
use tokenwarden_providers::ProviderId;
use tokenwarden_scan::{Candidate, Certainty, ScanOptions};

use crate::args::{Global, ScanArgs};
use crate::failure::{CliResult, Failure};
use crate::output::{print_json, print_table};
use crate::vault_access;

/// The usage kind a scan records for a copy of a known token.
const USAGE_KIND: &str = "plaintext_file";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
enum Group {
    Dead,
    Unknown,
    Known,
    Possible,
}

impl Group {
    fn as_str(self) -> &'static str {
        match self {
            Group::Dead => "dead",
            Group::Unknown => "unknown",
            Group::Known => "known",
            Group::Possible => "possible",
        }
    }
}

/// One finding as printed: never the secret, only its hint.
#[derive(Serialize)]
struct Finding {
    group: Group,
    provider: Option<String>,
    kind: Option<String>,
    hint: String,
    path: String,
    line: usize,
    column: usize,
    /// What read it: `text`, or the credential file's format.
    source: &'static str,
    token_id: Option<String>,
    token_name: Option<String>,
    token_status: Option<String>,
}

impl Finding {
    fn location(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }
}

pub fn run(global: &Global, args: ScanArgs, now: DateTime<Utc>) -> CliResult {
    let mut roots = args.paths.clone();
    if args.home {
        let home =
            std::env::var_os("HOME").map(PathBuf::from).ok_or_else(|| Failure::usage("--home: HOME is not set"))?;
        roots.extend(tokenwarden_scan::home_targets(&home));
    }
    if roots.is_empty() {
        if args.home {
            crate::say!("None of the usual credential files exist in your home directory: nothing to scan.");
            return Ok(());
        }
        return Err(Failure::usage("say what to scan: one or more PATHs, or --home"));
    }
    let mut vault = vault_access::unlock(global)?;
    let options = ScanOptions { honour_ignore: !args.no_ignore, max_file_bytes: args.max_file_size, threads: 0 };
    let started = std::time::Instant::now();
    let mut findings: Vec<Finding> = Vec::new();
    let mut to_import: Vec<(SecretString, usize)> = Vec::new();
    let mut failure: Option<tokenwarden_core::Error> = None;
    // Ctrl+C stops the walk between files; nothing is written after it.
    let stop = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&stop))
        .map_err(|e| Failure::general(format!("cannot catch Ctrl+C: {e}")))?;
    let terminal = std::io::stderr().is_terminal();
    let show_progress = args.progress || terminal;
    let progress = |stats: &tokenwarden_scan::ScanStats| {
        if show_progress {
            let line = format!("scanning: {} files, {:.1} MB", stats.files, stats.bytes as f64 / 1e6);
            if terminal {
                eprint!("\r{line}");
            } else {
                eprintln!("{line}");
            }
        }
    };
    let scanned = tokenwarden_scan::scan_with_progress(
        &roots,
        &options,
        &stop,
        |candidate| {
            if failure.is_some() {
                return;
            }
            match classify(&vault, &candidate, now) {
                Ok(finding) => {
                    let fresh = finding.group == Group::Unknown
                        && !to_import.iter().any(|(s, _)| s.expose_secret() == candidate.secret.expose_secret());
                    if args.import && fresh {
                        to_import.push((candidate.secret, findings.len()));
                    }
                    findings.push(finding);
                }
                Err(error) => failure = Some(error),
            }
        },
        progress,
    );
    if show_progress && terminal {
        eprint!("\r\x1b[K");
    }
    let stats = scanned.map_err(|e| Failure::invalid(e.to_string()))?;
    if let Some(error) = failure {
        return Err(error.into());
    }
    if stop.load(Ordering::SeqCst) {
        return Err(Failure::interrupted(format!(
            "stopped by Ctrl+C after {} files; nothing was linked or imported",
            stats.files
        )));
    }
    findings.sort_by(|a, b| (a.group, &a.path, a.line).cmp(&(b.group, &b.path, b.line)));
    let linked = if args.link { link(&mut vault, &findings, now)? } else { 0 };
    let imported = if args.import { import(&mut vault, to_import, &findings, now)? } else { 0 };
    let elapsed = started.elapsed();

    if global.json {
        print_json(&serde_json::json!({
            "findings": findings,
            "stats": stats,
            "linked": linked,
            "imported": imported,
        }));
    } else {
        let rows: Vec<Vec<String>> = findings
            .iter()
            .map(|f| {
                vec![
                    f.group.as_str().to_owned(),
                    f.provider.clone().unwrap_or_else(|| "?".to_owned()),
                    f.hint.clone(),
                    format!("{}:{}:{}", f.path, f.line, f.column),
                    f.token_name.clone().unwrap_or_default(),
                ]
            })
            .collect();
        if rows.is_empty() {
            crate::say!("No token found.");
        } else {
            print_table(&["GROUP", "PROVIDER", "TOKEN", "WHERE", "IN THE VAULT AS"], &rows);
        }
        crate::note!(
            "scanned {} files ({:.1} MB) in {:.1} s; skipped {} binary and {} over {} bytes; {} unreadable; {} placeholders set aside",
            stats.files,
            stats.bytes as f64 / 1e6,
            elapsed.as_secs_f64(),
            stats.skipped_binary,
            stats.skipped_large,
            args.max_file_size,
            stats.unreadable,
            stats.placeholders
        );
        if args.link {
            crate::say!("Recorded {linked} new usage(s) of known tokens.");
        }
        if args.import {
            crate::say!("Imported {imported} token(s).");
        }
    }
    let dead = findings.iter().filter(|f| f.group == Group::Dead).count();
    let unknown = findings.iter().filter(|f| f.group == Group::Unknown).count();
    let unknown_left = if args.import { 0 } else { unknown };
    if dead > 0 || unknown_left > 0 {
        return Err(Failure::exposed(format!(
            "{unknown_left} finding(s) of tokens not in the vault and {dead} of dead tokens lie on disk"
        )));
    }
    Ok(())
}

/// Which group a candidate falls in, by keyed fingerprint against the vault.
fn classify(vault: &Vault, candidate: &Candidate, now: DateTime<Utc>) -> tokenwarden_core::Result<Finding> {
    let detection = candidate.detection.as_ref();
    let mut finding = Finding {
        group: Group::Possible,
        provider: detection.map(|d| d.provider.clone()),
        kind: detection.map(|d| d.kind.clone()),
        hint: tokenwarden_core::tokens::display_hint(candidate.secret.expose_secret()),
        path: candidate.path.display().to_string(),
        line: candidate.line,
        column: candidate.column,
        source: candidate.source,
        token_id: None,
        token_name: None,
        token_status: None,
    };
    let ids = vault.find_by_secret(&candidate.secret)?;
    if let Some(id) = ids.first() {
        let token = vault.token(id)?;
        let status = token.effective_status(now);
        finding.group = match status {
            TokenStatus::Revoked | TokenStatus::Expired | TokenStatus::Archived => Group::Dead,
            TokenStatus::Active | TokenStatus::Rotating => Group::Known,
        };
        finding.provider = Some(token.provider.to_string());
        finding.token_id = Some(token.id);
        finding.token_name = Some(token.name);
        finding.token_status = Some(status.to_string());
    } else if candidate.certainty == Certainty::Likely {
        finding.group = Group::Unknown;
    }
    Ok(finding)
}

/// Records each copy of a known token as a usage, unless that location is already recorded.
fn link(vault: &mut Vault, findings: &[Finding], now: DateTime<Utc>) -> CliResult<usize> {
    let mut added = 0;
    for finding in findings.iter().filter(|f| f.group == Group::Known) {
        let Some(id) = &finding.token_id else { continue };
        let location = finding.location();
        if vault.usages(id)?.iter().any(|u| u.kind == USAGE_KIND && u.location == location) {
            continue;
        }
        vault.add_usage(id, USAGE_KIND, &location, None, now)?;
        added += 1;
    }
    Ok(added)
}

/// Adds the unknown tokens in one all-or-nothing import, each with where it was found.
fn import(
    vault: &mut Vault,
    secrets: Vec<(SecretString, usize)>,
    findings: &[Finding],
    now: DateTime<Utc>,
) -> CliResult<usize> {
    if secrets.is_empty() {
        return Ok(0);
    }
    let records: Vec<ImportRecord> = secrets
        .into_iter()
        .map(|(secret, _)| {
            // The finding that matches this secret's hint and is unknown (findings are sorted now).
            let hint = tokenwarden_core::tokens::display_hint(secret.expose_secret());
            let detection = tokenwarden_providers::detect(secret.expose_secret());
            let places: Vec<&Finding> =
                findings.iter().filter(|f| f.group == Group::Unknown && f.hint == hint).collect();
            let first = places.first().map(|f| f.location()).unwrap_or_default();
            let file = places.first().map(|f| short_name(&f.path)).unwrap_or_default();
            let name = match &detection {
                Some(d) => format!("{} {} in {file}", d.provider_name, d.kind_label.to_lowercase()),
                None => format!("token in {file}"),
            };
            let mut record = ImportRecord::new(first.clone(), name, secret);
            record.provider = detection.as_ref().and_then(|d| ProviderId::parse(&d.provider).ok());
            record.kind = detection.as_ref().and_then(|d| d.token_kind.parse::<TokenKind>().ok());
            record.notes = Some("Found in a plaintext file by tokenwarden-cli scan.".to_owned());
            record.usages = places.iter().map(|f| ImportedUsage::new(USAGE_KIND, f.location())).collect();
            record
        })
        .collect();
    let batch = ImportBatch { format: Format::Scan, records, events: Vec::new(), backup_id: None, columns: Vec::new() };
    let plan = vault.plan_import("scan", batch, OnDuplicate::Skip)?;
    let summary = vault.apply_import(plan, now, &mut |_, _| {})?;
    Ok(summary.created)
}

fn short_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}
