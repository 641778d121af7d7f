//! `make bench`: how fast the vault is at the sizes people reach. Prints figures; asserts nothing.
//! Vaults of 10k and 100k tokens in a temp dir; unlock split into the Argon2id cost and the rest;
//! a 10k-token transaction; list and search; on-disk size; and, when TOKENWARDEN_CLI_BIN names
//! a built tokenwarden-cli, `list --json` end to end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration as Days, TimeZone, Utc};
use secrecy::SecretString;
use std::path::Path;
use std::time::{Duration, Instant};
use tokenwarden_core::monitor::{CheckRecord, StoredCheck};
use tokenwarden_core::{KdfParams, NewToken, TokenFilter, TokenKind, Vault};
use tokenwarden_providers::ProviderId;

const PROVIDERS: &[&str] = &["github", "gitlab", "slack", "stripe", "openai", "aws", "cloudflare", "vercel"];
const PASSWORD: &str = "benchmark password";

fn tokens(count: usize, offset: usize) -> Vec<NewToken> {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
    (offset..offset + count)
        .map(|i| {
            let provider = ProviderId::parse(PROVIDERS[i % PROVIDERS.len()]).unwrap();
            let secret = SecretString::from(format!("ghp_{i:08}bench{:024x}", i.wrapping_mul(2_654_435_761)));
            let mut t =
                NewToken::new(format!("service-{i:06} deploy"), provider, TokenKind::PersonalAccessToken, secret);
            t.account = Some(format!("team-{}", i % 97));
            t.environment = Some(["prod", "staging", "dev"][i % 3].to_owned());
            t.tags = vec![format!("squad-{}", i % 13), "ci".to_owned()];
            t.scopes = vec!["repo".to_owned(), "read:org".to_owned()];
            t.expires_at = (i % 5 != 0).then(|| now + Days::days((i % 400) as i64 - 20));
            t
        })
        .collect()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(f());
                started.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn disk_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum()
}

fn build(dir: &Path, kdf: KdfParams, count: usize) -> Duration {
    let now = Utc::now();
    let mut vault = Vault::create(dir, &SecretString::from(PASSWORD), kdf, now).unwrap();
    let mut first_batch = Duration::ZERO;
    for (n, start) in (0..count).step_by(10_000).enumerate() {
        let batch = tokens(10_000.min(count - start), start);
        let started = Instant::now();
        vault.add_tokens(batch, now).unwrap();
        if n == 0 {
            first_batch = started.elapsed();
        }
    }
    vault.checkpoint().unwrap();
    first_batch
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let now = Utc::now();
    println!("Tokenwarden vault benchmarks (median of runs; 2-core machine figures vary ±10%)\n");

    let started = Instant::now();
    let calibrated = tokenwarden_core::vault::calibrated_kdf().unwrap();
    println!("Argon2id calibration: {calibrated} chosen in {}", ms(started.elapsed()));

    // 10k tokens, with the calibrated (real) key-derivation cost.
    let dir10 = tmp.path().join("10k");
    let add10 = build(&dir10, calibrated, 10_000);
    println!("\n== 10,000 tokens");
    println!("add 10k tokens in one transaction:       {}", ms(add10));
    let mut kdf_samples = Vec::new();
    let mut open_samples = Vec::new();
    for _ in 0..3 {
        let (vault, timings) = Vault::unlock_with_password(&dir10, &SecretString::from(PASSWORD)).unwrap();
        kdf_samples.push(timings.kdf);
        open_samples.push(timings.open);
        vault.lock();
    }
    println!("unlock: Argon2id (deliberate cost):      {}", ms(median(kdf_samples)));
    println!("unlock: everything after the KDF:        {}", ms(median(open_samples)));
    let (vault, _) = Vault::unlock_with_password(&dir10, &SecretString::from(PASSWORD)).unwrap();
    let all = TokenFilter::default();
    let count = vault.list_tokens(&all, now).unwrap().len();
    let search = TokenFilter { search: Some("service-0042".into()), ..TokenFilter::default() };
    println!("search 10k ('service-0042'):             {}", ms(time(7, || vault.list_tokens(&search, now).unwrap())));
    let list_ms = time(7, || vault.list_tokens(&all, now).unwrap());
    let settings = tokenwarden_core::health::AuditSettings::default();
    let unchecked = vault.audit(now, &settings).unwrap().len();
    let audit_unchecked_ms = time(7, || vault.audit(now, &settings).unwrap());
    // A year of the monitor's history: a daily check whose answer changed each quarter (the
    // history keeps a row per change, so four rows a token), seeded in one transaction as the
    // monitor would have written it check by check (`seed_check_history`; a core test holds the
    // two to the same rows and findings).
    let (mut vault, started) = (vault, Instant::now());
    let ids: Vec<String> = vault.list_tokens(&all, now).unwrap().into_iter().map(|t| t.token.id).collect();
    let mut rows = Vec::with_capacity(ids.len() * 4);
    for (quarter, scopes) in [["repo"].as_slice(), &["repo", "workflow"], &["repo"], &["read:org"]].iter().enumerate() {
        let at = now - Days::days(365) + Days::days(91 * quarter as i64);
        for id in &ids {
            let record = CheckRecord {
                valid: true,
                owner: Some("bench-owner".into()),
                scopes: Some(scopes.iter().map(|s| s.to_string()).collect()),
                expires_at: None,
                last_used_at: Some(at - Days::days(3)),
                last_used_source: Some(format!("203.0.113.{}", quarter + 1)),
            };
            rows.push(StoredCheck { token_id: id.clone(), first_at: at, last_at: at, seen: 1, record });
        }
    }
    vault.seed_check_history(&rows).unwrap();
    // A year-old history is long in the database file, not in the write-ahead log.
    vault.checkpoint().unwrap();
    println!("a year of checks ({} rows) seeded in:    {:.1} s", rows.len(), started.elapsed().as_secs_f64());
    let checked = vault.audit(now, &settings).unwrap().len();
    let audit_checked_ms = time(7, || vault.audit(now, &settings).unwrap());
    let list_checked_ms = time(7, || vault.list_tokens(&all, now).unwrap());
    println!("\n   the same 10k vault, median of 7:        time       items");
    println!("   list all (metadata only)               {:>9}  {count:>6} tokens", ms(list_ms));
    println!("   audit, no checks yet                   {:>9}  {unchecked:>6} findings", ms(audit_unchecked_ms));
    println!("   list all, with a year of checks        {:>9}  {count:>6} tokens", ms(list_checked_ms));
    println!(
        "   audit, a year of checks ({}k rows)     {:>9}  {checked:>6} findings",
        rows.len() / 1000,
        ms(audit_checked_ms)
    );
    println!();
    println!("on-disk size:                            {:.1} MiB", disk_size(&dir10) as f64 / 1048576.0);
    vault.lock();

    // 100k tokens. The KDF does not depend on size, so this vault uses a cheap one to save time.
    let cheap = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
    let dir100 = tmp.path().join("100k");
    let started = Instant::now();
    build(&dir100, cheap, 100_000);
    println!("\n== 100,000 tokens (built in {:.1} s)", started.elapsed().as_secs_f64());
    let (vault, timings) = Vault::unlock_with_password(&dir100, &SecretString::from(PASSWORD)).unwrap();
    println!("unlock: everything after the KDF:        {}", ms(timings.open));
    println!("list all 100k (metadata only):           {}", ms(time(5, || vault.list_tokens(&all, now).unwrap())));
    for term in ["service-04242", "team-13", "no such token"] {
        let filter = TokenFilter { search: Some(term.into()), ..TokenFilter::default() };
        let hits = vault.list_tokens(&filter, now).unwrap().len();
        println!(
            "search 100k ({term:>15}, {hits:>5} hits): {}",
            ms(time(7, || vault.list_tokens(&filter, now).unwrap()))
        );
    }
    println!("on-disk size:                            {:.1} MiB", disk_size(&dir100) as f64 / 1048576.0);
    vault.lock();

    if let Ok(cli) = std::env::var("TOKENWARDEN_CLI_BIN") {
        let password_file = tmp.path().join("password");
        std::fs::write(&password_file, PASSWORD).unwrap();
        let run = || {
            let out = std::process::Command::new(&cli)
                .args(["--no-keyring", "list", "--json"])
                .env("TOKENWARDEN_VAULT", &dir10)
                .env("TOKENWARDEN_PASSWORD_FILE", &password_file)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            out.stdout.len()
        };
        let bytes = run();
        println!("\n== CLI end to end (10k, calibrated KDF included)");
        println!(
            "tokenwarden-cli list --json:             {} ({:.1} MiB of JSON)",
            ms(time(3, run)),
            bytes as f64 / 1048576.0
        );
    }
}
