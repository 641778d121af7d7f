//! `import` and `export`. Import reads and checks the whole file before unlocking the vault, so a
//! bad file fails fast (exit 5) and changes nothing; the rows are then written in one transaction.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::Path;
use tokenwarden_core::files;
use tokenwarden_core::timestamp;
use tokenwarden_core::transfer::{
    self, ColumnMap, ExportFormat, ExportOptions, Field, Format, ImportPlan, Input, OnDuplicate, PlannedAction,
    ReadOptions,
};

use crate::args::{ExportArgs, Global, ImportArgs};
use crate::failure::{CliResult, Failure};
use crate::output::{print_json, print_table};
use crate::{say, vault_access};

/// Minimum length of a backup passphrase.
const MIN_PASSPHRASE: usize = 8;

fn column_overrides(raw: &[String]) -> CliResult<Vec<ColumnMap>> {
    raw.iter()
        .map(|item| {
            let (header, field) = item
                .rsplit_once('=')
                .ok_or_else(|| Failure::usage(format!("--column '{item}': write it as HEADER=FIELD")))?;
            let field: Field = serde_json::from_value(json!(field.trim().to_ascii_lowercase())).map_err(|_| {
                Failure::usage(format!(
                    "--column '{item}': '{field}' is not one of: name, secret, provider, kind, url, account, \
                     environment, expires, scopes, tags, notes, purpose, ignore"
                ))
            })?;
            Ok(ColumnMap { header: header.trim().to_owned(), field })
        })
        .collect()
}

fn backup_passphrase(file: Option<&Path>, global: &Global) -> CliResult<SecretString> {
    if let Some(path) = file {
        if path == Path::new("-") && global.password_file.as_deref() == Some(Path::new("-")) {
            return Err(Failure::usage("the vault password and the passphrase cannot both come from stdin"));
        }
        return vault_access::read_first_line(path, "passphrase");
    }
    if !vault_access::stdin_is_terminal() {
        return Err(Failure::usage("no terminal to ask for the backup passphrase: pass --passphrase-file PATH"));
    }
    vault_access::prompt_hidden("Backup passphrase: ")
}

pub fn import(global: &Global, args: ImportArgs, now: DateTime<Utc>) -> CliResult {
    let on_duplicate: OnDuplicate = args.on_duplicate.parse()?;
    let format: Option<Format> = match args.format.trim() {
        "auto" | "" => None,
        name => Some(name.parse()?),
    };
    let columns = column_overrides(&args.columns)?;
    let bytes = transfer::read_file(&args.file)?;
    let name = args.file.display().to_string();
    let input = Input { name: &name, bytes: &bytes };
    let format = match format {
        Some(f) => f,
        None => transfer::detect_format(&input)?,
    };
    let passphrase = match format {
        Format::Backup => Some(backup_passphrase(args.passphrase_file.as_deref(), global)?),
        _ => None,
    };
    let options = ReadOptions { passphrase, columns: columns.into_iter().map(|c| (c.header, c.field)).collect() };
    // Read and checked against the vault's rules, which need no vault (see `check_import`).
    let read = || transfer::read(&input, Some(format), &options).and_then(|batch| transfer::check_import(&name, batch));
    let (checked, mut vault) = if password_from_a_file(global) {
        // No one to ask: the unlock (about a second of key derivation) runs while the file is read
        // and checked. A file that fails its checks is still what is reported, once the unlock has
        // ended (an unlock is never cut off halfway).
        std::thread::scope(|threads| {
            let unlocking = threads.spawn(|| vault_access::unlock(global));
            let checked = read();
            let vault = unlocking.join().unwrap_or_else(|_| Err(Failure::invalid("the unlock failed unexpectedly")));
            Ok::<_, Failure>((checked?, vault?))
        })?
    } else {
        // The whole file is read and checked before the vault is unlocked: a bad file is reported
        // before anyone is asked for a password.
        let checked = read()?;
        (checked, vault_access::unlock(global)?)
    };
    let plan = vault.plan_checked(checked, on_duplicate)?;
    if args.dry_run {
        print_plan(&plan, global.json);
        return Ok(());
    }
    report_problems(&plan);
    let show_progress = std::io::stderr().is_terminal() && !global.json;
    let mut progress = |done: usize, total: usize| {
        if show_progress && total >= 1000 {
            eprint!("\rImporting: {done} of {total}");
            let _ = std::io::stderr().flush();
        }
    };
    let summary = vault.apply_import(plan, now, &mut progress)?;
    if show_progress && summary.created + summary.updated + summary.skipped >= 1000 {
        eprintln!();
    }
    if global.json {
        print_json(&summary);
    } else {
        say!(
            "Imported {} token(s) from {name} ({}): {} created, {} updated, {} skipped as duplicates.",
            summary.created + summary.updated,
            summary.format,
            summary.created,
            summary.updated,
            summary.skipped
        );
    }
    Ok(())
}

/// Whether the vault password comes from a file other than stdin (so unlocking asks no one).
fn password_from_a_file(global: &Global) -> bool {
    global.password_file.as_deref().is_some_and(|path| path != Path::new("-"))
}

fn action_word(action: PlannedAction) -> &'static str {
    match action {
        PlannedAction::Create => "create",
        PlannedAction::Update => "update",
        PlannedAction::Skip => "skip",
    }
}

fn print_plan(plan: &ImportPlan, as_json: bool) {
    let summary = plan.summary();
    if as_json {
        print_json(&json!({
            "dry_run": true,
            "file": plan.file,
            "format": plan.format,
            "columns": plan.columns,
            "rows": plan.rows,
            "summary": summary,
        }));
        return;
    }
    if !plan.columns.is_empty() {
        let mapped: Vec<String> = plan
            .columns
            .iter()
            .map(|c| {
                format!("{} → {}", c.header, serde_json::to_value(c.field).unwrap_or_default().as_str().unwrap_or("?"))
            })
            .collect();
        say!("Columns: {}", mapped.join(", "));
    }
    let rows: Vec<Vec<String>> = plan
        .rows
        .iter()
        .map(|r| {
            let provider = if r.provider_detected { format!("{} (detected)", r.provider) } else { r.provider.clone() };
            let action = match &r.duplicate_of {
                Some(of) => format!("{} (duplicate of {of})", action_word(r.action)),
                None => action_word(r.action).to_owned(),
            };
            vec![
                r.at.clone(),
                r.name.clone(),
                provider,
                r.hint.clone(),
                r.expires_at.map(timestamp::encode).unwrap_or_else(|| "-".to_owned()),
                action,
                r.problems.join("; "),
            ]
        })
        .collect();
    print_table(&["WHERE", "NAME", "PROVIDER", "HINT", "EXPIRES", "ACTION", "PROBLEMS"], &rows);
    say!(
        "Dry run of {} ({}): {} to create, {} to update, {} to skip. Nothing was changed.",
        plan.file,
        plan.format,
        summary.created,
        summary.updated,
        summary.skipped
    );
}

fn report_problems(plan: &ImportPlan) {
    const SHOWN: usize = 20;
    let noted: Vec<String> =
        plan.rows.iter().flat_map(|r| r.problems.iter().map(move |p| format!("{}: {p}", r.at))).collect();
    for line in noted.iter().take(SHOWN) {
        crate::note!("tokenwarden-cli: note: {line}");
    }
    if noted.len() > SHOWN {
        crate::note!("tokenwarden-cli: note: and {} more (see --dry-run)", noted.len() - SHOWN);
    }
}

pub fn export(global: &Global, args: ExportArgs, now: DateTime<Utc>) -> CliResult {
    let format: ExportFormat = args.format.parse()?;
    if format == ExportFormat::KeepassxcXml && !args.include_secrets {
        return Err(Failure::invalid(
            "a KeePassXC XML export holds every secret in the clear: confirm with --include-secrets",
        ));
    }
    if args.include_secrets && format == ExportFormat::Backup {
        return Err(Failure::usage("--include-secrets is for json, csv and keepassxc-xml; a backup always holds them"));
    }
    if args.file.exists() && !args.force {
        return Err(Failure::invalid(format!("{} already exists; pass --force to replace it", args.file.display())));
    }
    let mut options = ExportOptions::new(format);
    options.include_secrets = args.include_secrets;
    options.armor = args.armor;
    if format == ExportFormat::Backup {
        options.passphrase = Some(new_passphrase(args.passphrase_file.as_deref(), global)?);
    } else if args.armor {
        return Err(Failure::usage("--armor is for the encrypted backup only"));
    }
    let mut vault = vault_access::unlock(global)?;
    if format.plain_secrets(args.include_secrets) {
        eprintln!(
            "tokenwarden-cli: warning: {} will hold every secret in the clear; keep it safe and delete it when done",
            args.file.display()
        );
    }
    // Never into the vault's own folder or a dot-folder of the home (resolved, so `..` and
    // symlinks cannot get around it); the file is written where the check says it lands.
    let target = files::check_export_target(&args.file, vault.dir())?;
    let exported = vault.export(&options, now)?;
    files::write_atomic(&target, &exported.bytes, args.force)?;
    if global.json {
        print_json(&json!({
            "path": args.file.display().to_string(),
            "format": format,
            "tokens": exported.tokens,
            "with_secrets": exported.with_secrets,
            "encrypted": format == ExportFormat::Backup,
        }));
    } else {
        say!("Exported {} token(s) to {} ({}).", exported.tokens, args.file.display(), describe(format, &exported));
    }
    Ok(())
}

fn describe(format: ExportFormat, exported: &transfer::Exported) -> &'static str {
    match (format, exported.with_secrets) {
        (ExportFormat::Backup, _) => "encrypted backup",
        (_, true) => "secrets in the clear",
        (_, false) => "metadata only, no secrets",
    }
}

fn new_passphrase(file: Option<&Path>, global: &Global) -> CliResult<SecretString> {
    let passphrase = if file.is_some() || !vault_access::stdin_is_terminal() {
        backup_passphrase(file, global)?
    } else {
        let first = vault_access::prompt_hidden("Passphrase for the backup: ")?;
        let second = vault_access::prompt_hidden("Repeat it: ")?;
        if first.expose_secret() != second.expose_secret() {
            return Err(Failure::invalid("the two passphrases differ; nothing was exported"));
        }
        first
    };
    if passphrase.expose_secret().chars().count() < MIN_PASSPHRASE {
        return Err(Failure::invalid(format!("the backup passphrase needs at least {MIN_PASSPHRASE} characters")));
    }
    Ok(passphrase)
}
