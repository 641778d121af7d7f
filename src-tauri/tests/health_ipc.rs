//! The Health view's commands on the mock runtime: the audit's findings, dismissing one with a
//! reason, marking a token's scopes reviewed — and no secret in any answer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, Utc};
use common::open;
use serde_json::{json, Value};
use tokenwarden_core::{NewToken, SecretString, TokenKind, Vault};
use tokenwarden_providers::ProviderId;

const PASSWORD: &str = "pw one two";
const SOON_SECRET: &str = "ghp_health0123456789abcdefghijklmnopqrSOON";
const OLD_SECRET: &str = "ghp_health0123456789abcdefghijklmnopqrsOLD";

fn kinds_for(findings: &Value, name: &str) -> Vec<String> {
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["token_name"] == name)
        .map(|f| f["kind"].as_str().unwrap().to_owned())
        .collect()
}

fn finding<'a>(findings: &'a Value, name: &str, kind: &str) -> &'a Value {
    findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["token_name"] == name && f["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} finding for {name}: {findings}"))
}

fn assert_no_secret(answer: &Value) {
    let text = answer.to_string();
    assert!(!text.contains("ghp_health"), "an answer carries a secret: {text}");
}

#[test]
fn findings_appear_dismiss_hides_one_and_mark_reviewed_removes_the_review_finding() {
    let w = open();
    w.ok("vault_create", json!({ "password": PASSWORD, "useKeyring": false }));
    let soon = w.ok(
        "token_add",
        json!({ "input": {
            "name": "soon", "provider": "github", "kind": "personal_access_token", "secret": SOON_SECRET,
            "expires_at": "7d", "account": null, "environment": null, "scopes": [], "tags": [],
            "notes": null, "url": null
        }}),
    );
    // A token whose scopes nobody has reviewed for 200 days: added through the core with that clock.
    w.ok("vault_lock", json!({}));
    let (mut vault, _) = Vault::unlock_with_password(&w.vault_dir(), &SecretString::from(PASSWORD)).unwrap();
    let mut old = NewToken::new(
        "old scopes",
        ProviderId::parse("github").unwrap(),
        TokenKind::PersonalAccessToken,
        SecretString::from(OLD_SECRET),
    );
    old.scopes = vec!["read:org".to_owned()];
    old.expires_at = Some(Utc::now() + Duration::days(300));
    let old = vault.add_token(old, Utc::now() - Duration::days(200)).unwrap();
    drop(vault);
    w.ok("vault_unlock", json!({ "password": PASSWORD }));

    let findings = w.ok("health_findings", json!({}));
    assert_no_secret(&findings);
    let expiring = finding(&findings, "soon", "expires_soon");
    assert_eq!(expiring["severity"], "medium");
    assert_eq!(expiring["fix"], "rotate");
    assert_eq!(expiring["provider"], "github");
    assert_eq!(expiring["token_id"], soon["id"]);
    assert!(expiring["evidence"].as_str().unwrap().contains("expires in"), "{expiring}");
    let review = finding(&findings, "old scopes", "review_due");
    assert_eq!(review["fix"], "mark_reviewed");
    assert!(kinds_for(&findings, "soon").contains(&"orphaned".to_owned()), "{findings}");

    // Dismissing needs a reason, and then hides that one finding only.
    let refused =
        w.call("health_dismiss", json!({ "tokenId": soon["id"], "kind": "expires_soon", "reason": "  " })).unwrap_err();
    assert_eq!(refused["code"], "invalid_input", "{refused}");
    let answer =
        w.ok("health_dismiss", json!({ "tokenId": soon["id"], "kind": "expires_soon", "reason": "renewed on Monday" }));
    assert_no_secret(&answer);
    let findings = w.ok("health_findings", json!({}));
    let soon_kinds = kinds_for(&findings, "soon");
    assert!(!soon_kinds.contains(&"expires_soon".to_owned()), "dismissed: {findings}");
    assert!(soon_kinds.contains(&"orphaned".to_owned()), "the token's other findings stay: {findings}");
    let history = w.ok("token_get", json!({ "id": soon["id"] }))["history"].clone();
    assert!(history.as_array().unwrap().iter().any(|e| e["kind"] == "finding_dismissed"), "{history}");

    // Marking the scopes reviewed removes the review finding, and only it.
    w.ok("health_mark_reviewed", json!({ "tokenId": old.id }));
    let findings = w.ok("health_findings", json!({}));
    assert_no_secret(&findings);
    let old_kinds = kinds_for(&findings, "old scopes");
    assert!(!old_kinds.contains(&"review_due".to_owned()), "{findings}");
    assert!(old_kinds.contains(&"orphaned".to_owned()), "{findings}");
}

#[test]
fn health_commands_refuse_while_locked_and_name_unknown_tokens() {
    let w = open();
    assert_eq!(w.call("health_findings", json!({})).unwrap_err()["code"], "locked");
    w.ok("vault_create", json!({ "password": PASSWORD, "useKeyring": false }));
    assert_eq!(w.ok("health_findings", json!({})), json!([]), "an empty vault is healthy");
    let err = w.call("health_mark_reviewed", json!({ "tokenId": "no-such-token" })).unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    let err = w
        .call("health_dismiss", json!({ "tokenId": "no-such-token", "kind": "no_expiry", "reason": "because" }))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
}

#[test]
fn health_summary_counts_the_open_findings_by_severity() {
    let w = open();
    assert_eq!(w.call("health_summary", json!({})).unwrap_err()["code"], "locked");
    w.ok("vault_create", json!({ "password": PASSWORD, "useKeyring": false }));
    assert_eq!(w.ok("health_summary", json!({})), json!({ "high": 0, "medium": 0, "low": 0 }));
    w.ok(
        "token_add",
        json!({ "input": {
            "name": "soon", "provider": "github", "kind": "personal_access_token", "secret": SOON_SECRET,
            "expires_at": "7d", "account": null, "environment": null, "scopes": [], "tags": [],
            "notes": null, "url": null
        }}),
    );
    let findings = w.ok("health_findings", json!({}));
    let count = |severity: &str| findings.as_array().unwrap().iter().filter(|f| f["severity"] == severity).count();
    let summary = w.ok("health_summary", json!({}));
    assert_eq!(summary, json!({ "high": count("high"), "medium": count("medium"), "low": count("low") }));
    assert!(count("medium") >= 1, "the expiring token is counted: {summary}");
}
