//! The scan's matching with the vault (shared by the CLI and the app): known copies become usages
//! once, unknown tokens are grouped by keyed fingerprint and imported all-or-nothing with where
//! they lie, dead tokens on disk are findings, and only what was selected is done.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use tokenwarden_core::scan::{self, Group, ScanOptions, ScanReport, Selection};
use tokenwarden_core::{ErrorCode, KdfParams, NewToken, TokenFilter, TokenKind, Vault};
use tokenwarden_providers::ProviderId;

const CHEAP: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
const KNOWN: &str = "glpat-Ab3dEf5hIj7lMn9pQr1t";
const UNKNOWN: &str = "hf_QmTsLkPzWxVbNrYcJdHgFaKeUoRiQwErTy";
const REVOKED: &str = "sk_live_51HqLyjWDarjtT1zdp7dcXyz9Uv8Rs7Qp";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 9, 30, 0).unwrap()
}

fn vault(dir: &Path) -> Vault {
    Vault::create(dir, &SecretString::from("vault password".to_owned()), CHEAP, now()).unwrap()
}

fn add(v: &mut Vault, name: &str, provider: &str, secret: &str) -> String {
    let token = NewToken::new(
        name,
        ProviderId::parse(provider).unwrap(),
        TokenKind::PersonalAccessToken,
        SecretString::from(secret.to_owned()),
    );
    v.add_token(token, now()).unwrap().id
}

/// A project with a known token, the unknown one twice (two files), a dead one and a placeholder.
fn tree(root: &Path) -> PathBuf {
    let project = root.join("project");
    std::fs::create_dir_all(project.join("deploy")).unwrap();
    std::fs::write(project.join(".env"), format!("GITLAB_TOKEN={KNOWN}\nHF_TOKEN={UNKNOWN}\n")).unwrap();
    std::fs::write(project.join("deploy/hf.sh"), format!("export HF_TOKEN={UNKNOWN}\n")).unwrap();
    std::fs::write(project.join("deploy/old.sh"), format!("curl -u x:{REVOKED} https://api.example\n")).unwrap();
    std::fs::write(project.join("README.md"), "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n").unwrap();
    project
}

fn run(v: &Vault, root: &Path) -> ScanReport {
    let stop = AtomicBool::new(false);
    scan::scan(&[root.to_owned()], &ScanOptions::default(), &stop, now(), |m| m(v), |_| {}).unwrap()
}

fn ids(report: &ScanReport, group: Group) -> Vec<u32> {
    report.findings.iter().filter(|f| f.group == group).map(|f| f.id).collect()
}

#[test]
fn findings_fall_into_known_unknown_and_dead_and_hold_no_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = vault(&tmp.path().join("vault"));
    let known = add(&mut v, "gitlab deploy", "gitlab", KNOWN);
    let revoked = add(&mut v, "old stripe", "stripe", REVOKED);
    v.archive_token(&revoked, now()).unwrap();
    let report = run(&v, &tree(tmp.path()));

    let groups: Vec<(Group, Option<&str>)> = report.findings.iter().map(|f| (f.group, f.provider.as_deref())).collect();
    assert_eq!(
        groups,
        [
            (Group::Dead, Some("stripe")),
            (Group::Unknown, Some("hugging-face")),
            (Group::Unknown, Some("hugging-face")),
            (Group::Known, Some("gitlab")),
        ]
    );
    let k = report.findings.iter().find(|f| f.group == Group::Known).unwrap();
    assert_eq!((k.token_id.as_deref(), k.token_name.as_deref()), (Some(known.as_str()), Some("gitlab deploy")));
    assert_eq!(k.provider_name.as_deref(), Some("GitLab"));
    assert_eq!(k.line, 1);
    assert_eq!(report.findings[0].token_status.as_deref(), Some("archived"));
    assert_eq!(report.unknown_tokens(), 1, "two copies of one unknown secret are one import candidate");
    assert!(report.stats.placeholders >= 1);
    let shown = format!("{:?} {}", report.findings, serde_json::to_string(&report.findings).unwrap());
    for secret in [KNOWN, UNKNOWN, REVOKED] {
        assert!(!shown.contains(secret), "a finding holds a secret: {shown}");
    }
}

#[test]
fn applying_links_known_copies_once_and_imports_the_unknown_with_every_chosen_place() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = vault(&tmp.path().join("vault"));
    let known = add(&mut v, "gitlab deploy", "gitlab", KNOWN);
    let root = tree(tmp.path());
    std::fs::remove_file(root.join("deploy/old.sh")).unwrap();
    let report = run(&v, &root);
    let selection = report.select_all(true, true);
    let applied = report.apply(&mut v, &selection, now()).unwrap();
    assert_eq!((applied.linked, applied.imported), (1, 1));

    let usages = v.usages(&known).unwrap();
    assert_eq!(usages.len(), 1);
    assert_eq!(
        (usages[0].kind.as_str(), usages[0].location.clone()),
        ("plaintext_file", format!("{}:1", root.join(".env").display()))
    );
    let list = v.list_tokens(&TokenFilter::default(), now()).unwrap();
    let imported = list.iter().find(|t| t.token.provider.to_string() == "hugging-face").expect("imported");
    let mut places: Vec<String> = v.usages(&imported.token.id).unwrap().into_iter().map(|u| u.location).collect();
    places.sort();
    assert_eq!(
        places,
        [format!("{}:2", root.join(".env").display()), format!("{}:1", root.join("deploy/hf.sh").display())]
    );

    // A second scan knows both and adds nothing.
    let again = run(&v, &root);
    assert_eq!(ids(&again, Group::Unknown), Vec::<u32>::new());
    let selection = again.select_all(true, true);
    assert_eq!(
        again.apply(&mut v, &selection, now()).unwrap().linked,
        0,
        "copies already recorded are not linked again"
    );
    assert_eq!(v.usages(&known).unwrap().len(), 1);
}

#[test]
fn only_the_selected_findings_are_applied() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = vault(&tmp.path().join("vault"));
    let known = add(&mut v, "gitlab deploy", "gitlab", KNOWN);
    let root = tree(tmp.path());
    let report = run(&v, &root);
    // One of the two copies of the unknown token, and no known one.
    let first_copy = ids(&report, Group::Unknown)[0];
    let applied = report.apply(&mut v, &Selection { link: vec![], import: vec![first_copy] }, now()).unwrap();
    assert_eq!((applied.linked, applied.imported), (0, 1));
    assert!(v.usages(&known).unwrap().is_empty());
    let list = v.list_tokens(&TokenFilter::default(), now()).unwrap();
    let imported = list.iter().find(|t| t.token.provider.to_string() == "hugging-face").unwrap();
    assert_eq!(v.usages(&imported.token.id).unwrap().len(), 1, "only the chosen place became a usage");
}

#[test]
fn dead_or_possible_findings_cannot_be_linked_or_imported_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let mut v = vault(&tmp.path().join("vault"));
    let known = add(&mut v, "gitlab deploy", "gitlab", KNOWN);
    let revoked = add(&mut v, "old stripe", "stripe", REVOKED);
    v.archive_token(&revoked, now()).unwrap();
    let report = run(&v, &tree(tmp.path()));
    let dead = ids(&report, Group::Dead)[0];
    let unknown = ids(&report, Group::Unknown)[0];
    let known_id = ids(&report, Group::Known)[0];
    let err =
        report.apply(&mut v, &Selection { link: vec![known_id, dead], import: vec![unknown] }, now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(v.usages(&known).unwrap().is_empty(), "a refused selection writes nothing");
    let list = v.list_tokens(&TokenFilter::default(), now()).unwrap();
    assert!(list.iter().all(|t| t.token.provider.to_string() != "hugging-face"), "nothing was imported");
}

#[test]
fn a_missing_root_is_invalid_input() {
    let tmp = tempfile::tempdir().unwrap();
    let v = vault(&tmp.path().join("vault"));
    let stop = AtomicBool::new(false);
    let missing = tmp.path().join("nope");
    let result = scan::scan(&[missing], &ScanOptions::default(), &stop, now(), |m| m(&v), |_| {});
    assert_eq!(result.err().map(|e| e.code()), Some(ErrorCode::InvalidInput));
}
