//! `tokenwarden-cli scan`: tokens on disk tied to the vault. Known copies become usages once,
//! unknown ones are imported all-or-nothing, a revoked token still on disk is a finding, and no
//! secret reaches the output, the log or TMPDIR.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;

const KNOWN: &str = "glpat-Ab3dEf5hIj7lMn9pQr1t";
const UNKNOWN: &str = "hf_QmTsLkPzWxVbNrYcJdHgFaKeUoRiQwErTy";
const REVOKED: &str = "sk_live_51HqLyjWDarjtT1zdp7dcXyz9Uv8Rs7Qp";

/// A project folder with the three tokens and a placeholder.
fn tree(env: &Env) -> std::path::PathBuf {
    let root = env.tmp.path().join("project");
    std::fs::create_dir_all(root.join("deploy")).unwrap();
    std::fs::write(root.join(".env"), format!("GITLAB_TOKEN={KNOWN}\nHF_TOKEN={UNKNOWN}\n")).unwrap();
    std::fs::write(root.join("deploy/old.sh"), format!("curl -u x:{REVOKED} https://api.stripe.example\n")).unwrap();
    std::fs::write(root.join("README.md"), "set GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n").unwrap();
    root
}

fn groups(json: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["group"].as_str().unwrap().to_owned(), f["provider"].as_str().unwrap_or("?").to_owned()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_scan_sorts_findings_into_known_unknown_and_dead_and_exits_9() {
    let env = Env::init();
    let known = env.add("gitlab deploy", KNOWN, &["--provider", "gitlab"]);
    let revoked = env.add("old stripe", REVOKED, &["--provider", "stripe"]);
    env.cli(&["rm", &revoked]).ok();
    let root = tree(&env);

    let run = env.cli(&["--json", "scan", root.to_str().unwrap()]);
    assert_eq!(run.code, 9, "{}", run.stderr);
    let json = run.json();
    assert_eq!(
        groups(&json),
        vec![
            ("dead".into(), "stripe".into()),
            ("known".into(), "gitlab".into()),
            ("unknown".into(), "hugging-face".into())
        ],
        "{json}"
    );
    let known_finding = json["findings"].as_array().unwrap().iter().find(|f| f["group"] == "known").unwrap();
    assert_eq!(known_finding["token_id"], known.as_str());
    assert_eq!(known_finding["line"], 1);
    assert!(json["stats"]["placeholders"].as_u64().unwrap() >= 1, "{json}");
    for secret in [KNOWN, UNKNOWN, REVOKED] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "a secret was printed");
    }
    // The table says the same in words.
    let table = env.cli(&["scan", root.to_str().unwrap()]);
    assert_eq!(table.code, 9);
    assert!(table.stdout.contains("unknown") && table.stdout.contains("gitlab deploy"), "{}", table.stdout);
}

#[test]
fn link_records_each_copy_of_a_known_token_once() {
    let env = Env::init();
    let known = env.add("gitlab deploy", KNOWN, &["--provider", "gitlab"]);
    let root = tree(&env);
    std::fs::remove_file(root.join("deploy/old.sh")).unwrap();
    std::fs::write(root.join(".env"), format!("GITLAB_TOKEN={KNOWN}\n")).unwrap();

    let first = env.cli(&["--json", "scan", "--link", root.to_str().unwrap()]).ok().json();
    assert_eq!(first["linked"], 1, "{first}");
    let again = env.cli(&["--json", "scan", "--link", root.to_str().unwrap()]).ok().json();
    assert_eq!(again["linked"], 0, "a second scan adds nothing");
    let usages = env.cli(&["--json", "usage", "list", &known]).ok().json();
    let usages = usages.as_array().unwrap();
    assert_eq!(usages.len(), 1, "{usages:?}");
    assert_eq!(usages[0]["kind"], "plaintext_file");
    assert_eq!(usages[0]["location"], format!("{}:1", root.join(".env").display()));
}

#[test]
fn import_adds_the_unknown_token_with_its_provider_and_where_it_lies() {
    let env = Env::init();
    env.add("gitlab deploy", KNOWN, &["--provider", "gitlab"]);
    let root = tree(&env);
    std::fs::remove_file(root.join("deploy/old.sh")).unwrap();

    let json = env.cli(&["--json", "scan", "--import", root.to_str().unwrap()]).ok().json();
    assert_eq!(json["imported"], 1, "{json}");
    let list = env.cli(&["--json", "list"]).ok().json();
    let imported = list.as_array().unwrap().iter().find(|t| t["provider"] == "hugging-face").expect("imported");
    let id = imported["id"].as_str().unwrap();
    let usages = env.cli(&["--json", "usage", "list", id]).ok().json();
    assert_eq!(usages[0]["location"], format!("{}:2", root.join(".env").display()));
    // The imported secret is the one on disk, and now the scan knows it.
    assert_eq!(env.cli(&["reveal", id]).ok().stdout.trim(), UNKNOWN);
    let after = env.cli(&["--json", "scan", root.to_str().unwrap()]).ok().json();
    assert_eq!(groups(&after), vec![("known".into(), "gitlab".into()), ("known".into(), "hugging-face".into())]);
    // No secret in the audit log or in TMPDIR.
    let log = env.cli(&["--json", "log"]).ok().stdout;
    for secret in [KNOWN, UNKNOWN] {
        assert!(!log.contains(secret));
    }
    assert_eq!(std::fs::read_dir(&env.tmpdir).unwrap().count(), 0, "the scan left files in TMPDIR");
}

#[test]
fn home_scans_the_usual_credential_files() {
    let env = Env::init();
    let home = env.tmp.path().join("home");
    std::fs::create_dir_all(home.join(".config/gh")).unwrap();
    std::fs::write(home.join(".npmrc"), format!("//registry.example/:_authToken={UNKNOWN}\n")).unwrap();
    std::fs::write(home.join(".config/gh/hosts.yml"), format!("github.com:\n    oauth_token: {KNOWN}\n")).unwrap();
    let run = env.cli_with(&["--json", "scan", "--home"], None, env.command().env("HOME", &home));
    assert_eq!(run.code, 9, "{}", run.stderr);
    let sources: Vec<String> =
        run.json()["findings"].as_array().unwrap().iter().map(|f| f["source"].as_str().unwrap().to_owned()).collect();
    assert_eq!(sources.len(), 2);
    assert!(sources.contains(&"npmrc".to_owned()) && sources.contains(&"gh-hosts".to_owned()), "{sources:?}");
}

#[test]
fn nothing_to_scan_is_a_usage_error() {
    let env = Env::init();
    let run = env.cli(&["scan"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("PATH"), "{}", run.stderr);
}

#[test]
fn ctrl_c_stops_the_scan_with_exit_130_and_links_nothing() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let env = Env::init();
    let known = env.add("gitlab deploy", KNOWN, &["--provider", "gitlab"]);
    let root = env.tmp.path().join("big");
    for i in 0..50_000 {
        let dir = root.join(format!("d{}", i % 100));
        if i < 100 {
            std::fs::create_dir_all(&dir).unwrap();
        }
        std::fs::write(dir.join(format!("f{i}.env")), format!("GITLAB_TOKEN={KNOWN}\n")).unwrap();
    }
    let mut child = env
        .command()
        .args(["scan", "--progress", "--link", root.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first progress line comes once Ctrl+C is caught, as the walk starts.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.starts_with("scanning:"), "{line}");
    let sent = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(rest.contains("stopped by Ctrl+C") && rest.contains("nothing was linked"), "{rest}");
    let usages = env.cli(&["--json", "usage", "list", &known]).ok().json();
    assert_eq!(usages.as_array().unwrap().len(), 0, "linked after Ctrl+C: {usages}");
}

#[test]
fn two_unknown_tokens_with_the_same_hint_are_imported_each_with_only_its_own_place() {
    // Same prefix and last four characters, so the same hint: only the keyed fingerprint tells them apart.
    const FIRST: &str = "hf_QmTsLkPzWxVbNrYcJdHgFaKeUoRiQwAbTy";
    const SECOND: &str = "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";
    let env = Env::init();
    let root = env.tmp.path().join("twins");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("a.env"), format!("HF_TOKEN={FIRST}\n")).unwrap();
    std::fs::write(root.join("b.env"), format!("\nHF_TOKEN={SECOND}\n")).unwrap();

    let json = env.cli(&["--json", "scan", "--import", root.to_str().unwrap()]).ok().json();
    assert_eq!(json["imported"], 2, "{json}");
    let list = env.cli(&["--json", "list"]).ok().json();
    for token in list.as_array().unwrap() {
        let id = token["id"].as_str().unwrap();
        let secret = env.cli(&["reveal", id]).ok().stdout.trim().to_owned();
        let usages = env.cli(&["--json", "usage", "list", id]).ok().json();
        let places: Vec<&str> = usages.as_array().unwrap().iter().map(|u| u["location"].as_str().unwrap()).collect();
        let own = if secret == FIRST {
            format!("{}:1", root.join("a.env").display())
        } else {
            format!("{}:2", root.join("b.env").display())
        };
        assert_eq!(places, [own.as_str()], "a token got another token's place");
    }
}
