//! `passwd --rekey` and the rollback check through the real binary: a re-keyed vault keeps every
//! secret and shuts out the old key file; an older `vault.db` put back is refused; and a re-key
//! killed at any moment leaves a vault that opens with the password and holds every secret.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Env, PASSWORD};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokenwarden_core::transfer::{ExportFormat, ExportOptions};
use tokenwarden_core::{SecretString, Vault};

const CHEAP_KDF: [&str; 6] = ["--kdf-memory-mib", "8", "--kdf-iterations", "1", "--kdf-parallelism", "1"];
const STAGED: &str = "vault.db.rekey";

fn rekey_args() -> Vec<&'static str> {
    let mut args = vec!["passwd", "--rekey"];
    args.extend_from_slice(&CHEAP_KDF);
    args
}

fn secret(i: usize) -> String {
    format!("tw_test_{i:08}_Q9xLm2Vb7Zr4")
}

/// A CSV of `rows` tokens with distinct, token-like secrets.
fn csv_file(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("name,token,provider\n");
    for i in 0..rows {
        text.push_str(&format!("token {i},{},generic\n", secret(i)));
    }
    let path = dir.join("tokens.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// Copies the files of vault `from` into a fresh directory `to` (the vault is closed).
fn copy_vault(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn copy_db(from: &Path, to: &Path) {
    for name in ["vault.db", "vault.db-wal", "vault.db-shm"] {
        let _ = std::fs::remove_file(to.join(name));
        if from.join(name).exists() {
            std::fs::copy(from.join(name), to.join(name)).unwrap();
        }
    }
}

/// Opens the vault in this process with the password and checks it holds tokens `0..rows`, each
/// secret intact (a plain JSON export decrypts every one), and passes its integrity checks.
fn assert_opens_with_every_secret(dir: &Path, rows: usize) {
    let (mut vault, _) = Vault::unlock_with_password(dir, &SecretString::from(PASSWORD))
        .unwrap_or_else(|e| panic!("the vault does not open with the password: {e}"));
    vault.check().unwrap_or_else(|e| panic!("the vault fails its checks: {e}"));
    let mut options = ExportOptions::new(ExportFormat::Json);
    options.include_secrets = true;
    let exported = vault.export(&options, chrono::Utc::now()).unwrap();
    assert_eq!(exported.tokens, rows);
    let text = std::str::from_utf8(&exported.bytes).unwrap();
    let len = secret(0).len();
    let found: std::collections::HashSet<&str> =
        text.match_indices("tw_test_").filter_map(|(at, _)| text.get(at..at + len)).collect();
    let missing: Vec<usize> = (0..rows).filter(|i| !found.contains(secret(*i).as_str())).collect();
    assert!(missing.is_empty(), "the secrets of tokens {missing:?} are missing");
}

/// Sends a signal by name with kill(1) (the tests forbid unsafe code, so no libc).
fn signal(pid: u32, name: &str) {
    let status = std::process::Command::new("kill").args([&format!("-{name}"), &pid.to_string()]).status().unwrap();
    assert!(status.success(), "kill -{name} {pid}");
}

#[test]
fn passwd_rekey_keeps_every_secret_and_the_old_key_file_no_longer_opens_the_vault() {
    let env = Env::init();
    let a = env.add("deploy bot", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &[]);
    let b = env.add("ci runner", "glpat-Vd83kLm2Qp9Zx7Tn4Wb1", &["--provider", "gitlab"]);
    let old_keys = std::fs::read(env.vault.join("vault.keys")).unwrap();
    let mut args = vec!["--json"];
    args.extend(rekey_args());
    let run = env.cli(&args).ok();
    assert_eq!(run.json()["rekeyed"], true);
    assert_eq!(run.json()["keyring"], "off");
    assert_ne!(std::fs::read(env.vault.join("vault.keys")).unwrap(), old_keys);
    assert!(!env.vault.join(STAGED).exists());
    assert_eq!(env.cli(&["reveal", &a]).ok().stdout.trim(), "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u");
    assert_eq!(env.cli(&["reveal", &b]).ok().stdout.trim(), "glpat-Vd83kLm2Qp9Zx7Tn4Wb1");
    env.cli(&["log", "--verify"]).ok();
    let log = env.cli(&["log"]).ok();
    assert!(log.stdout.contains("vault_rekeyed"), "{}", log.stdout);
    // The old key file with the (unchanged) password: the re-keyed database does not open.
    std::fs::write(env.vault.join("vault.keys"), &old_keys).unwrap();
    let run = env.cli(&["--json", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("\"corrupt\"") && run.stderr.contains("vault.db"), "{}", run.stderr);
}

#[test]
fn passwd_rekey_puts_the_new_key_in_the_real_keyring() {
    if !common::services("passwd_rekey_puts_the_new_key_in_the_real_keyring", &[common::Service::SecretService]) {
        return;
    }
    let env = Env::init();
    let id = env.add("t", "ghp_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk0010", &[]);
    env.cli(&["keyring", "enable"]).ok();
    let mut args = vec!["--json"];
    args.extend(rekey_args());
    assert_eq!(env.cli(&args).ok().json()["keyring"], "updated");
    // No password at all: only the new key, from the keyring, opens the re-keyed vault.
    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    let run = env.cli_with(&["reveal", &id], None, &mut no_password);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("using the password instead"), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "ghp_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk0010");
    env.cli(&["keyring", "disable"]).ok();
}

#[test]
fn passwd_rekey_with_a_wrong_password_changes_nothing() {
    let env = Env::init();
    env.add("deploy bot", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &[]);
    let before = common::snapshot(&env.vault);
    let wrong = env.tmp.path().join("wrong");
    std::fs::write(&wrong, "not the password at all\n").unwrap();
    let mut cmd = env.command();
    cmd.env("TOKENWARDEN_PASSWORD_FILE", &wrong);
    let run = env.cli_with(&rekey_args(), None, &mut cmd);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(common::snapshot(&env.vault), before);
}

#[test]
fn an_older_vault_db_put_back_is_refused_as_a_rollback_with_exit_1() {
    let env = Env::init();
    env.add("deploy bot", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &[]);
    let old = env.tmp.path().join("old");
    std::fs::create_dir(&old).unwrap();
    copy_db(&env.vault, &old);
    env.add("ci runner", "glpat-Vd83kLm2Qp9Zx7Tn4Wb1", &["--provider", "gitlab"]);
    env.add("third", "glpat-Zd83kLm2Qp9Zx7Tn4Wb9", &["--provider", "gitlab"]);
    copy_db(&old, &env.vault);
    let run = env.cli(&["--json", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let failure: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(failure["code"], "corrupt");
    let message = failure["message"].as_str().unwrap();
    // vault_created + 1 created, against the 3 created since: 4 recorded, 2 found.
    assert!(
        message.contains("rolled back") && message.contains("records 4") && message.contains("holds only 2"),
        "{message}"
    );
}

/// Kills `passwd --rekey` of a vault of 2,000 tokens at moments spread over its run, many times:
/// after each kill the vault opens with the password (under the old key or the new one) and every
/// secret reads back. Each kill is first a SIGSTOP, so the test sees where the re-key stood (the
/// staged database present, and the key file still old or already new); at least one kill must
/// land while the staged database existed, or the test proves nothing about interruption.
#[test]
fn a_rekey_killed_at_any_moment_leaves_a_vault_that_opens_with_every_secret() {
    const ROWS: usize = 2_000;
    let base = Env::init();
    base.cli(&["import", common_path(&csv_file(base.tmp.path(), ROWS))]).ok();
    let base_keys = std::fs::read(base.vault.join("vault.keys")).unwrap();

    // One full run, to know how long a re-key takes here and when the staged database exists.
    let scratch = Env::new();
    copy_vault(&base.vault, &scratch.vault);
    let started = Instant::now();
    let mut child = scratch
        .command()
        .args(rekey_args())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (mut first_staged, mut last_staged) = (None, None);
    while child.try_wait().unwrap().is_none() {
        if scratch.vault.join(STAGED).exists() {
            first_staged.get_or_insert(started.elapsed());
            last_staged = Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let full = started.elapsed();
    assert!(child.wait().unwrap().success());
    eprintln!("a full re-key of {ROWS} tokens took {full:?}; staged from {first_staged:?} to {last_staged:?}");
    assert_opens_with_every_secret(&scratch.vault, ROWS);
    let first_staged = first_staged.expect("the re-key was seen building its staged database");
    let last_staged = last_staged.expect("the re-key was seen building its staged database");

    let mut seed = std::process::id() as u64 ^ started.elapsed().as_nanos() as u64;
    let (mut before, mut staged_old_keys, mut staged_new_keys, mut after) = (0, 0, 0, 0);
    for round in 0..14 {
        let target = Env::new();
        copy_vault(&base.vault, &target.vault);
        // xorshift: a different spread of kill moments on every run of the test.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let unit = (seed % 1000) as f64 / 1000.0;
        // Even rounds: anywhere in the run. Odd rounds: while the full run had a staged database.
        let at = if round % 2 == 0 {
            full.mul_f64(0.02 + unit * 1.3)
        } else {
            first_staged + last_staged.saturating_sub(first_staged).mul_f64(unit)
        };
        let mut child = target
            .command()
            .args(rekey_args())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        // Stopping (or killing) an exited child that is not reaped yet is harmless: it is a zombie.
        signal(child.id(), "STOP");
        let staged = target.vault.join(STAGED).exists();
        let keys_new = std::fs::read(target.vault.join("vault.keys")).unwrap() != base_keys;
        signal(child.id(), "KILL");
        let status = child.wait().unwrap();
        match (status.success(), staged, keys_new) {
            (true, _, _) | (false, false, true) => after += 1,
            (false, true, false) => staged_old_keys += 1,
            (false, true, true) => staged_new_keys += 1,
            (false, false, false) => before += 1,
        }
        assert_opens_with_every_secret(&target.vault, ROWS);
        assert!(!target.vault.join(STAGED).exists(), "round {round}: the staged database was left behind");
    }
    eprintln!(
        "re-key kills: {before} before the staged database, {staged_old_keys} while it was built, \
         {staged_new_keys} after the commit point, {after} after the end (full run {full:?})"
    );
    assert!(
        staged_old_keys + staged_new_keys > 0,
        "no kill landed while the re-key was under way: the test proved nothing (full run {full:?})"
    );
}

fn common_path(path: &Path) -> &str {
    path.to_str().unwrap()
}
