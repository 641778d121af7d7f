//! `import` and `export` through the real binary: files, exit codes, dry runs, duplicates, file
//! modes, and an import killed at random moments that leaves all of its rows or none.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "a long enough backup passphrase";

fn passphrase_file(env: &Env) -> PathBuf {
    let path = env.tmp.path().join("passphrase");
    std::fs::write(&path, format!("{PASSPHRASE}\n")).unwrap();
    path
}

fn token_count(env: &Env) -> usize {
    env.cli(&["--json", "list", "--all"]).ok().json().as_array().unwrap().len()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A CSV of `rows` tokens with distinct, token-like secrets.
fn csv_file(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("name,token,provider,expires,tags\n");
    for i in 0..rows {
        text.push_str(&format!(
            "token {i},tw_test_{i:08}_Q9xLm2Vb7Zr4,generic,2027-0{}-15,imported;batch\n",
            1 + i % 9
        ));
    }
    let path = dir.join(format!("tokens-{rows}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_backup_moves_the_inventory_to_another_vault() {
    let env = Env::init();
    let a = env.add("deploy bot", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &["--expires", "2027-03-01"]);
    env.add("ci runner", "glpat-Vd83kLm2Qp9Zx7Tn4Wb1", &["--provider", "gitlab"]);
    env.cli(&["usage", "add", &a, "--kind", "ci_secret", "--location", "acme/api DEPLOY_TOKEN"]).ok();
    let backup = env.tmp.path().join("inventory.age");
    let pass = passphrase_file(&env);
    let run = env.cli(&["--json", "export", s(&backup), "--passphrase-file", s(&pass)]).ok();
    assert_eq!(run.json()["tokens"], 2);
    assert_eq!(run.json()["encrypted"], true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // No overwrite without --force.
    let again = env.cli(&["export", s(&backup), "--passphrase-file", s(&pass)]);
    assert_eq!(again.code, 5, "{}", again.stderr);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    env.cli(&["export", s(&backup), "--passphrase-file", s(&pass), "--force"]).ok();

    let other = Env::init();
    let wrong = other.tmp.path().join("wrong");
    std::fs::write(&wrong, "not the passphrase\n").unwrap();
    let refused = other.cli(&["import", s(&backup), "--passphrase-file", s(&wrong)]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert_eq!(token_count(&other), 0);

    let summary = other.cli(&["--json", "import", s(&backup), "--passphrase-file", s(&pass)]).ok().json();
    assert_eq!((summary["created"].as_u64(), summary["format"].as_str()), (Some(2), Some("backup")));
    let listed = |e: &Env| {
        let mut v: Vec<String> = e
            .cli(&["--json", "list", "--all"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|t| format!("{} {} {} {}", t["id"], t["name"], t["expires_at"], t["hint"]))
            .collect();
        v.sort();
        v
    };
    assert_eq!(listed(&env), listed(&other));
    let secret = other.cli(&["reveal", &a]).ok();
    assert_eq!(secret.stdout.trim(), "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u");
    let usages = other.cli(&["--json", "usage", "list", &a]).ok().json();
    assert_eq!(usages.as_array().unwrap().len(), 1);
    other.cli(&["check"]).ok();
}

#[test]
fn a_dry_run_previews_and_changes_nothing_then_duplicates_are_skipped() {
    let env = Env::init();
    let file = csv_file(env.tmp.path(), 3);
    let before = common::snapshot(&env.vault);
    let preview = env.cli(&["--json", "import", s(&file), "--dry-run"]).ok().json();
    assert_eq!(preview["summary"]["created"], 3);
    assert_eq!(preview["rows"][0]["at"], "line 2");
    assert_eq!(preview["rows"][0]["action"], "create");
    assert_eq!(preview["columns"][1]["field"], "secret");
    assert_eq!(common::snapshot(&env.vault), before, "a dry run writes nothing");

    let text = env.cli(&["import", s(&file), "--dry-run"]).ok().stdout;
    assert!(text.contains("Dry run") && text.contains("3 to create"), "{text}");

    env.cli(&["import", s(&file)]).ok();
    assert_eq!(token_count(&env), 3);
    let second = env.cli(&["--json", "import", s(&file)]).ok().json();
    assert_eq!((second["created"].as_u64(), second["skipped"].as_u64()), (Some(0), Some(3)));
    let anyway = env.cli(&["--json", "import", s(&file), "--on-duplicate", "import"]).ok().json();
    assert_eq!(anyway["created"], 3);
    assert_eq!(token_count(&env), 6);
}

#[test]
fn a_file_that_fails_to_parse_exits_5_and_changes_nothing() {
    let env = Env::init();
    env.add("kept", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &[]);
    let before = common::snapshot(&env.vault);
    let deep = "[".repeat(5000);
    let cases: [(&str, &[u8], &str); 4] = [
        ("truncated.json", br#"{"format":"tokenwarden","version":1,"tokens":[{"name":"x","#, "truncated"),
        ("deep.json", deep.as_bytes(), "nested"),
        ("binary.csv", b"name,token\n\xff\xfe\x00\x01,abc\n", "UTF-8"),
        ("words.txt", b"just a sentence, nothing more", "secret"),
    ];
    for (name, bytes, expected) in cases {
        let path = env.tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let run = env.cli(&["import", s(&path)]);
        assert_eq!(run.code, 5, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(name), "{name}: the error names the file: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
    }
    let forced = env.tmp.path().join("forced.env");
    std::fs::write(&forced, "name,token\nx,ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u\n").unwrap();
    assert_eq!(env.cli(&["import", s(&forced), "--format", "env"]).code, 5);
    let json = env.cli(&["--json", "import", s(&env.tmp.path().join("missing.csv"))]);
    assert_eq!(json.code, 1);
    assert!(json.stderr.contains("\"code\":\"io\""), "{}", json.stderr);
    assert_eq!(common::snapshot(&env.vault), before);
}

#[test]
fn with_the_password_in_a_file_a_bad_file_is_still_what_is_reported_and_a_wrong_password_adds_nothing() {
    // The unlock runs while the file is read: the file's error comes first all the same.
    let env = Env::init();
    env.add("kept", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &[]);
    let before = common::snapshot(&env.vault);
    let wrong = env.tmp.path().join("wrong-password");
    std::fs::write(&wrong, "not the password\n").unwrap();
    let bad = env.tmp.path().join("bad.csv");
    std::fs::write(&bad, "name,token\nx,\n").unwrap();
    let good = csv_file(env.tmp.path(), 300);
    for password in [&env.password_file, &wrong] {
        let run = env.cli_with(&["import", s(&bad)], None, env.command().env("TOKENWARDEN_PASSWORD_FILE", password));
        assert_eq!(run.code, 5, "{}", run.stderr);
        assert!(run.stderr.contains("bad.csv") && run.stderr.contains("secret"), "{}", run.stderr);
    }
    let run = env.cli_with(&["import", s(&good)], None, env.command().env("TOKENWARDEN_PASSWORD_FILE", &wrong));
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert_ne!(run.code, 5, "the file is fine; the password is not: {}", run.stderr);
    assert!(run.stderr.to_lowercase().contains("password"), "{}", run.stderr);
    assert_eq!(common::snapshot(&env.vault), before);
    // And with the right one, the same file goes in whole.
    env.cli(&["import", s(&good)]).ok();
    assert_eq!(token_count(&env), 301);
}

#[test]
fn a_record_that_breaks_a_rule_is_reported_before_the_password_is_read() {
    // The records are checked against the vault's rules before the unlock: with the password to
    // come on stdin, none is read (stdin is empty here), and the record's error is what is said.
    let env = Env::init();
    let before = common::snapshot(&env.vault);
    let bad = env.tmp.path().join("bad-name.csv");
    let rows = "name,token\nfine,tw_test_00000001_Q9xLm2Vb7Zr4\nred\u{1b}[31m,tw_test_00000002_Q9xLm2Vb7Zr4\n";
    std::fs::write(&bad, rows).unwrap();
    let mut cmd = env.command();
    cmd.env_remove("TOKENWARDEN_PASSWORD_FILE");
    let run = env.cli_with(&["--password-file", "-", "import", s(&bad)], Some(""), &mut cmd);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("bad-name.csv: line 3: name: contains control characters"), "{}", run.stderr);
    assert!(!run.stderr.to_lowercase().contains("password"), "no password was asked for: {}", run.stderr);
    assert!(!run.stderr.contains("Q9xLm2Vb7Zr4"), "{}", run.stderr);
    assert_eq!(common::snapshot(&env.vault), before);
}

#[test]
fn metadata_exports_and_keepassxc_need_the_right_flags() {
    let env = Env::init();
    env.add("one", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &[]);
    let csv = env.tmp.path().join("meta.csv");
    env.cli(&["export", s(&csv), "--format", "csv"]).ok();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("name,provider,kind,hint"), "{text}");
    assert!(!text.contains("R8fQ2mX7"), "{text}");
    let xml = env.tmp.path().join("kp.xml");
    let refused = env.cli(&["export", s(&xml), "--format", "keepassxc-xml"]);
    assert_eq!(refused.code, 5);
    assert!(refused.stderr.contains("--include-secrets"), "{}", refused.stderr);
    let run = env.cli(&["export", s(&xml), "--format", "keepassxc-xml", "--include-secrets"]).ok();
    assert!(run.stderr.contains("warning"), "{}", run.stderr);
    let other = Env::init();
    assert_eq!(other.cli(&["--json", "import", s(&xml)]).ok().json()["created"], 1);
}

#[test]
fn exports_into_the_vault_folder_or_a_home_dot_folder_are_refused_and_write_nothing() {
    let env = Env::init();
    env.add("one", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &[]);
    let home = env.tmp.path().join("home");
    std::fs::create_dir_all(home.join(".config")).unwrap();
    std::fs::create_dir_all(home.join("Documents")).unwrap();
    let in_vault = env.vault.join("out.csv");
    let in_config = home.join(".config/x");
    let sneaky = home.join("Documents/../.config/y");
    for target in [&in_vault, &in_config, &sneaky] {
        let run = env.cli_with(&["export", s(target), "--format", "csv"], None, env.command().env("HOME", &home));
        assert_eq!(run.code, 5, "{}: {}", target.display(), run.stderr);
        assert!(run.stderr.contains("choose another folder"), "{}", run.stderr);
        assert!(!target.exists(), "{}", target.display());
    }
    let fine = home.join("Documents/out.csv");
    env.cli_with(&["export", s(&fine), "--format", "csv"], None, env.command().env("HOME", &home)).ok();
    assert!(fine.exists());
}

/// Whether process `pid` holds SQLite's WAL write lock on the vault: a POSIX write lock over byte
/// 120 of `vault.db-shm`, the first of the WAL-index locks, which SQLite holds for exactly as long
/// as a write transaction is open (and briefly while it recovers a WAL at open), as /proc/locks
/// lists it.
fn holds_write_lock(pid: u32, vault: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(shm) = std::fs::metadata(vault.join("vault.db-shm")) else { return false };
    let (pid, inode) = (pid.to_string(), shm.ino().to_string());
    let locks = std::fs::read_to_string("/proc/locks").expect("/proc/locks is readable");
    locks.lines().any(|line| {
        // "3: POSIX  ADVISORY  WRITE 4242 00:2a:123456 120 120"; a lock being waited for has "->".
        let f: Vec<&str> = line.split_whitespace().filter(|w| *w != "->").collect();
        f.len() >= 8
            && f[1] == "POSIX"
            && f[3] == "WRITE"
            && f[4] == pid
            && f[5].rsplit(':').next() == Some(inode.as_str())
            && f[6].parse::<u64>().is_ok_and(|from| from <= 120)
            && (f[7] == "EOF" || f[7].parse::<u64>().is_ok_and(|to| to >= 120))
    })
}

/// Sends a signal by name with kill(1) (the tests forbid unsafe code, so no libc).
fn signal(pid: u32, name: &str) {
    let status = std::process::Command::new("kill").args([&format!("-{name}"), &pid.to_string()]).status().unwrap();
    assert!(status.success(), "kill -{name} {pid}");
}

/// Since when a process has held the write lock, as seen by polling: `Some` from the first poll
/// that saw it held, reset by any poll that saw it free.
struct LockWatch {
    held_since: Option<Instant>,
}

impl LockWatch {
    fn poll(&mut self, pid: u32, vault: &Path) -> bool {
        let held = holds_write_lock(pid, vault);
        match (held, self.held_since) {
            (true, None) => self.held_since = Some(Instant::now()),
            (false, _) => self.held_since = None,
            _ => {}
        }
        held
    }
}

/// Kills `import` of 10,000 rows at moments spread over its run, many times: each time the vault
/// holds all of the rows or none, and passes its integrity checks. Each kill is first a SIGSTOP,
/// so the test sees whether the importer held the WAL write lock at that instant, and had for a
/// while (the brief lock of opening a vault never lasts that long). The lock is held through the
/// transaction and also past its commit (the commit's sync to disk, a small write after it), so a kill
/// then may find every row; at least one kill must land while it is held and leave no row, inside
/// the transaction before its commit, or the test proves nothing about atomicity.
#[test]
fn an_import_killed_at_any_moment_leaves_all_rows_or_none() {
    let env = Env::init();
    let file = csv_file(env.tmp.path(), 10_000);
    // One full run, to know how long an import takes here and when it holds the write lock.
    let scratch = Env::init();
    let started = Instant::now();
    let mut child = scratch
        .command()
        .args(["import", s(&file)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (mut first_held, mut last_held) = (None, None);
    while child.try_wait().unwrap().is_none() {
        if holds_write_lock(child.id(), &scratch.vault) {
            first_held.get_or_insert(started.elapsed());
            last_held = Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let full = started.elapsed();
    assert!(child.wait().unwrap().success());
    assert_eq!(token_count(&scratch), 10_000);
    let (first_held, last_held) = (
        first_held.expect("the importer was seen holding the write lock"),
        last_held.expect("the importer was seen holding the write lock"),
    );

    let mut seed = std::process::id() as u64 ^ started.elapsed().as_nanos() as u64;
    let mut outcomes = (0, 0);
    let mut inside = 0;
    for round in 0..12 {
        let target = Env::init();
        // xorshift: a different spread of kill moments on every run of the test.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let unit = (seed % 1000) as f64 / 1000.0;
        // Even rounds: anywhere in the run. Odd rounds: in the first half of the time the full run
        // held the write lock, where its transaction is still open (its commit's sync comes last).
        let at = if round % 2 == 0 {
            full.mul_f64(0.15 + unit * 0.9)
        } else {
            first_held + last_held.saturating_sub(first_held).mul_f64(0.05 + unit * 0.45)
        };
        let mut child = target
            .command()
            .args(["import", s(&file)])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .stdin(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let spawned = Instant::now();
        let mut watch = LockWatch { held_since: None };
        while spawned.elapsed() < at && child.try_wait().unwrap().is_none() {
            watch.poll(child.id(), &target.vault);
            std::thread::sleep(Duration::from_millis(1));
        }
        // Frozen, the importer is exactly where the kill finds it.
        if child.try_wait().unwrap().is_none() {
            signal(child.id(), "STOP");
        }
        let held = watch.poll(child.id(), &target.vault);
        let held_for = watch.held_since.map(|t| t.elapsed()).unwrap_or_default();
        let _ = child.kill();
        let _ = child.wait();
        let count = token_count(&target);
        assert!(count == 0 || count == 10_000, "round {round}: {count} rows after a kill at {at:?}");
        // Held for a while: the import's transaction, or what follows its commit under the same
        // lock (the commit's sync to disk, the reminder index's setting written after it). Either way the count
        // above is all or none; a kill that left nothing while the lock was held landed inside
        // the transaction, before its commit.
        if held && held_for >= Duration::from_millis(5) && count == 0 {
            inside += 1;
        }
        if count == 0 {
            outcomes.0 += 1
        } else {
            outcomes.1 += 1
        }
        target.cli(&["check"]).ok();
    }
    eprintln!(
        "killed imports: {} left nothing ({inside} of them inside the write transaction), {} had committed \
         (full run {full:?}, write lock held from {first_held:?} to {last_held:?})",
        outcomes.0, outcomes.1
    );
    assert!(
        inside >= 1,
        "no kill landed inside the import's write transaction before its commit: the test proved nothing"
    );
}

#[test]
fn hostile_day_counts_and_dates_in_an_import_exit_5_and_change_nothing() {
    let env = Env::init();
    env.add("kept", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &[]);
    let before = common::snapshot(&env.vault);
    let cases: [(&str, &str, &str); 3] = [
        (
            "rotation.json",
            r#"{"format":"tokenwarden","version":1,"tokens":[{"name":"x",
                "secret":"glpat-Vd83kLm2Qp9Zx7Tn4Wb1","rotation_max_age_days":4000000000}]}"#,
            "rotation_max_age_days",
        ),
        (
            "far.json",
            r#"{"format":"tokenwarden","version":1,"tokens":[{"name":"x",
                "secret":"glpat-Vd83kLm2Qp9Zx7Tn4Wb1","expires_at":"+200000-01-01T00:00:00Z"}]}"#,
            "expires_at",
        ),
        ("far.csv", "name,secret,expires\nx,glpat-Vd83kLm2Qp9Zx7Tn4Wb1,999999999999\n", "expires_at"),
    ];
    for (name, text, field) in cases {
        let path = env.tmp.path().join(name);
        std::fs::write(&path, text).unwrap();
        let run = env.cli(&["import", s(&path)]);
        assert_eq!(run.code, 5, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(name) && run.stderr.contains(field), "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
    }
    assert_eq!(common::snapshot(&env.vault), before, "nothing written");
    assert_eq!(token_count(&env), 1);
}

#[test]
fn durations_too_far_away_exit_5_and_add_nothing() {
    let env = Env::init();
    for expires in ["99999999999d", "36500y", "9999999w"] {
        let run = env.cli_stdin(
            &["add", "--name", "far", "--secret-file", "-", "--expires", expires],
            "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u\n",
        );
        assert_eq!(run.code, 5, "{expires}: {}", run.stderr);
        assert!(run.stderr.contains("100 years"), "{expires}: {}", run.stderr);
    }
    let run = env.cli_stdin(
        &["add", "--name", "rot", "--secret-file", "-", "--rotate-every", "99999999999d"],
        "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u\n",
    );
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert_eq!(token_count(&env), 0);
}
