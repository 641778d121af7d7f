//! `detect`, `verify`, `rotate` and `revoke` through the real binary against the local fake
//! provider server. The heart of it: a rotation killed (SIGKILL) at every step, then resumed,
//! never loses a secret, never revokes the old token before the new one is stored and verified,
//! and ends with the vault and the provider agreeing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../../../../tests/fake-providers/fake.rs"]
mod fake;

use common::Env;
use fake::FakeProviders;
use serde_json::json;
use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const OLD_GITLAB: &str = "glpat-Old0ld0ld0ld0ld0ld1";
const NEW_GITLAB: &str = "glpat-NewNewNewNewNewNe2";
const OLD_VERCEL: &str = "vcp_0ldVercelTokenAbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab";

fn env_for(_fake: &FakeProviders) -> Env {
    Env::init()
}

/// Runs the CLI with every provider pointed at the fake server.
fn cli(env: &Env, fake: &FakeProviders, args: &[&str], stdin: Option<&str>) -> common::Run {
    let mut cmd = env.command();
    point_at_fake(&mut cmd, fake);
    env.cli_with(args, stdin, &mut cmd)
}

fn point_at_fake(cmd: &mut std::process::Command, fake: &FakeProviders) {
    for provider in ["github", "gitlab", "slack", "hugging-face", "cloudflare", "digitalocean", "vercel", "sendgrid"] {
        let var = format!("TOKENWARDEN_API_{}", provider.to_ascii_uppercase().replace('-', "_"));
        cmd.env(var, fake.url(provider));
    }
}

/// Tokens the fake provider considers live, by secret.
fn live_at_provider(fake: &FakeProviders, provider: &str) -> Vec<String> {
    fake.tokens()
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["provider"] == provider && t["active"] == true && t["revoked"] != true)
        .map(|t| t["token"].as_str().unwrap().to_owned())
        .collect()
}

fn is_live(fake: &FakeProviders, provider: &str, secret: &str) -> bool {
    live_at_provider(fake, provider).iter().any(|t| t == secret)
}

/// Every secret the vault holds for live (not revoked, not archived) tokens, by name.
fn vault_secrets(env: &Env, fake: &FakeProviders) -> Vec<(String, String, String)> {
    let list = cli(env, fake, &["--json", "list", "--all"], None).ok().json();
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let id = t["id"].as_str().unwrap();
            let secret = cli(env, fake, &["reveal", id], None).ok().stdout.trim().to_owned();
            (id.to_owned(), t["status"].as_str().unwrap().to_owned(), secret)
        })
        .collect()
}

/// Drives an interactive `rotate`: answers each question as a person would, and kills the
/// process (SIGKILL) when question number `kill_at` (1-based) appears. Returns the questions seen.
fn drive(
    env: &Env,
    fake: &FakeProviders,
    args: &[&str],
    new_secret: &str,
    kill_at: Option<usize>,
) -> (Vec<String>, Option<i32>) {
    let mut cmd = env.command();
    point_at_fake(&mut cmd, fake);
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child: Child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match stderr.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut seen = String::new();
    let mut questions: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(chunk) => seen.push_str(&String::from_utf8_lossy(&chunk)),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        assert!(Instant::now() < deadline, "rotate hung; stderr so far:\n{seen}");
        // A question is "\n? … > " with nothing after it yet.
        let Some(start) = seen.rfind("\n? ") else { continue };
        let Some(end) = seen[start..].find(" > ") else { continue };
        if seen.len() != start + end + 3 {
            continue;
        }
        let question = seen[start + 3..start + end].to_owned();
        seen.push('\n'); // so the same question is not answered twice
        questions.push(question.clone());
        if kill_at == Some(questions.len()) {
            child.kill().unwrap();
            child.wait().unwrap();
            return (questions, None);
        }
        let answer = if question.contains("Paste the new token") {
            new_secret.to_owned()
        } else if question.contains("How is the old token revoked") {
            "a".to_owned()
        } else {
            "y".to_owned()
        };
        writeln!(stdin, "{answer}").unwrap();
    }
    let status = child.wait().unwrap();
    (questions, status.code())
}

/// A GitLab token with two usages, known to the fake provider.
fn gitlab_setup(fake: &FakeProviders, env: &Env) -> String {
    fake.add_token(json!({ "provider": "gitlab", "token": OLD_GITLAB, "name": "deploy", "scopes": ["api"], "expires_at": "2027-01-31", "owner": "alice" }));
    fake.add_token(json!({ "provider": "gitlab", "token": NEW_GITLAB, "name": "deploy-2", "scopes": ["read_api"], "expires_at": "2027-06-30", "owner": "alice" }));
    let id = env.add("deploy", OLD_GITLAB, &["--provider", "gitlab", "--expires", "2027-01-31"]);
    cli(env, fake, &["usage", "add", &id, "--kind", "ci_secret", "--location", "acme/app DEPLOY_TOKEN"], None).ok();
    cli(env, fake, &["usage", "add", &id, "--kind", "env_file", "--location", "/srv/app/.env"], None).ok();
    id
}

/// What must hold after any kill: the vault is sound, and whenever the provider no longer
/// accepts the old token, the vault already holds a verified new one that the provider accepts.
fn check_invariants(env: &Env, fake: &FakeProviders, provider: &str, old: &str, context: &str) {
    cli(env, fake, &["check"], None).ok();
    let secrets = vault_secrets(env, fake);
    assert!(secrets.iter().any(|(_, _, s)| s == old), "{context}: the old secret is still in the vault");
    if !is_live(fake, provider, old) {
        let rotation = cli(env, fake, &["--json", "show", &secrets[0].0], None).ok().json();
        let live_new: Vec<&(String, String, String)> = secrets
            .iter()
            .filter(|(_, status, s)| s != old && status == "active" && is_live(fake, provider, s))
            .collect();
        assert_eq!(
            live_new.len(),
            1,
            "{context}: the old token was revoked but the vault holds no active new token the provider accepts ({rotation})"
        );
    }
}

#[test]
fn detect_reads_stdin_and_names_provider_and_kind() {
    let env = Env::new();
    let run = env.cli_stdin(&["--json", "detect"], "glpat-Vd83kLm2Qp9Zx7Tn4Wb1\n").ok();
    let best = &run.json()["best"];
    assert_eq!(best["provider"], "gitlab", "{}", run.stdout);
    assert!(!run.stdout.contains("Vd83kLm2"), "detect never echoes the secret");
    let none = env.cli_stdin(&["detect"], "just some words\n");
    assert_eq!(none.code, 4, "{}", none.stderr);
}

#[test]
fn verify_updates_owner_scopes_and_expiry_and_reports_the_difference() {
    let fake = FakeProviders::start();
    let env = env_for(&fake);
    let id = gitlab_setup(&fake, &env);
    // The vault thinks it expires on 2027-01-01; GitLab says 2027-01-31.
    cli(&env, &fake, &["edit", &id, "--expires", "2027-01-01"], None).ok();
    let run = cli(&env, &fake, &["--json", "verify", &id], None).ok().json();
    let report = &run["report"];
    assert_eq!(report["valid"], true, "{run}");
    assert!(report["expiry_differs"]["ours"].as_str().unwrap().starts_with("2027-01-01"), "{run}");
    assert!(report["expiry_differs"]["provider"].as_str().unwrap().starts_with("2027-01-31"), "{run}");
    let shown = cli(&env, &fake, &["--json", "show", &id], None).ok().json();
    let token = if shown["token"].is_object() { &shown["token"] } else { &shown };
    assert_eq!(token["account"], "alice", "{shown}");
    assert!(token["expires_at"].as_str().unwrap().starts_with("2027-01-31"), "{shown}");
    // The token never went into a URL.
    let requests = fake.requests();
    assert!(requests.as_array().unwrap().iter().all(|r| r["token_in_url"] == false), "{requests}");

    fake.fail(json!({ "provider": "gitlab", "status": 429, "retry_after": 30 }));
    let limited = cli(&env, &fake, &["verify", &id], None);
    assert_eq!(limited.code, 7, "{}", limited.stderr);
    assert!(limited.stderr.contains("30"), "says when to retry: {}", limited.stderr);
    assert!(!limited.stderr.contains(OLD_GITLAB));
}

#[test]
fn verify_of_a_token_the_provider_refuses_exits_0_with_valid_false_as_help_and_readme_say() {
    let fake = FakeProviders::start();
    let env = env_for(&fake);
    // The fake GitHub does not know this token: it answers 401 Bad credentials.
    let id = env.add("dead", "ghp_D3adD3adD3adD3adD3adD3adD3adD3adD3ad0001", &["--provider", "github"]);
    let run = cli(&env, &fake, &["--json", "verify", &id], None);
    assert_eq!(run.code, 0, "a refused token is an answer, not an error: {}", run.stderr);
    assert_eq!(run.json()["report"]["valid"], false, "{}", run.stdout);
    let human = cli(&env, &fake, &["verify", &id], None);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human.stdout.contains("INVALID"), "{}", human.stdout);
    let all = cli(&env, &fake, &["--json", "verify", "--all"], None);
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(all.json()[0]["report"]["valid"], false);

    // A provider that cannot answer is exit 7.
    fake.fail(json!({ "provider": "github", "status": 503, "times": 5 }));
    assert_eq!(cli(&env, &fake, &["verify", &id], None).code, 7);

    // The code, --help and the README say the same.
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let help = words(&env.cli(&["verify", "--help"]).ok().stdout);
    assert!(help.contains("Exit status: 0 when the provider answered, whether or not it accepts the token"), "{help}");
    assert!(help.contains("7 when the provider could not be asked"), "{help}");
    let top = words(&env.cli(&["--help"]).ok().stdout);
    assert!(top.contains("`verify` exits 0 when the provider answers, even that the token is invalid"), "{top}");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../README.md")).unwrap();
    let readme = words(&readme);
    assert!(
        readme.contains("`verify` exits `0` whenever the provider answers, also when it says the token is invalid"),
        "README"
    );
    assert!(readme.contains("it exits `7` only when the provider could not be asked"), "README");
}

#[test]
fn an_api_address_from_the_environment_is_warned_about_on_every_run_naming_the_host() {
    let fake = FakeProviders::start();
    let env = env_for(&fake);
    let id = gitlab_setup(&fake, &env);
    let host = fake.url("gitlab").trim_start_matches("http://").split('/').next().unwrap().to_owned();
    for _ in 0..2 {
        let run = cli(&env, &fake, &["--json", "verify", &id], None).ok();
        let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("TOKENWARDEN_API_GITLAB")).collect();
        assert_eq!(warnings.len(), 1, "one warning per run: {}", run.stderr);
        assert!(warnings[0].contains("warning") && warnings[0].contains(&host), "names {host}: {}", run.stderr);
    }
    // A base URL the user set in the vault wins over the variable: nothing to warn about.
    cli(&env, &fake, &["provider", "set-url", "gitlab", &fake.url("gitlab")], None).ok();
    let run = cli(&env, &fake, &["--json", "verify", &id], None).ok();
    assert!(!run.stderr.contains("TOKENWARDEN_API_GITLAB"), "{}", run.stderr);
}

#[test]
fn a_guided_rotation_killed_at_every_step_resumes_and_loses_nothing() {
    let fake = FakeProviders::start();
    // One full run first, to count the questions.
    let (questions, code) = {
        let env = env_for(&fake);
        gitlab_setup(&fake, &env);
        drive(&env, &fake, &["rotate", "deploy"], NEW_GITLAB, None)
    };
    assert_eq!(code, Some(0), "questions: {questions:?}");
    assert!(questions.len() >= 5, "paste, two consumers, promote, revoke: {questions:?}");
    for kill_at in 1..=questions.len() {
        fake.reset();
        let env = env_for(&fake);
        let old_id = gitlab_setup(&fake, &env);
        let (_, _) = drive(&env, &fake, &["rotate", "deploy"], NEW_GITLAB, Some(kill_at));
        let context = format!("killed at question {kill_at} ({:?})", questions[kill_at - 1]);
        check_invariants(&env, &fake, "gitlab", OLD_GITLAB, &context);
        // Resume to the end.
        let (_, code) = drive(&env, &fake, &["rotate", &old_id, "--resume"], NEW_GITLAB, None);
        assert_eq!(code, Some(0), "{context}: resume failed");
        let secrets = vault_secrets(&env, &fake);
        let active: Vec<_> = secrets.iter().filter(|(_, status, _)| status == "active").collect();
        assert_eq!(active.len(), 1, "{context}: {secrets:?}");
        assert_eq!(active[0].2, NEW_GITLAB, "{context}");
        assert!(!is_live(&fake, "gitlab", OLD_GITLAB), "{context}: the old token is revoked at the end");
        assert!(is_live(&fake, "gitlab", NEW_GITLAB), "{context}");
        let old = cli(&env, &fake, &["--json", "show", &old_id], None).ok().json();
        let old = if old["token"].is_object() { old["token"].clone() } else { old };
        assert_eq!(old["status"], "revoked", "{context}: {old}");
    }
}

#[test]
fn an_api_rotation_killed_at_every_step_resumes_and_loses_nothing() {
    let fake = FakeProviders::start();
    let setup = |env: &Env| {
        fake.add_token(json!({ "provider": "vercel", "token": OLD_VERCEL, "name": "deploy", "owner": "alice", "expires_at": "2027-01-31T00:00:00Z" }));
        let id = env.add("deploy", OLD_VERCEL, &["--provider", "vercel", "--expires", "2027-01-31"]);
        cli(env, &fake, &["usage", "add", &id, "--kind", "server_env", "--location", "prod VERCEL_TOKEN"], None).ok();
        id
    };
    let (questions, code) = {
        let env = env_for(&fake);
        setup(&env);
        drive(&env, &fake, &["rotate", "deploy", "--method", "api"], "", None)
    };
    assert_eq!(code, Some(0), "questions: {questions:?}");
    for kill_at in 1..=questions.len() {
        fake.reset();
        let env = env_for(&fake);
        let old_id = setup(&env);
        drive(&env, &fake, &["rotate", "deploy", "--method", "api"], "", Some(kill_at));
        let context = format!("killed at question {kill_at} ({:?})", questions[kill_at - 1]);
        check_invariants(&env, &fake, "vercel", OLD_VERCEL, &context);
        // Every token the provider issued is in the vault (no secret lost), unless the kill came
        // before the provider was asked.
        let held: Vec<String> = vault_secrets(&env, &fake).into_iter().map(|(_, _, s)| s).collect();
        let (_, code) = drive(&env, &fake, &["rotate", &old_id, "--resume"], "", None);
        assert_eq!(code, Some(0), "{context}: resume failed");
        let after: Vec<String> = vault_secrets(&env, &fake).into_iter().map(|(_, _, s)| s).collect();
        for live in live_at_provider(&fake, "vercel") {
            assert!(after.contains(&live), "{context}: the provider's live token {live:.8}… is not in the vault");
        }
        assert!(!is_live(&fake, "vercel", OLD_VERCEL), "{context}: old revoked at the end");
        assert!(held.len() <= after.len());
    }
}

#[test]
fn abort_discards_the_new_token_and_keeps_the_old() {
    let fake = FakeProviders::start();
    let env = env_for(&fake);
    let id = gitlab_setup(&fake, &env);
    drive(&env, &fake, &["rotate", "deploy"], NEW_GITLAB, Some(2));
    let busy = cli(&env, &fake, &["rotate", "deploy"], None);
    assert_eq!(busy.code, 5, "{}", busy.stderr);
    assert!(busy.stderr.contains("--resume"), "{}", busy.stderr);
    cli(&env, &fake, &["rotate", &id, "--abort"], None).ok();
    let secrets = vault_secrets(&env, &fake);
    assert_eq!(secrets.len(), 1);
    assert_eq!((secrets[0].1.as_str(), secrets[0].2.as_str()), ("active", OLD_GITLAB));
    assert!(is_live(&fake, "gitlab", OLD_GITLAB));
}

#[test]
fn panic_revoke_uses_apis_and_lists_the_rest() {
    let fake = FakeProviders::start();
    let env = env_for(&fake);
    fake.add_token(json!({ "provider": "gitlab", "token": OLD_GITLAB, "name": "a" }));
    fake.add_token(json!({ "provider": "slack", "token": "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx" }));
    env.add("gl", OLD_GITLAB, &["--provider", "gitlab"]);
    env.add("sl", "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", &["--provider", "slack"]);
    env.add(
        "stripe",
        "sk_live_51HqLyjWDarjtT1zdp7dcXxYyZz0011223344556677889900AaBbCcDdEeFfGgHh",
        &["--provider", "stripe"],
    );
    let run = cli(&env, &fake, &["--json", "revoke", "gl", "sl", "stripe", "--yes"], None).ok().json();
    let outcomes = run.as_array().unwrap();
    let by_name = |n: &str| outcomes.iter().find(|o| o["name"] == n).unwrap()["outcome"].clone();
    assert_eq!(by_name("gl"), "revoked");
    assert_eq!(by_name("sl"), "revoked");
    assert_eq!(by_name("stripe"), "needs_manual");
    assert!(!is_live(&fake, "gitlab", OLD_GITLAB));
    assert!(live_at_provider(&fake, "slack").is_empty());
    let confirmed = cli(&env, &fake, &["--json", "revoke", "stripe", "--how", "confirmed", "--yes"], None).ok().json();
    assert_eq!(confirmed["outcome"], "revoked");
    assert_eq!(confirmed["method"], "confirmed");
}

#[test]
fn a_kill_while_the_provider_is_issuing_the_new_token_is_reported_on_resume() {
    let fake = FakeProviders::start();
    let env = env_for(&fake);
    let id = gitlab_setup(&fake, &env);
    // GitLab answers the rotate call slowly; the CLI is killed while it waits.
    fake.fail(json!({ "provider": "gitlab", "path_contains": "rotate", "delay_ms": 3000 }));
    let mut cmd = env.command();
    point_at_fake(&mut cmd, &fake);
    cmd.args(["rotate", "deploy", "--method", "api"]).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    writeln!(child.stdin.take().unwrap(), "y").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !fake.requests().as_array().unwrap().iter().any(|r| r["path"].as_str().unwrap_or("").contains("rotate")) {
        assert!(Instant::now() < deadline, "the rotate request never arrived");
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The marker was saved before the call, so the next run says what may have happened.
    let resumed = cli(&env, &fake, &["rotate", &id, "--resume"], Some(""));
    assert!(resumed.stderr.contains("never saved"), "{}", resumed.stderr);
    assert!(resumed.stderr.contains("abort"), "{}", resumed.stderr);
    // Aborting leaves the old token in the vault, untouched.
    cli(&env, &fake, &["rotate", &id, "--abort"], None).ok();
    let secrets = vault_secrets(&env, &fake);
    assert_eq!(secrets.len(), 1);
    assert_eq!(secrets[0].2, OLD_GITLAB);
}
