//! The monitor against the local fake provider server (real HTTP, real adapters): what a pass
//! checks, what it keeps in the history and which alerts it raises; back-off on 429 and while
//! offline; nothing checked without consent; and no secret anywhere it writes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../../tests/fake-providers/fake.rs"]
mod fake;

use chrono::{DateTime, Duration, TimeZone, Utc};
use fake::FakeProviders;
use serde_json::json;
use std::collections::BTreeMap;
use tokenwarden_core::health::{AuditSettings, FindingKind, Severity};
use tokenwarden_core::monitor::{AlertKind, PassReport, ScheduleConfig};
use tokenwarden_core::provider_api::LiveApi;
use tokenwarden_core::rotation::RotationMethod;
use tokenwarden_core::{KdfParams, NewToken, SecretString, TokenKind, Vault};
use tokenwarden_providers::ProviderId;

const GITLAB: &str = "glpat-Canary0Monitor0Gitlab1";
const GITLAB_NEW: &str = "glpat-Canary0Monitor0Gitlab2";
const GITHUB: &str = "ghp_Canary0Monitor0Github0AbCdEfGhIjKlMnOp";
const CANARIES: &[&str] = &[GITLAB, GITLAB_NEW, GITHUB];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

/// A day and a minute later: every token checked at `now()` is due again.
fn next_day() -> DateTime<Utc> {
    now() + Duration::days(1) + Duration::minutes(1)
}

struct World {
    _dir: tempfile::TempDir,
    vault: Vault,
    fake: FakeProviders,
    api: LiveApi,
}

fn api_to(base: impl Fn(&str) -> String) -> LiveApi {
    let overrides: BTreeMap<String, String> = ["github", "gitlab"].iter().map(|p| (p.to_string(), base(p))).collect();
    LiveApi::new(overrides, std::time::Duration::from_secs(5))
}

fn world() -> World {
    let fake = FakeProviders::start();
    let dir = tempfile::tempdir().unwrap();
    let cheap = KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
    let vault = Vault::create(&dir.path().join("v"), &SecretString::from("test password"), cheap, now()).unwrap();
    let api = api_to(|p| fake.url(p));
    World { _dir: dir, vault, fake, api }
}

fn add(w: &mut World, name: &str, provider: &str, secret: &str, at: DateTime<Utc>) -> String {
    let new = NewToken::new(
        name,
        ProviderId::parse(provider).unwrap(),
        TokenKind::PersonalAccessToken,
        SecretString::from(secret.to_owned()),
    );
    w.vault.add_token(new, at).unwrap().id
}

/// A GitLab token in the fake and the vault, checked once by hand (the user's consent).
fn consented_gitlab(w: &mut World, fake_fields: serde_json::Value) -> String {
    let mut spec = json!({ "provider": "gitlab", "token": GITLAB, "owner": "alice", "scopes": ["read_api"] });
    spec.as_object_mut().unwrap().extend(fake_fields.as_object().unwrap().clone());
    w.fake.add_token(spec);
    let id = add(w, "deploy", "gitlab", GITLAB, now());
    w.vault.verify_token(&w.api, &id, now()).unwrap();
    id
}

fn pass(w: &mut World, at: DateTime<Utc>) -> PassReport {
    w.vault.monitor_pass(&w.api, at, &ScheduleConfig::default()).unwrap()
}

fn kinds(report: &PassReport) -> Vec<(AlertKind, Severity)> {
    report.alerts.iter().map(|a| (a.kind, a.severity)).collect()
}

/// No secret in the history, the alerts, the audit log or the pass reports.
fn assert_no_canary(w: &World, reports: &[&PassReport]) {
    let mut texts = vec![
        serde_json::to_string(&w.vault.events(None, 10_000).unwrap()).unwrap(),
        serde_json::to_string(&w.vault.open_alerts().unwrap()).unwrap(),
        serde_json::to_string(&w.vault.latest_checks().unwrap()).unwrap(),
        serde_json::to_string(&w.vault.monitor_state().unwrap()).unwrap(),
    ];
    for token in w.vault.list_tokens(&Default::default(), now()).unwrap() {
        texts.push(serde_json::to_string(&w.vault.check_history(&token.token.id).unwrap()).unwrap());
        texts.push(serde_json::to_string(&w.vault.token_alerts(&token.token.id).unwrap()).unwrap());
    }
    texts.extend(reports.iter().map(|r| serde_json::to_string(r).unwrap()));
    for text in &texts {
        for canary in CANARIES {
            assert!(!text.contains(canary), "a secret reached what the monitor keeps: {text}");
        }
    }
}

#[test]
fn scopes_widened_between_two_checks_raise_a_high_drift_alert() {
    let mut w = world();
    let id = consented_gitlab(&mut w, json!({}));
    w.fake.update(json!({ "token": GITLAB, "scopes": ["read_api", "api"] }));
    let report = pass(&mut w, next_day());
    assert_eq!(report.checks.len(), 1, "{report:?}");
    assert_eq!(kinds(&report), vec![(AlertKind::Drift, Severity::High)]);
    assert!(report.alerts[0].evidence.contains("gained api"), "{}", report.alerts[0].evidence);
    assert_eq!(report.alerts[0].token_id, id);
    // The next day says the same: the history grows no row and no second alert is raised.
    let again = pass(&mut w, next_day() + Duration::days(1));
    assert_eq!(again.checks.len(), 1);
    assert!(again.alerts.is_empty(), "{again:?}");
    let history = w.vault.check_history(&id).unwrap();
    assert_eq!(history.len(), 2, "the first check and the widened one: {history:?}");
    assert_eq!(history[1].seen, 2);
    assert_eq!(w.vault.open_alerts().unwrap().len(), 1);
    assert_no_canary(&w, &[&report, &again]);
}

#[test]
fn owner_and_expiry_moved_at_the_provider_are_drift_too() {
    let mut w = world();
    consented_gitlab(&mut w, json!({ "expires_at": "2027-03-01" }));
    w.fake.update(json!({ "token": GITLAB, "owner": "mallory", "expires_at": "2028-03-01" }));
    let report = pass(&mut w, next_day());
    let evidence: Vec<&str> = report.alerts.iter().map(|a| a.evidence.as_str()).collect();
    assert!(evidence.iter().any(|e| e.contains("owner changed") && e.contains("mallory")), "{evidence:?}");
    assert!(evidence.iter().any(|e| e.contains("expiry moved") && e.contains("2028-03-01")), "{evidence:?}");
}

#[test]
fn a_token_refused_that_we_never_revoked_raises_a_died_alert_once() {
    let mut w = world();
    consented_gitlab(&mut w, json!({}));
    w.fake.update(json!({ "token": GITLAB, "revoked": true }));
    let report = pass(&mut w, next_day());
    assert_eq!(report.checks[0].result, "invalid");
    assert_eq!(kinds(&report), vec![(AlertKind::Died, Severity::High)]);
    let again = pass(&mut w, next_day() + Duration::days(1));
    assert!(again.alerts.is_empty(), "still dead is not news: {again:?}");
    assert_no_canary(&w, &[&report, &again]);
}

#[test]
fn a_snoozed_alert_is_said_again_once_after_its_snooze_and_never_once_acknowledged() {
    let mut w = world();
    let id = consented_gitlab(&mut w, json!({}));
    w.fake.update(json!({ "token": GITLAB, "revoked": true }));
    let raised = next_day();
    pass(&mut w, raised);
    let alert = w.vault.alerts_to_notify(raised).unwrap().remove(0).id;
    assert!(w.vault.snooze_alerts(&id, raised + Duration::days(1)).is_err(), "nothing was said yet to snooze");
    w.vault.mark_alert_notified(&alert, raised).unwrap();
    assert!(w.vault.alerts_to_notify(raised).unwrap().is_empty(), "said once");

    w.vault.snooze_alerts(&id, raised + Duration::days(1)).unwrap();
    assert!(w.vault.alerts_to_notify(raised + Duration::hours(23)).unwrap().is_empty(), "quiet while snoozed");
    let due = w.vault.alerts_to_notify(raised + Duration::days(1)).unwrap();
    assert_eq!(due.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), [alert.as_str()], "said again after it");
    w.vault.mark_alert_notified(&alert, raised + Duration::days(1)).unwrap();
    assert!(w.vault.alerts_to_notify(raised + Duration::days(30)).unwrap().is_empty(), "and only once");

    w.vault.snooze_alerts(&id, raised + Duration::days(2)).unwrap();
    w.vault.acknowledge_alert(&alert, raised + Duration::days(1)).unwrap();
    assert!(w.vault.alerts_to_notify(raised + Duration::days(3)).unwrap().is_empty(), "acknowledged: never");
    assert!(w.vault.snooze_alerts(&id, raised + Duration::days(4)).is_err(), "no open alert left to snooze");
}

#[test]
fn a_token_we_revoked_is_not_watched_and_raises_nothing() {
    let mut w = world();
    let id = consented_gitlab(&mut w, json!({}));
    w.vault.revoke_token(&w.api, &id, tokenwarden_core::revocation::RevokeHow::Api, false, now()).unwrap();
    let report = pass(&mut w, next_day());
    assert!(report.checks.is_empty() && report.alerts.is_empty(), "{report:?}");
}

#[test]
fn the_old_token_of_a_rotation_used_after_its_replacement_raises_still_in_use() {
    let mut w = world();
    let old = consented_gitlab(&mut w, json!({}));
    w.fake.add_token(json!({ "provider": "gitlab", "token": GITLAB_NEW, "owner": "alice", "scopes": ["read_api"] }));
    let promoted = now() + Duration::hours(1);
    let r = w.vault.start_rotation(&old, RotationMethod::Guided, now()).unwrap();
    let r = w.vault.store_rotation_secret(&r.id, &SecretString::from(GITLAB_NEW), None, false, now()).unwrap();
    let r = w.vault.verify_rotation(&w.api, &r.id, now()).unwrap();
    let r = w.vault.finish_consumers(&r.id, now()).unwrap();
    let r = w.vault.promote_rotation(&r.id, promoted).unwrap();
    let r = w.vault.mark_old_for_manual_revocation(&r.id, promoted).unwrap();
    w.vault.finish_rotation(&r.id, promoted).unwrap();
    // A consumer nobody updated keeps using the old token.
    let used = promoted + Duration::hours(3);
    w.fake.update(json!({ "token": GITLAB, "last_used_at": used.to_rfc3339(), "last_used_ips": ["203.0.113.7"] }));
    let report = pass(&mut w, next_day());
    let still: Vec<_> = report.alerts.iter().filter(|a| a.kind == AlertKind::StillInUse).collect();
    assert_eq!(still.len(), 1, "{report:?}");
    assert_eq!((still[0].token_id.as_str(), still[0].severity), (old.as_str(), Severity::High));
    assert!(still[0].evidence.contains("replaced at"), "{}", still[0].evidence);
    assert_no_canary(&w, &[&report]);
}

#[test]
fn a_429_with_retry_after_backs_off_without_an_alert_and_checks_after_the_wait() {
    let mut w = world();
    let id = consented_gitlab(&mut w, json!({}));
    let before = w.vault.check_history(&id).unwrap();
    w.fake.fail(json!({ "provider": "gitlab", "status": 429, "retry_after": 600 }));
    let report = pass(&mut w, next_day());
    assert_eq!(report.checks[0].result, "rate_limited");
    assert!(report.alerts.is_empty(), "{report:?}");
    assert_eq!(report.next_check, Some(next_day() + Duration::seconds(600)), "the Retry-After is honoured");
    assert_eq!(w.vault.check_history(&id).unwrap(), before, "a refused call is not a check");
    let calls = w.fake.requests().as_array().unwrap().len();
    let waiting = pass(&mut w, next_day() + Duration::minutes(5));
    assert!(waiting.checks.is_empty(), "{waiting:?}");
    assert_eq!(w.fake.requests().as_array().unwrap().len(), calls, "no call while backing off");
    let after = pass(&mut w, next_day() + Duration::minutes(11));
    assert_eq!(after.checks[0].result, "valid");
    assert!(after.alerts.is_empty(), "{after:?}");
}

#[test]
fn offline_raises_no_alert_and_the_token_is_checked_again_later() {
    let mut w = world();
    let id = consented_gitlab(&mut w, json!({}));
    // Nothing listens on port 9 of loopback: the provider cannot be reached.
    let offline = api_to(|p| format!("http://127.0.0.1:9/{p}"));
    let report = w.vault.monitor_pass(&offline, next_day(), &ScheduleConfig::default()).unwrap();
    assert_eq!(report.checks[0].result, "offline", "{report:?}");
    assert!(report.alerts.is_empty());
    assert!(w.vault.open_alerts().unwrap().is_empty());
    let retry = report.next_check.unwrap();
    assert!(retry > next_day(), "{retry}");
    let back = pass(&mut w, retry);
    assert_eq!(back.checks.len(), 1);
    assert_eq!(back.checks[0].result, "valid");
    assert!(w.vault.check_history(&id).unwrap().last().unwrap().last_at == retry);
}

#[test]
fn no_check_is_made_at_a_provider_without_consent_or_for_a_token_switched_off() {
    let mut w = world();
    w.fake.add_token(json!({ "provider": "github", "token": GITHUB, "scopes": ["repo"] }));
    add(&mut w, "ci", "github", GITHUB, now());
    let id = consented_gitlab(&mut w, json!({}));
    w.vault.set_token_monitored(&id, false, now()).unwrap();
    let calls = w.fake.requests().as_array().unwrap().len();
    let report = pass(&mut w, next_day());
    assert!(report.checks.is_empty(), "{report:?}");
    assert_eq!(w.fake.requests().as_array().unwrap().len(), calls, "no request reached any provider");
    assert!(!w.fake.requests().as_array().unwrap().iter().any(|r| r["provider"] == "github"));
    // Switched back on, the GitLab token is checked; GitHub still never is.
    w.vault.set_token_monitored(&id, true, now()).unwrap();
    let report = pass(&mut w, next_day());
    assert_eq!(report.checks.len(), 1);
    assert_eq!(report.checks[0].provider, "gitlab");
    // Off for the whole vault: nothing at all.
    w.vault.set_monitor_enabled(false, now()).unwrap();
    let off = pass(&mut w, next_day() + Duration::days(2));
    assert!(!off.enabled && off.checks.is_empty());
}

#[test]
fn a_pass_spreads_its_checks_and_asks_one_provider_at_most_three_times_a_minute() {
    let mut w = world();
    consented_gitlab(&mut w, json!({}));
    for i in 0..7 {
        let secret = format!("glpat-Spread0Token0Number{i}");
        w.fake.add_token(json!({ "provider": "gitlab", "token": secret }));
        add(&mut w, &format!("t{i}"), "gitlab", &secret, now());
    }
    // The seven never checked are due, but only three go in the first minute.
    let first = pass(&mut w, now());
    assert_eq!(first.checks.len(), 3, "{first:?}");
    assert_eq!(first.next_check, Some(now() + Duration::minutes(1)));
    let second = pass(&mut w, now() + Duration::minutes(1));
    let third = pass(&mut w, now() + Duration::minutes(2));
    assert_eq!((second.checks.len(), third.checks.len()), (3, 1));
    // Then nothing until each token's own slot the next day, and those slots differ.
    let rest = pass(&mut w, now() + Duration::minutes(3));
    assert!(rest.checks.is_empty());
    let next = rest.next_check.unwrap();
    assert!(next > now() + Duration::minutes(3) && next <= now() + Duration::days(1) + Duration::minutes(3), "{next}");
}

#[test]
fn the_monitors_own_calls_are_not_use_and_a_token_used_only_by_it_stays_unused() {
    let mut w = world();
    // Like GitLab: every authenticated call, the check included, counts as a use.
    w.fake.add_token(json!({ "provider": "gitlab", "token": GITLAB, "scopes": ["read_api"], "record_use": true }));
    let created = Utc::now() - Duration::days(200);
    let id = add(&mut w, "forgotten", "gitlab", GITLAB, created);
    let first = Utc::now();
    w.vault.verify_token(&w.api, &id, first).unwrap();
    let second = Utc::now() + Duration::days(1);
    let report = w.vault.monitor_pass(&w.api, second, &ScheduleConfig::default()).unwrap();
    assert_eq!(report.checks.len(), 1);
    assert!(report.alerts.is_empty(), "our own calls are not unusual use: {report:?}");
    let token = w.vault.token(&id).unwrap();
    assert_eq!(token.last_used_at, None, "the provider's last-used was our own check");
    let history = w.vault.check_history(&id).unwrap();
    assert!(history.iter().all(|c| c.record.last_used_at.is_none()), "{history:?}");
    let findings = w.vault.audit(second, &AuditSettings::default()).unwrap();
    assert!(findings.iter().any(|f| f.kind == FindingKind::Unused && f.token_id == id), "{findings:?}");
}

#[test]
fn use_from_a_new_address_or_of_a_long_unused_token_is_unusual() {
    let mut w = world();
    let id = consented_gitlab(
        &mut w,
        json!({
            "last_used_at": (now() - Duration::days(200)).to_rfc3339(), "last_used_ips": ["198.51.100.1"]
        }),
    );
    let used = now() + Duration::hours(5);
    w.fake.update(
        json!({ "token": GITLAB, "last_used_at": used.to_rfc3339(), "last_used_ips": ["198.51.100.1", "203.0.113.9"] }),
    );
    let report = pass(&mut w, next_day());
    let evidence: Vec<&str> =
        report.alerts.iter().filter(|a| a.kind == AlertKind::UnusualUse).map(|a| a.evidence.as_str()).collect();
    assert!(evidence.iter().any(|e| e.contains("203.0.113.9") && e.contains("never seen")), "{evidence:?}");
    assert!(evidence.iter().any(|e| e.contains("suddenly used")), "{evidence:?}");
    assert_eq!(w.vault.token(&id).unwrap().last_used_at, Some(used));
    // Acknowledged, an alert leaves the list.
    let alert = w.vault.open_alerts().unwrap()[0].id.clone();
    w.vault.acknowledge_alert(&alert, next_day()).unwrap();
    assert!(!w.vault.open_alerts().unwrap().iter().any(|a| a.id == alert));
    assert_no_canary(&w, &[&report]);
}

#[test]
fn the_latest_checks_are_each_tokens_newest_row_however_long_its_history() {
    let mut w = world();
    let a = add(&mut w, "a", "gitlab", GITLAB, now());
    let b = add(&mut w, "b", "github", GITHUB, now());
    let answer = |scopes: &[&str]| tokenwarden_providers::adapters::Verification {
        valid: true,
        scopes: Some(scopes.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    };
    // Three changes for a (three rows), one answer for b.
    for (day, scopes) in [(1, ["api"].as_slice()), (2, &["api", "read_user"]), (3, &["read_api"])] {
        w.vault.record_verification(&a, &answer(scopes), now() + Duration::days(day)).unwrap();
    }
    w.vault.record_verification(&b, &answer(&["repo"]), now() + Duration::days(2)).unwrap();
    assert_eq!(w.vault.check_history(&a).unwrap().len(), 3);

    let mut latest: Vec<(String, Option<Vec<String>>)> =
        w.vault.latest_checks().unwrap().into_iter().map(|c| (c.token_id, c.record.scopes)).collect();
    latest.sort();
    let mut expected = vec![(a, Some(vec!["read_api".to_owned()])), (b, Some(vec!["repo".to_owned()]))];
    expected.sort();
    assert_eq!(latest, expected);
}
