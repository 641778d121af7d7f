//! `tokenwarden-cli audit`: findings as a table or JSON, `--fail-on` exit 8, dismissals that last
//! until the evidence changes, and scope reviews.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;

fn findings(env: &Env) -> Vec<(String, String, String)> {
    let json = env.cli(&["--json", "audit"]).ok().json();
    json.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["token_name"].as_str().unwrap().to_owned(),
                f["kind"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn findings_name_the_token_the_evidence_and_the_fix_and_fail_on_exits_8() {
    let env = Env::init();
    env.add("soon", "glpat-Ab3dEf5hIj7lMn9pQr1t", &["--provider", "gitlab", "--expires", "20d", "--scopes", "api"]);
    let all = findings(&env);
    for expected in
        [("soon", "expires_soon", "medium"), ("soon", "over_privileged", "medium"), ("soon", "orphaned", "low")]
    {
        let expected = (expected.0.to_owned(), expected.1.to_owned(), expected.2.to_owned());
        assert!(all.contains(&expected), "{expected:?} missing from {all:?}");
    }
    let json = env.cli(&["--json", "audit"]).ok().json();
    let soon = json.as_array().unwrap().iter().find(|f| f["kind"] == "over_privileged").unwrap();
    assert_eq!(soon["evidence"], "holds powerful scopes: api");
    assert_eq!(soon["fix"], "rotate");
    assert_eq!(soon["provider"], "gitlab");

    assert_eq!(env.cli(&["audit", "--fail-on", "high"]).code, 0);
    let run = env.cli(&["audit", "--fail-on", "medium"]);
    assert_eq!(run.code, 8, "{}", run.stderr);
    assert!(run.stdout.contains("over_privileged") && run.stdout.contains("holds powerful scopes"), "{}", run.stdout);
    let bad = env.cli(&["audit", "--fail-on", "urgent"]);
    assert_eq!(bad.code, 5, "{}", bad.stderr);
}

#[test]
fn a_dismissed_finding_stays_hidden_until_its_evidence_changes_and_the_reason_is_logged() {
    let env = Env::init();
    let id = env.add("soon", "glpat-Ab3dEf5hIj7lMn9pQr1t", &["--provider", "gitlab", "--expires", "20d"]);
    assert!(findings(&env).iter().any(|f| f.1 == "expires_soon"));
    env.cli(&["audit", "dismiss", "soon", "expires_soon", "--reason", "renewed by the platform team"]).ok();
    assert!(!findings(&env).iter().any(|f| f.1 == "expires_soon"), "still shown after dismissal");
    let log = env.cli(&["--json", "log"]).ok().stdout;
    assert!(log.contains("finding_dismissed") && log.contains("renewed by the platform team"), "{log}");
    // A new expiry is new evidence: the finding is back.
    env.cli(&["edit", &id, "--expires", "10d"]).ok();
    assert!(findings(&env).iter().any(|f| f.1 == "expires_soon"), "did not come back");
    // Dismissing what is not open is an error.
    let run = env.cli(&["audit", "dismiss", "soon", "no_expiry", "--reason", "x"]);
    assert_eq!(run.code, 5, "{}", run.stderr);
}

#[test]
fn a_duplicate_secret_is_found_under_both_names() {
    let env = Env::init();
    env.add("first", "glpat-Ab3dEf5hIj7lMn9pQr1t", &["--provider", "gitlab", "--expires", "200d"]);
    env.add("second", "glpat-Ab3dEf5hIj7lMn9pQr1t", &["--provider", "gitlab", "--expires", "200d"]);
    let dup: Vec<_> = findings(&env).into_iter().filter(|f| f.1 == "duplicate_secret").map(|f| f.0).collect();
    assert_eq!(dup, vec!["first".to_owned(), "second".to_owned()]);
}
