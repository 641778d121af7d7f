//! `tokenwarden-cli monitor --once`: one pass through the real binary against the local fake
//! provider server: what is due is checked (only at providers consented to by a check by hand),
//! alerts are printed and exit 10, a provider that refuses to answer exits 7, and no secret is
//! ever printed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../../../../tests/fake-providers/fake.rs"]
mod fake;

use common::Env;
use fake::FakeProviders;
use serde_json::json;

const CHECKED: &str = "glpat-Canary0Cli0Monitor01";
const FRESH: &str = "glpat-Canary0Cli0Monitor02";
const KILLED: &str = "glpat-Canary0Cli0Monitor03";
const LATER: &str = "glpat-Canary0Cli0Monitor04";
const GITHUB: &str = "ghp_Canary0Cli0Monitor0AbCdEfGhIjKlMnOpQr";

fn cli(env: &Env, fake: &FakeProviders, args: &[&str]) -> common::Run {
    let mut cmd = env.command();
    for provider in ["github", "gitlab"] {
        cmd.env(format!("TOKENWARDEN_API_{}", provider.to_ascii_uppercase()), fake.url(provider));
    }
    env.cli_with(args, None, &mut cmd)
}

fn assert_no_secret(run: &common::Run) {
    for secret in [CHECKED, FRESH, KILLED, LATER, GITHUB] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "a secret was printed");
    }
}

#[test]
fn monitor_once_checks_what_is_due_prints_alerts_as_json_and_exits_10() {
    let fake = FakeProviders::start();
    let env = Env::init();
    for secret in [CHECKED, FRESH, KILLED, LATER] {
        fake.add_token(json!({ "provider": "gitlab", "token": secret, "scopes": ["read_api"] }));
    }
    fake.add_token(json!({ "provider": "github", "token": GITHUB, "scopes": ["repo"] }));
    env.add("checked", CHECKED, &["--provider", "gitlab"]);
    let fresh = env.add("fresh", FRESH, &["--provider", "gitlab"]);
    let killed = env.add("killed", KILLED, &["--provider", "gitlab"]);
    env.add("ci", GITHUB, &["--provider", "github"]);
    // A check by hand at GitLab is the consent; GitHub was never checked.
    cli(&env, &fake, &["verify", "checked"]).ok();
    fake.update(json!({ "token": KILLED, "revoked": true }));

    let run = cli(&env, &fake, &["--json", "monitor", "--once"]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert_no_secret(&run);
    let report = run.json();
    assert_eq!(report["enabled"], true);
    assert!(report["ran_at"].as_str().unwrap().ends_with('Z'), "{report}");
    assert!(report["next_check"].is_string(), "{report}");
    let mut checks: Vec<(String, String)> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["token_id"].as_str().unwrap().to_owned(), c["result"].as_str().unwrap().to_owned()))
        .collect();
    checks.sort();
    let mut expected = vec![(fresh.clone(), "valid".to_owned()), (killed.clone(), "invalid".to_owned())];
    expected.sort();
    assert_eq!(checks, expected, "the two never checked GitLab tokens, and no GitHub token");
    let alerts = report["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{report}");
    assert_eq!(
        (alerts[0]["token_id"].as_str(), alerts[0]["kind"].as_str(), alerts[0]["severity"].as_str()),
        (Some(killed.as_str()), Some("died"), Some("high"))
    );
    assert!(alerts[0]["evidence"].as_str().unwrap().contains("did not revoke"), "{report}");
    // stderr also warns that TOKENWARDEN_API_GITLAB is in effect; the error is its last line.
    let error: serde_json::Value = serde_json::from_str(run.stderr.trim().lines().last().unwrap()).unwrap();
    assert_eq!(error["code"], "alerts_raised");
    assert!(!fake.requests().as_array().unwrap().iter().any(|r| r["provider"] == "github"));

    // Run again at once: nothing is due, nothing is raised twice.
    let again = cli(&env, &fake, &["--json", "monitor", "--once"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.json()["checks"], json!([]));
    assert_eq!(again.json()["alerts"], json!([]));

    // A new token while GitLab answers 429: no alert, exit 7, and the table says why.
    env.add("later", LATER, &["--provider", "gitlab"]);
    fake.fail(json!({ "provider": "gitlab", "status": 429, "retry_after": 120 }));
    let limited = cli(&env, &fake, &["monitor", "--once"]);
    assert_eq!(limited.code, 7, "{}", limited.stderr);
    assert!(limited.stdout.contains("later") && limited.stdout.contains("rate_limited"), "{}", limited.stdout);
    assert_no_secret(&limited);
}

#[test]
fn monitor_needs_once() {
    let env = Env::init();
    let run = env.cli(&["monitor"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
