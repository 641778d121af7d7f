//! `tokenwarden-cli remind`: lists what expires within a window, only reads, exits 6 with
//! `--fail-if-due`, and — with the index key in a real keyring — works with no password at all.
//! The keyring part needs tests/harness/with-services.sh (as `make test` runs it); bare, it is skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{services, snapshot, Env, Service};

const SECRET: &str = "ghp_rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr0006";

#[test]
fn remind_lists_a_token_expiring_in_5_days_and_fail_if_due_exits_6() {
    let env = Env::init();
    let id = env.add("deploy-bot", SECRET, &["--provider", "github", "--expires", "5d"]);
    env.add("far-away", "ghp_ffffffffffffffffffffffffffffffffffff0007", &["--expires", "400d"]);

    let json = env.cli(&["remind", "--json"]).ok().json();
    let due = json["due"].as_array().unwrap();
    assert_eq!(due.len(), 1, "{json}");
    assert_eq!(due[0]["token_id"], id.as_str());
    assert_eq!(due[0]["name"], "deploy-bot");
    assert_eq!(due[0]["threshold"], "expiry");
    assert_eq!(due[0]["urgency"], "critical");
    assert_eq!(due[0]["title"], "GitHub · deploy-bot expires in 5 days");
    assert_eq!(json["summary"], serde_json::Value::Null);
    assert!(!env.cli(&["remind", "--json"]).stdout.contains(SECRET));

    let run = env.cli(&["remind", "--fail-if-due"]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stdout.contains("GitHub · deploy-bot expires in 5 days"), "{}", run.stdout);
    assert!(run.stderr.contains("1 reminder is due"), "{}", run.stderr);
    let run = env.cli(&["--json", "remind", "--fail-if-due"]);
    assert_eq!(run.code, 6);
    let err: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(err["code"], "reminders_due");

    let run = env.cli(&["remind", "--within", "1d", "--fail-if-due"]).ok();
    assert_eq!(run.stdout.trim(), "Nothing due within 1 day.");
    let run = env.cli(&["remind", "--within", "500d", "--json"]).ok().json();
    assert_eq!(run["due"].as_array().unwrap().len(), 2);
    assert_eq!(run["summary"], "1 token expires this week, 1 expires soon");
}

#[test]
fn remind_only_reads_so_asking_twice_gives_the_same_answer() {
    let env = Env::init();
    env.add("deploy-bot", SECRET, &["--expires", "5d"]);
    let before = snapshot(&env.vault);
    let first = env.cli(&["remind", "--json"]).ok().stdout;
    let second = env.cli(&["remind", "--json"]).ok().stdout;
    assert_eq!(first, second);
    assert!(!env.vault.join("reminders.state").exists(), "asking marks nothing");
    let after = snapshot(&env.vault);
    let names = |s: &[(std::path::PathBuf, Vec<u8>)]| {
        s.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect::<Vec<_>>()
    };
    assert_eq!(names(&before), names(&after));
    let index = |s: &[(std::path::PathBuf, Vec<u8>)]| s.iter().find(|(p, _)| p.ends_with("reminders.idx")).cloned();
    assert_eq!(index(&before), index(&after));
}

#[test]
fn remind_with_nothing_due_says_so_and_exits_0() {
    let env = Env::init();
    env.add("no-expiry", SECRET, &[]);
    let run = env.cli(&["remind", "--fail-if-due"]).ok();
    assert_eq!(run.stdout.trim(), "Nothing due within 30 days.");
    let run = env.cli(&["remind", "--within", "2w"]).ok();
    assert_eq!(run.stdout.trim(), "Nothing due within 14 days.");
    assert_eq!(env.cli(&["remind", "--within", "soon"]).code, 5);
}

#[test]
fn without_the_index_key_remind_needs_the_password() {
    let env = Env::init();
    env.add("deploy-bot", SECRET, &["--expires", "5d"]);
    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    assert_eq!(env.cli_with(&["remind"], None, &mut no_password).code, 3);
}

#[test]
fn with_the_index_key_in_the_keyring_remind_works_locked_and_names_tokens() {
    if !services("with_the_index_key_in_the_keyring_remind_works_locked", &[Service::SecretService]) {
        return;
    }
    let env = Env::init();
    let id = env.add("deploy-bot", SECRET, &["--provider", "github", "--expires", "5d"]);
    env.cli(&["keyring", "enable"]).ok();
    let index = std::fs::read(env.vault.join("reminders.idx")).unwrap();
    assert!(!String::from_utf8_lossy(&index).contains("deploy-bot"), "names are sealed");

    // Take the vault key out of the keyring, leaving only the index key: nothing can unlock the
    // vault without the password now, so an answer must come from the index alone.
    let vault_id = env.cli(&["info", "--json"]).ok().json()["vault_id"].as_str().unwrap().to_owned();
    let cleared = std::process::Command::new("secret-tool")
        .args(["clear", "service", "tokenwarden", "username", &format!("vault:{vault_id}")])
        .status()
        .unwrap();
    assert!(cleared.success());
    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    assert_eq!(env.cli_with(&["list"], None, &mut no_password).code, 3, "the vault itself stays locked");

    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    let run = env.cli_with(&["remind", "--json"], None, &mut no_password);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["due"][0]["token_id"], id.as_str());
    assert_eq!(json["due"][0]["title"], "GitHub · deploy-bot expires in 5 days");
    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    assert_eq!(env.cli_with(&["remind", "--fail-if-due"], None, &mut no_password).code, 6);

    // Dismissed while locked, through the keyring's key: authenticated, so it holds.
    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    let run = env.cli_with(&["remind", "--dismiss", "deploy-bot"], None, &mut no_password);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut no_password = env.command();
    no_password.env_remove("TOKENWARDEN_PASSWORD_FILE");
    let run = env.cli_with(&["remind", "--fail-if-due"], None, &mut no_password);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("note"), "{}", run.stderr);

    // --no-keyring leaves the index key alone too, so it needs the password.
    let mut opted_out = env.command();
    opted_out.env_remove("TOKENWARDEN_PASSWORD_FILE");
    assert_eq!(env.cli_with(&["--no-keyring", "remind"], None, &mut opted_out).code, 3);
}

#[test]
fn snooze_and_dismiss_silence_a_token_and_persist() {
    let env = Env::init();
    env.add("deploy-bot", "ghp_R8fQ2mX7vL1pZ9kT4wY6nB3cD5hJ0sA2eG7u", &["--expires", "5d", "--provider", "github"]);
    let due = |env: &Env| env.cli(&["--json", "remind"]).ok().json()["due"].as_array().unwrap().len();
    assert_eq!(due(&env), 1);
    let run = env.cli(&["remind", "--snooze", "deploy-bot", "--for", "1w"]).ok();
    assert!(run.stdout.contains("Snoozed"), "{}", run.stdout);
    assert_eq!(due(&env), 0, "snoozed for a week");
    assert_eq!(env.cli(&["remind", "--fail-if-due"]).code, 0);

    let other = Env::init();
    other.add("ci-runner", "glpat-Vd83kLm2Qp9Zx7Tn4Wb1", &["--expires", "2d", "--provider", "gitlab"]);
    other.cli(&["remind", "--dismiss", "ci-runner"]).ok();
    assert_eq!(due(&other), 0, "dismissed");
    assert_eq!(other.cli(&["remind", "--dismiss", "nobody"]).code, 4);
}

fn state_file(env: &Env) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(env.vault.join("reminders.state")).unwrap()).unwrap()
}

fn put_state(env: &Env, state: &serde_json::Value) {
    std::fs::write(env.vault.join("reminders.state"), serde_json::to_vec(state).unwrap()).unwrap();
}

/// Dismissals of every threshold of `ids`, as someone without the key would write them.
fn dismissals(ids: &[&str]) -> serde_json::Value {
    let all = ids
        .iter()
        .flat_map(|id| ["30d", "7d", "1d", "expiry"].map(|t| serde_json::json!({ "token_id": id, "threshold": t })));
    serde_json::Value::Array(all.collect())
}

#[test]
fn a_dismissal_written_into_the_state_by_hand_does_not_silence_fail_if_due() {
    let env = Env::init();
    let id = env.add("deploy-bot", SECRET, &["--expires", "5d"]);
    let other = env.add("other", "ghp_oooooooooooooooooooooooooooooooooooo0008", &["--expires", "6d"]);

    // A file without a MAC (as an older version wrote them, or a hand): its dismissals do not count.
    let plain = serde_json::json!({ "version": 1, "sent": [], "snoozed": [], "dismissed": dismissals(&[&id, &other]) });
    put_state(&env, &plain);
    let run = env.cli(&["remind", "--fail-if-due"]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stdout.contains("deploy-bot") && run.stdout.contains("other"), "{}", run.stdout);
    assert!(run.stderr.contains("reminders.state is not authenticated"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("reminders.state").count(), 1, "said once: {}", run.stderr);
    assert_eq!(env.cli(&["--json", "remind", "--fail-if-due"]).code, 6);

    // Added to an authenticated file, whose MAC then no longer matches.
    env.cli(&["remind", "--dismiss", "other"]).ok();
    let mut state = state_file(&env);
    assert!(state["mac"].is_string(), "{state}");
    state["dismissed"] = dismissals(&[&id, &other]);
    put_state(&env, &state);
    let run = env.cli(&["remind", "--fail-if-due"]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stdout.contains("deploy-bot"), "{}", run.stdout);
    assert!(run.stderr.contains("reminders.state cannot be trusted"), "{}", run.stderr);

    // Dismissed through the CLI, with the key: rewritten authenticated, it holds, nothing reported.
    env.cli(&["remind", "--dismiss", "deploy-bot"]).ok();
    let run = env.cli(&["remind", "--dismiss", "other"]).ok();
    assert!(!run.stderr.contains("reminders.state"), "{}", run.stderr);
    let run = env.cli(&["remind", "--fail-if-due"]);
    assert_eq!(run.code, 0, "{} {}", run.stdout, run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn a_hand_edited_index_is_reported_and_remind_uses_the_vaults_dates() {
    let env = Env::init();
    env.add("deploy-bot", SECRET, &["--expires", "5d"]);
    env.add("other", "ghp_oooooooooooooooooooooooooooooooooooo0008", &["--expires", "6d"]);
    assert!(env.cli(&["remind"]).ok().stderr.is_empty());
    let path = env.vault.join("reminders.idx");
    let original: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();

    let mut moved = original.clone();
    moved["entries"][0]["expires_at"] = serde_json::json!("2099-01-01T00:00:00Z");
    let mut removed = original.clone();
    removed["entries"].as_array_mut().unwrap().remove(0);
    for edited in [moved, removed] {
        std::fs::write(&path, serde_json::to_vec(&edited).unwrap()).unwrap();
        let run = env.cli(&["remind", "--fail-if-due"]);
        assert_eq!(run.code, 6, "{}", run.stderr);
        assert!(run.stderr.contains("reminders.idx cannot be trusted"), "{}", run.stderr);
        let json = env.cli(&["--json", "remind"]).json();
        assert_eq!(json["due"].as_array().unwrap().len(), 2, "{json}");
    }
}

#[test]
fn an_older_copy_of_the_state_put_back_is_reported_and_its_snooze_ignored() {
    let env = Env::init();
    env.add("deploy-bot", SECRET, &["--expires", "5d"]);
    env.add("other", "ghp_oooooooooooooooooooooooooooooooooooo0008", &["--expires", "6d"]);
    env.cli(&["remind", "--snooze", "deploy-bot", "--for", "1w"]).ok();
    let old_copy = std::fs::read(env.vault.join("reminders.state")).unwrap();
    env.cli(&["remind", "--snooze", "other", "--for", "1w"]).ok();
    assert_eq!(env.cli(&["remind", "--fail-if-due"]).code, 0, "both snoozed");

    std::fs::write(env.vault.join("reminders.state"), &old_copy).unwrap();
    let run = env.cli(&["remind", "--fail-if-due"]);
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stderr.contains("an older copy was put back"), "{}", run.stderr);
    assert!(run.stdout.contains("deploy-bot"), "its snooze is ignored: {}", run.stdout);
}
