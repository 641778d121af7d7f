//! `make bench`: how fast import and export are at 10k tokens. Prints figures; asserts nothing.
//! Import of 10k CSV rows and of a 10k-token encrypted backup, export of 10k in every format,
//! each against the target of 2 s after the KDF. Vaults use a cheap Argon2id (unlocking is not
//! measured here); the backup's scrypt (age's default work factor, calibrated to ~1 s) is timed apart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration as Days, TimeZone, Utc};
use secrecy::SecretString;
use std::path::Path;
use std::time::{Duration, Instant};
use tokenwarden_core::transfer::{self, ExportFormat, ExportOptions, Format, Input, OnDuplicate, ReadOptions};
use tokenwarden_core::{KdfParams, NewToken, TokenKind, Vault};
use tokenwarden_providers::ProviderId;

const CHEAP: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
const PROVIDERS: &[&str] = &["github", "gitlab", "slack", "stripe", "openai", "aws", "cloudflare", "vercel"];
const PASSWORD: &str = "benchmark password";
const PASSPHRASE: &str = "benchmark backup passphrase";
const ROWS: usize = 10_000;
const RUNS: usize = 3;
/// A scrypt work factor (log2 N) whose cost is negligible (~1 ms), to time a backup without it.
const CHEAP_SCRYPT: u8 = 10;
const TARGET: &str = "(target ≤ 2000 ms after the KDF)";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 9, 30, 0).unwrap()
}

fn vault(dir: &Path) -> Vault {
    Vault::create(dir, &SecretString::from(PASSWORD), CHEAP, now()).unwrap()
}

/// A spreadsheet of `rows` tokens: name, token, provider, expires, tags; every secret distinct.
fn csv_text(rows: usize) -> String {
    let mut out = String::from("name,token,provider,expires,tags\n");
    for i in 0..rows {
        let provider = PROVIDERS[i % PROVIDERS.len()];
        let expires = if i % 5 == 0 {
            String::new()
        } else {
            (now() + Days::days((i % 400) as i64)).format("%Y-%m-%d").to_string()
        };
        out.push_str(&format!(
            "service-{i:05} deploy,tw_bench_{i:08}_Q9xLm2Vb7Zr4,{provider},{expires},squad-{} ci\n",
            i % 13
        ));
    }
    out
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / 1048576.0)
}

/// The scrypt work factor (log2 N) written in an age header, to show which one age calibrated.
fn scrypt_log_n(backup: &[u8]) -> u8 {
    let header = &backup[..backup.len().min(512)];
    String::from_utf8_lossy(header)
        .lines()
        .find_map(|l| l.strip_prefix("-> scrypt ").and_then(|rest| rest.split(' ').nth(1)?.parse().ok()))
        .unwrap_or(0)
}

/// Per-step medians of an import done `RUNS` times, each into a fresh vault: (read, plan, apply, total).
/// Returns the last vault too, holding the imported tokens.
fn import_runs(root: &Path, label: &str, bytes: &[u8], passphrase: Option<&str>) -> ([Duration; 4], Vault) {
    let mut samples: [Vec<Duration>; 4] = Default::default();
    let mut last = None;
    for run in 0..RUNS {
        let mut v = vault(&root.join(format!("{label}-{run}")));
        let options = ReadOptions { passphrase: passphrase.map(SecretString::from), ..ReadOptions::default() };
        let (batch, read) = timed(|| transfer::read(&Input { name: label, bytes }, None, &options).unwrap());
        assert_eq!(batch.records.len(), ROWS, "{label}: every row is read");
        let (plan, plan_time) = timed(|| v.plan_import(label, batch, OnDuplicate::Skip).unwrap());
        let (summary, apply) = timed(|| v.apply_import(plan, now(), &mut |_, _| {}).unwrap());
        assert_eq!(summary.created, ROWS, "{label}: every row is created");
        for (s, d) in samples.iter_mut().zip([read, plan_time, apply, read + plan_time + apply]) {
            s.push(d);
        }
        last = Some(v);
    }
    (samples.map(median), last.unwrap())
}

/// Median time of `RUNS` exports, the bytes of the last, and (for backups) the scrypt work factor
/// age chose in each run: its calibration does not always land on the same one.
fn export_runs(v: &mut Vault, options: &ExportOptions) -> (Duration, Vec<u8>, String) {
    let mut samples = Vec::new();
    let mut bytes = Vec::new();
    let mut factors = Vec::new();
    for _ in 0..RUNS {
        let (exported, d) = timed(|| v.export(options, now()).unwrap());
        samples.push(d);
        bytes = exported.bytes.to_vec();
        factors.push(format!("2^{}", scrypt_log_n(&bytes)));
    }
    (median(samples), bytes, factors.join(","))
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    println!(
        "Tokenwarden import/export benchmarks, {ROWS} tokens (median of {RUNS} runs; 2-core machine figures vary ±10%)"
    );
    println!(
        "Vaults use a cheap Argon2id ({CHEAP}); backups use age's default (self-calibrated) scrypt work factor.\n"
    );

    // Import of 10k CSV rows.
    let csv = csv_text(ROWS);
    let ([read, plan, apply, total], mut source) = import_runs(tmp.path(), "tokens.csv", csv.as_bytes(), None);
    println!(
        "import 10k CSV rows: parse {}, plan {}, apply {}, total {} {TARGET}",
        ms(read),
        ms(plan),
        ms(apply),
        ms(total)
    );

    // Export of 10k, from the vault the CSV import filled. The scrypt part is timed twice: as a
    // 1-token backup (all scrypt, plus age's calibration of it) and by subtracting the same export
    // made at a negligible work factor; with ~2 s of scrypt varying by ±100 ms, the second is the
    // steadier estimate of "the rest".
    let mut backup = ExportOptions::new(ExportFormat::Backup);
    backup.passphrase = Some(SecretString::from(PASSPHRASE));
    let (backup_total, backup_10k, factors_10k) = export_runs(&mut source, &backup);
    let mut one = vault(&tmp.path().join("one"));
    let provider = ProviderId::parse("github").unwrap();
    let token = NewToken::new("one", provider, TokenKind::ApiKey, SecretString::from("tw_bench_single_Q9xLm2Vb7Zr4"));
    one.add_token(token, now()).unwrap();
    let (backup_scrypt, _, factors_1) = export_runs(&mut one, &backup);
    let mut cheap_backup = ExportOptions::new(ExportFormat::Backup);
    cheap_backup.passphrase = Some(SecretString::from(PASSPHRASE));
    cheap_backup.work_factor = Some(CHEAP_SCRYPT);
    let (backup_rest, backup_10k_cheap, _) = export_runs(&mut source, &cheap_backup);
    println!(
        "export 10k, encrypted backup (age chose scrypt {factors_10k}; for 1 token {factors_1}): total {}; \
         scrypt ≈ {} (1-token backup) or {} (total minus the rest); the rest {} (same export at scrypt \
         2^{CHEAP_SCRYPT}) {TARGET}",
        ms(backup_total),
        ms(backup_scrypt),
        ms(backup_total.saturating_sub(backup_rest)),
        ms(backup_rest),
    );
    let (csv_export, csv_bytes, _) = export_runs(&mut source, &ExportOptions::new(ExportFormat::Csv));
    println!("export 10k, metadata CSV: {} {TARGET}", ms(csv_export));
    let (json_export, json_bytes, _) = export_runs(&mut source, &ExportOptions::new(ExportFormat::Json));
    println!("export 10k, metadata JSON: {} {TARGET}", ms(json_export));
    let mut xml = ExportOptions::new(ExportFormat::KeepassxcXml);
    xml.include_secrets = true;
    let (xml_export, xml_bytes, _) = export_runs(&mut source, &xml);
    println!("export 10k, KeePassXC XML (with secrets): {} {TARGET}", ms(xml_export));

    // Import of the last 10k-token backup into a fresh vault. The scrypt part is the read of a
    // 1-token backup made at the work factor age chose for it; the rest is measured again on the
    // same 10k backup made at a negligible work factor.
    let log_n = scrypt_log_n(&backup_10k);
    let mut same = ExportOptions::new(ExportFormat::Backup);
    same.passphrase = Some(SecretString::from(PASSPHRASE));
    same.work_factor = Some(log_n);
    let backup_1 = one.export(&same, now()).unwrap().bytes;
    let options = ReadOptions { passphrase: Some(SecretString::from(PASSPHRASE)), ..ReadOptions::default() };
    let scrypt_read = median(
        (0..RUNS)
            .map(|_| {
                let input = Input { name: "one.age", bytes: &backup_1 };
                timed(|| transfer::read(&input, Some(Format::Backup), &options).unwrap()).1
            })
            .collect(),
    );
    let ([read, plan, apply, total], _) = import_runs(tmp.path(), "backup.age", &backup_10k, Some(PASSPHRASE));
    println!(
        "import 10k-token backup (scrypt 2^{log_n}): read {} (scrypt ≈ {} as a 1-token read), plan {}, apply {}, \
         total {}",
        ms(read),
        ms(scrypt_read),
        ms(plan),
        ms(apply),
        ms(total),
    );
    let ([read, plan, apply, total], _) =
        import_runs(tmp.path(), "backup-cheap.age", &backup_10k_cheap, Some(PASSPHRASE));
    println!(
        "import 10k-token backup after scrypt (same backup at 2^{CHEAP_SCRYPT}): read (decrypt + parse) {}, plan {}, \
         apply {}, total {} {TARGET}",
        ms(read),
        ms(plan),
        ms(apply),
        ms(total),
    );

    println!(
        "bytes: CSV import {}, backup {}, csv {}, json {}, keepassxc-xml {}",
        mib(csv.len()),
        mib(backup_10k.len()),
        mib(csv_bytes.len()),
        mib(json_bytes.len()),
        mib(xml_bytes.len())
    );
}
