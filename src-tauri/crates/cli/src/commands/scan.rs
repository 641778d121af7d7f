//! `scan [PATH…] [--home] [--link] [--import]`: tokens lying in plaintext files, tied to the vault.
//! The matching (keyed fingerprint, known / unknown / dead / possible, linking and the
//! all-or-nothing import) is the core's `scan` module, shared with the app; this prints it.

use chrono::{DateTime, Utc};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use tokenwarden_core::scan::{Applied, Group, ScanOptions, ScanStats};

use crate::args::{Global, ScanArgs};
use crate::failure::{CliResult, Failure};
use crate::output::{print_json, print_table};
use crate::vault_access;

pub fn run(global: &Global, args: ScanArgs, now: DateTime<Utc>) -> CliResult {
    let mut roots = args.paths.clone();
    if args.home {
        let home =
            std::env::var_os("HOME").map(PathBuf::from).ok_or_else(|| Failure::usage("--home: HOME is not set"))?;
        roots.extend(tokenwarden_core::scan::home_targets(&home));
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
    // Ctrl+C stops the walk between files; nothing is written after it.
    let stop = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&stop))
        .map_err(|e| Failure::general(format!("cannot catch Ctrl+C: {e}")))?;
    let terminal = std::io::stderr().is_terminal();
    let show_progress = args.progress || terminal;
    let progress = |stats: &ScanStats| {
        if show_progress {
            let line = format!("scanning: {} files, {:.1} MB", stats.files, stats.bytes as f64 / 1e6);
            if terminal {
                eprint!("\r{line}");
            } else {
                eprintln!("{line}");
            }
        }
    };
    let scanned = tokenwarden_core::scan::scan(&roots, &options, &stop, now, |matcher| matcher(&vault), progress);
    if show_progress && terminal {
        eprint!("\r\x1b[K");
    }
    let report = scanned?;
    let stats = report.stats.clone();
    if report.stopped {
        return Err(Failure::interrupted(format!(
            "stopped by Ctrl+C after {} files; nothing was linked or imported",
            stats.files
        )));
    }
    let findings = report.findings.clone();
    let selection = report.select_all(args.link, args.import);
    let Applied { linked, imported } = report.apply(&mut vault, &selection, now)?;
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
