//! The monitor: checks live tokens at their providers on a spread-out schedule, keeps what each
//! check said in the `checks` history, and raises alerts from the differences. It only asks
//! providers the user has consented to (a check made by hand there first), never checks a token
//! switched off, and never stores or reports a secret.
//!
//! A pass has three steps so a caller sharing the vault can release it while providers answer:
//! [`Vault::monitor_jobs`] (plan and open the secrets), [`MonitorJobs::run`] (the HTTP calls,
//! no vault) and [`Vault::monitor_finish`] (record checks, raise alerts, update the schedule).

pub mod alerts;
pub mod schedule;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tokenwarden_providers::adapters::{AdapterError, Verification};

use crate::audit_log::{self, EventKind};
use crate::error::{Error, Result};
use crate::provider_api::{adapter_error, ProviderApi};
use crate::severity::Severity;
use crate::store;
use crate::tokens::{Token, TokenStatus};
use crate::vault::Vault;
use crate::verification::CheckTarget;

pub use schedule::{Backoff, Candidate, Failure, Plan, ScheduleConfig};

pub use crate::store::alerts::{Alert, AlertKind, NewAlert};
pub use crate::store::checks::{CheckRecord, LatestCheck, StoredCheck};

/// The schedule's memory between passes (a settings entry; not logged as a settings change).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MonitorState {
    pub last_run: Option<DateTime<Utc>>,
    pub checked_last_run: u32,
    pub next_check: Option<DateTime<Utc>>,
    pub backoff: BTreeMap<String, Backoff>,
    /// Calls made to each provider in the last minute (for the per-minute limit).
    pub recent_calls: BTreeMap<String, Vec<DateTime<Utc>>>,
}

/// What the monitor is doing, for the app's status line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitorStatus {
    pub enabled: bool,
    pub last_run: Option<DateTime<Utc>>,
    pub next_check: Option<DateTime<Utc>>,
    pub checked_last_run: u32,
    pub open_alerts: u32,
}

/// How one planned check went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckOutcome {
    pub token_id: String,
    pub token_name: String,
    pub provider: String,
    /// `valid`, `invalid`, `rate_limited`, `offline`, `provider_error`, `skipped` (its provider
    /// failed earlier in the pass) or `error`.
    pub result: String,
    /// The error's message (never a secret) when the check could not be made.
    pub detail: Option<String>,
}

/// One pass: the checks made and the alerts raised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassReport {
    pub enabled: bool,
    pub ran_at: DateTime<Utc>,
    pub checks: Vec<CheckOutcome>,
    pub alerts: Vec<Alert>,
    pub next_check: Option<DateTime<Utc>>,
}

/// The checks a pass will make, with their secrets opened. No Debug: it holds secrets.
pub struct MonitorJobs {
    enabled: bool,
    targets: Vec<CheckTarget>,
}

/// What the providers answered, for [`Vault::monitor_finish`].
pub struct MonitorAnswers {
    enabled: bool,
    answers: Vec<(Token, Answer)>,
}

enum Answer {
    Checked(Verification),
    Failed(Failure, String),
    Skipped,
    Error(String),
}

const ENABLED_KEY: &str = "monitor.enabled";
const STATE_KEY: &str = "monitor.state";
/// The history keeps runs that ended within this many days (and always each token's latest).
const KEEP_DAYS: i64 = 400;
/// Old tokens of a rotation stay watched this long after they were revoked (still in use?).
const WATCH_REPLACED_DAYS: i64 = 30;

pub use crate::health::fold_history;

/// Whether the monitor may check this token now (besides consent and the per-token switch).
fn live(token: &Token, now: DateTime<Utc>) -> bool {
    match token.effective_status(now) {
        TokenStatus::Active | TokenStatus::Rotating => true,
        TokenStatus::Revoked => {
            token.replaced_by.is_some()
                && token.revoked_at.is_some_and(|at| now - at < Duration::days(WATCH_REPLACED_DAYS))
        }
        _ => false,
    }
}

fn classify(err: &Error) -> Answer {
    let message = err.to_string();
    match adapter_error(err) {
        Some(AdapterError::RateLimited { retry_after_secs }) => {
            Answer::Failed(Failure::RateLimited { retry_after_secs: *retry_after_secs }, message)
        }
        Some(AdapterError::Offline { .. }) => Answer::Failed(Failure::Offline, message),
        Some(AdapterError::Timeout { .. } | AdapterError::Provider { .. }) => {
            Answer::Failed(Failure::ServerError, message)
        }
        _ => Answer::Error(message),
    }
}

impl MonitorJobs {
    /// Asks the providers, one token after another; after a provider fails, its remaining
    /// tokens wait for the next pass. Needs no vault.
    pub fn run(self, api: &dyn ProviderApi) -> MonitorAnswers {
        let mut failed: Vec<String> = Vec::new();
        let mut answers = Vec::new();
        for target in self.targets {
            let provider = target.token.provider.to_string();
            if failed.contains(&provider) {
                answers.push((target.token, Answer::Skipped));
                continue;
            }
            let answer = match api.verify(&provider, &target.secret) {
                Ok(verification) => Answer::Checked(verification),
                Err(err) => classify(&err),
            };
            if matches!(answer, Answer::Failed(..) | Answer::Error(_)) {
                failed.push(provider);
            }
            answers.push((target.token, answer));
        }
        MonitorAnswers { enabled: self.enabled, answers }
    }

    /// How many checks this pass will make.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

impl Vault {
    /// Whether the monitor runs at all (on unless turned off).
    pub fn monitor_enabled(&self) -> Result<bool> {
        Ok(self.setting_json(ENABLED_KEY)?.unwrap_or(true))
    }

    /// Turns the monitor on or off for the whole vault.
    pub fn set_monitor_enabled(&mut self, enabled: bool, now: DateTime<Utc>) -> Result<()> {
        self.set_setting_json(ENABLED_KEY, &enabled, now)
    }

    /// Turns the monitor on or off for one token.
    pub fn set_token_monitored(&mut self, id: &str, monitored: bool, now: DateTime<Utc>) -> Result<()> {
        let token = self.token(id)?;
        let tx = self.conn.transaction()?;
        store::checks::set_monitored(&tx, &token.id, monitored)?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::Edited,
            Some(&token.id),
            &serde_json::json!({ "fields": ["monitored"], "monitored": monitored }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Whether the monitor watches this token.
    pub fn token_monitored(&self, id: &str) -> Result<bool> {
        Ok(!store::checks::unmonitored(&self.conn)?.iter().any(|t| t == id))
    }

    /// The schedule's memory.
    pub fn monitor_state(&self) -> Result<MonitorState> {
        Ok(self.setting_json(STATE_KEY)?.unwrap_or_default())
    }

    fn save_monitor_state(&self, state: &MonitorState) -> Result<()> {
        let value = serde_json::to_string(state).map_err(|e| Error::Internal(e.to_string()))?;
        crate::store::settings::put(&self.conn, STATE_KEY, &value)
    }

    /// What the history says about a token, oldest first.
    pub fn check_history(&self, token_id: &str) -> Result<Vec<StoredCheck>> {
        store::checks::history(&self.conn, token_id)
    }

    /// Writes a history as the monitor would have kept it, in one transaction, for benchmarks and
    /// tests that need a year of checks without a year of calls: each row as given, a `verified`
    /// event per row, and on each token what [`Vault::record_verification`] leaves there after
    /// its latest row (owner, scopes, expiry, check time and result, the provider's last use).
    /// It asks no provider and raises no alert.
    #[doc(hidden)]
    pub fn seed_check_history(&mut self, rows: &[StoredCheck]) -> Result<()> {
        let mut latest: BTreeMap<&str, &StoredCheck> = BTreeMap::new();
        for row in rows {
            let newer = latest.get(row.token_id.as_str()).is_none_or(|l| l.last_at <= row.last_at);
            if newer {
                latest.insert(&row.token_id, row);
            }
        }
        let mut in_time: Vec<&StoredCheck> = rows.iter().collect();
        in_time.sort_by_key(|r| r.first_at);
        let tx = self.conn.transaction()?;
        store::checks::insert_many(&tx, rows)?;
        for (id, check) in latest {
            let mut token =
                store::tokens::get(&tx, id)?.ok_or_else(|| Error::TokenNotFound { query: id.to_owned() })?;
            let record = &check.record;
            if record.valid {
                if let Some(owner) = record.owner.as_ref().filter(|o| !o.trim().is_empty()) {
                    token.account = Some(owner.chars().take(200).collect());
                }
                if let Some(scopes) = &record.scopes {
                    token.scopes = scopes.iter().map(|s| s.replace([',', '\n'], " ")).collect();
                }
                if let Some(theirs) = record.expires_at {
                    if token.expires_at.is_none_or(|ours| (ours - theirs).num_seconds().abs() > 24 * 3600) {
                        token.expires_at = Some(theirs);
                    }
                }
            }
            store::tokens::write(&tx, &token, check.last_at)?;
            let result = if record.valid { "valid" } else { "invalid" };
            store::tokens::set_verified(&tx, id, check.last_at, result)?;
            if let Some(used) = record.last_used_at.filter(|_| record.valid) {
                store::tokens::set_used_per_provider(&tx, id, used)?;
            }
        }
        for row in in_time {
            audit_log::append(
                &tx,
                &self.keys.audit,
                row.first_at,
                EventKind::Verified,
                Some(&row.token_id),
                &serde_json::json!({ "valid": row.record.valid, "fields": [] }),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The latest check of every token that has one.
    pub fn latest_checks(&self) -> Result<Vec<StoredCheck>> {
        store::checks::latest_of_all(&self.conn)
    }

    /// Alerts not yet acknowledged, newest first.
    pub fn open_alerts(&self) -> Result<Vec<Alert>> {
        store::alerts::open(&self.conn)
    }

    /// Every alert of one token, oldest first.
    pub fn token_alerts(&self, token_id: &str) -> Result<Vec<Alert>> {
        store::alerts::of_token(&self.conn, token_id)
    }

    /// Acknowledges an open alert: it leaves the list and is never notified again.
    pub fn acknowledge_alert(&mut self, id: &str, now: DateTime<Utc>) -> Result<()> {
        let alert = self.open_alerts()?.into_iter().find(|a| a.id == id);
        let Some(alert) = alert else {
            return Err(Error::invalid("alert", format!("no open alert has the id '{id}'")));
        };
        let tx = self.conn.transaction()?;
        store::alerts::acknowledge(&tx, id, now)?;
        audit_log::append(
            &tx,
            &self.keys.audit,
            now,
            EventKind::AlertAcknowledged,
            Some(&alert.token_id),
            &serde_json::json!({ "alert": id, "kind": alert.kind.as_str() }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Open high-severity alerts to say at `now`: those no notification has said yet, and those
    /// whose snooze has run out.
    pub fn alerts_to_notify(&self, now: DateTime<Utc>) -> Result<Vec<Alert>> {
        Ok(self
            .open_alerts()?
            .into_iter()
            .filter(|a| a.severity == Severity::High)
            .filter(|a| a.notified_at.is_none() || a.snoozed_until.is_some_and(|until| until <= now))
            .collect())
    }

    /// "Snooze" on a token's alert notification: its open alerts that were said are said again
    /// (once) at `until`, unless acknowledged before. An error when the token has none to snooze.
    pub fn snooze_alerts(&mut self, token_id: &str, until: DateTime<Utc>) -> Result<()> {
        match store::alerts::snooze(&self.conn, token_id, until)? {
            0 => Err(Error::invalid("alert", "this token has no notified open alert to snooze")),
            _ => Ok(()),
        }
    }

    /// Records that a notification said this alert (it is not said again).
    pub fn mark_alert_notified(&mut self, id: &str, now: DateTime<Utc>) -> Result<()> {
        store::alerts::mark_notified(&self.conn, id, now)?;
        Ok(())
    }

    /// The monitor's status for the app.
    pub fn monitor_status(&self) -> Result<MonitorStatus> {
        let state = self.monitor_state()?;
        let enabled = self.monitor_enabled()?;
        Ok(MonitorStatus {
            enabled,
            last_run: state.last_run,
            next_check: state.next_check.filter(|_| enabled),
            checked_last_run: state.checked_last_run,
            open_alerts: store::alerts::count_open(&self.conn)?,
        })
    }

    /// The tokens the monitor may check: live, switched on, at a provider with a check API that
    /// the user has consented to (checked there by hand before).
    pub fn monitor_candidates(&self, api: &dyn ProviderApi, now: DateTime<Utc>) -> Result<Vec<Candidate>> {
        let off = store::checks::unmonitored(&self.conn)?;
        let mut consent: BTreeMap<String, bool> = BTreeMap::new();
        let mut candidates = Vec::new();
        for token in self.all_tokens()? {
            if !live(&token, now) || off.contains(&token.id) {
                continue;
            }
            let provider = token.provider.to_string();
            if !api.ops(&provider).verify {
                continue;
            }
            let agreed = match consent.get(&provider) {
                Some(agreed) => *agreed,
                None => {
                    let agreed = self.provider_checked_before(&provider)?;
                    consent.insert(provider.clone(), agreed);
                    agreed
                }
            };
            if agreed {
                candidates.push(Candidate { token_id: token.id, provider, last_checked: token.last_verified_at });
            }
        }
        Ok(candidates)
    }

    /// Plans a pass and opens the secrets it needs (nothing when the monitor is off).
    pub fn monitor_jobs(
        &self,
        api: &dyn ProviderApi,
        now: DateTime<Utc>,
        config: &ScheduleConfig,
    ) -> Result<MonitorJobs> {
        if !self.monitor_enabled()? {
            return Ok(MonitorJobs { enabled: false, targets: Vec::new() });
        }
        let state = self.monitor_state()?;
        let candidates = self.monitor_candidates(api, now)?;
        let plan = schedule::plan(now, &candidates, &state.backoff, &state.recent_calls, config);
        let mut targets = Vec::new();
        for id in plan.due {
            targets.push(self.check_target(api, &id)?);
        }
        Ok(MonitorJobs { enabled: true, targets })
    }

    /// Records what the providers answered: each check in the history (with the alerts it
    /// raises), back-off for providers that failed, and when to look again.
    pub fn monitor_finish(
        &mut self,
        api: &dyn ProviderApi,
        answers: MonitorAnswers,
        now: DateTime<Utc>,
        config: &ScheduleConfig,
    ) -> Result<PassReport> {
        let mut state = self.monitor_state()?;
        let mut report = PassReport {
            enabled: answers.enabled,
            ran_at: now,
            checks: Vec::new(),
            alerts: Vec::new(),
            next_check: None,
        };
        if !answers.enabled {
            return Ok(report);
        }
        let minute_ago = now - Duration::minutes(1);
        for calls in state.recent_calls.values_mut() {
            calls.retain(|t| *t > minute_ago);
        }
        state.recent_calls.retain(|_, calls| !calls.is_empty());
        let mut checked = 0;
        for (token, answer) in answers.answers {
            let provider = token.provider.to_string();
            let mut outcome = CheckOutcome {
                token_id: token.id.clone(),
                token_name: token.name.clone(),
                provider: provider.clone(),
                result: String::new(),
                detail: None,
            };
            if !matches!(answer, Answer::Skipped) {
                state.recent_calls.entry(provider.clone()).or_default().push(now);
            }
            match answer {
                Answer::Checked(verification) => {
                    let (verify, raised) = self.record_verification_with_alerts(&token.id, &verification, now)?;
                    state.backoff.remove(&provider);
                    checked += 1;
                    outcome.result = if verify.valid { "valid" } else { "invalid" }.to_owned();
                    outcome.detail = verify.detail;
                    report.alerts.extend(raised);
                }
                Answer::Failed(failure, message) => {
                    let wait = schedule::back_off(state.backoff.get(&provider), failure, now);
                    state.backoff.insert(provider, wait);
                    outcome.result = match failure {
                        Failure::RateLimited { .. } => "rate_limited",
                        Failure::Offline => "offline",
                        Failure::ServerError => "provider_error",
                    }
                    .to_owned();
                    outcome.detail = Some(message);
                }
                Answer::Error(message) => {
                    let wait = schedule::back_off(state.backoff.get(&provider), Failure::ServerError, now);
                    state.backoff.insert(provider, wait);
                    outcome.result = "error".to_owned();
                    outcome.detail = Some(message);
                }
                Answer::Skipped => outcome.result = "skipped".to_owned(),
            }
            report.checks.push(outcome);
        }
        store::checks::prune(&self.conn, now - Duration::days(KEEP_DAYS))?;
        let candidates = self.monitor_candidates(api, now)?;
        let next = schedule::plan(now, &candidates, &state.backoff, &state.recent_calls, config);
        report.next_check = if next.due.is_empty() { next.next_check } else { Some(now + Duration::minutes(1)) };
        // A pass that found nothing due is not a run: the last run stays the last one that checked.
        if !report.checks.is_empty() {
            state.last_run = Some(now);
            state.checked_last_run = checked;
        }
        state.next_check = report.next_check;
        self.save_monitor_state(&state)?;
        Ok(report)
    }

    /// One whole pass (the CLI's `monitor --once`): plan, ask the providers, record.
    pub fn monitor_pass(
        &mut self,
        api: &dyn ProviderApi,
        now: DateTime<Utc>,
        config: &ScheduleConfig,
    ) -> Result<PassReport> {
        let jobs = self.monitor_jobs(api, now, config)?;
        let answers = jobs.run(api);
        self.monitor_finish(api, answers, now, config)
    }

    /// The provider's answer with the monitor's own calls left out of its last-used time.
    pub(crate) fn without_own_use(
        &self,
        token_id: &str,
        answer: &Verification,
        now: DateTime<Utc>,
    ) -> Result<Verification> {
        let previous = store::checks::latest(&self.conn, token_id)?;
        let mut own = vec![now];
        let previous_real = previous.as_ref().and_then(|p| {
            own.push(p.last_at);
            p.record.last_used_at
        });
        let mut answer = answer.clone();
        answer.last_used_at = alerts::real_last_used(answer.last_used_at, &own, previous_real);
        Ok(answer)
    }

    /// Keeps a check in the history and raises the alerts it shows. `token` is the token as it
    /// was before the check changed anything.
    pub(crate) fn record_check(
        &mut self,
        token: &Token,
        answer: &Verification,
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>> {
        let record = CheckRecord {
            valid: answer.valid,
            owner: answer.owner.clone().filter(|_| answer.valid),
            scopes: answer.scopes.clone().filter(|_| answer.valid),
            expires_at: answer.expires_at.filter(|_| answer.valid),
            last_used_at: answer.last_used_at,
            last_used_source: answer.last_used_source.clone(),
        };
        let previous = store::checks::latest(&self.conn, &token.id)?;
        let seen = store::checks::sources(&self.conn, &token.id)?;
        let replaced_at = match &token.replaced_by {
            Some(new_id) => self.token(new_id).ok().map(|t| t.created_at),
            None => None,
        };
        let unused_days = crate::health::AuditSettings::default().unused_days;
        let context = alerts::AlertContext {
            now,
            token,
            replaced_at,
            previous: previous.as_ref().map(|p| &p.record),
            seen_sources: &seen,
            unused_days,
        };
        let raised = alerts::derive(&context, &record);
        let tx = self.conn.transaction()?;
        store::checks::record(&tx, &token.id, &record, now)?;
        let mut ids = Vec::new();
        for alert in &raised {
            if let Some(id) = store::alerts::raise(&tx, alert, now)? {
                audit_log::append(
                    &tx,
                    &self.keys.audit,
                    now,
                    EventKind::AlertRaised,
                    Some(&token.id),
                    &serde_json::json!({ "alert": id, "kind": alert.kind.as_str() }),
                )?;
                ids.push(id);
            }
        }
        tx.commit()?;
        Ok(store::alerts::of_token(&self.conn, &token.id)?.into_iter().filter(|a| ids.contains(&a.id)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::{AuditSettings, FindingKind};
    use chrono::TimeZone;
    use secrecy::SecretString;

    #[test]
    fn the_audit_reads_use_from_the_history_so_an_old_self_counted_use_reads_as_unused() {
        let dir = tempfile::tempdir().unwrap();
        let added = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let now = added + Duration::days(200);
        let cheap = crate::KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
        let mut vault =
            Vault::create(&dir.path().join("v"), &SecretString::from("test password"), cheap, added).unwrap();
        let new = crate::NewToken::new(
            "forgotten",
            tokenwarden_providers::ProviderId::parse("gitlab").unwrap(),
            crate::TokenKind::PersonalAccessToken,
            SecretString::from("glpat-Fold0History0Token1"),
        );
        let id = vault.add_token(new, added).unwrap().id;
        // Written before the history existed: a check's own call, counted by GitLab as a use.
        let own = now - Duration::days(1);
        vault
            .conn
            .execute(
                "UPDATE tokens SET last_used_at = ?2, last_used_source = 'provider', last_verified_at = ?2 WHERE id = ?1",
                rusqlite::params![id, crate::timestamp::encode(own)],
            )
            .unwrap();
        let unused =
            |v: &Vault| v.audit(now, &AuditSettings::default()).unwrap().iter().any(|f| f.kind == FindingKind::Unused);
        assert!(!unused(&vault), "the table alone says it was used yesterday");
        // The next check again reports our own call; the history keeps no use, and the audit follows it.
        let answer =
            Verification { valid: true, last_used_at: Some(now), scopes: Some(vec![]), ..Verification::default() };
        vault.record_verification(&id, &answer, now).unwrap();
        assert_eq!(vault.check_history(&id).unwrap()[0].record.last_used_at, None);
        assert!(unused(&vault), "{:?}", vault.audit(now, &AuditSettings::default()).unwrap());
    }

    /// What a daily check answered in each quarter of a year (the scopes and the source change
    /// each quarter): the bench's history, as the monitor would record it and as a seed writes it.
    fn quarterly_answers(now: DateTime<Utc>) -> Vec<(DateTime<Utc>, Verification)> {
        [["repo"].as_slice(), &["repo", "workflow"], &["repo"], &["read:org"]]
            .iter()
            .enumerate()
            .map(|(quarter, scopes)| {
                let at = now - Duration::days(365) + Duration::days(91 * quarter as i64);
                let answer = Verification {
                    valid: true,
                    owner: Some("bench-owner".into()),
                    scopes: Some(scopes.iter().map(|s| s.to_string()).collect()),
                    last_used_at: Some(at - Duration::days(3)),
                    last_used_source: Some(format!("203.0.113.{}", quarter + 1)),
                    ..Default::default()
                };
                (at, answer)
            })
            .collect()
    }

    #[test]
    fn a_seeded_history_reads_as_the_same_checks_recorded_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
        let added = now - Duration::days(400);
        let cheap = crate::KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
        let password = SecretString::from("test password");
        let (checked_dir, seeded_dir) = (dir.path().join("checked"), dir.path().join("seeded"));
        let mut vault = Vault::create(&checked_dir, &password, cheap, added).unwrap();
        let batch = ["github", "gitlab", "slack", "openai", "aws"]
            .iter()
            .enumerate()
            .map(|(i, provider)| {
                let mut t = crate::NewToken::new(
                    format!("token {i}"),
                    tokenwarden_providers::ProviderId::parse(provider).unwrap(),
                    crate::TokenKind::PersonalAccessToken,
                    SecretString::from(format!("ghp_Seeded0History0Token{i}")),
                );
                t.scopes = vec!["repo".to_owned(), "read:org".to_owned()];
                t.expires_at = (i % 2 == 0).then(|| now + Duration::days(10 + 40 * i as i64));
                t
            })
            .collect();
        let ids = vault.add_tokens(batch, added).unwrap();
        vault.lock();
        // The same vault twice: one is checked quarter by quarter, the other seeded with the rows.
        std::fs::create_dir(&seeded_dir).unwrap();
        for entry in std::fs::read_dir(&checked_dir).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), seeded_dir.join(entry.file_name())).unwrap();
        }
        let (mut checked, _) = Vault::unlock_with_password(&checked_dir, &password).unwrap();
        let (mut seeded, _) = Vault::unlock_with_password(&seeded_dir, &password).unwrap();
        let mut rows = Vec::new();
        for (at, answer) in quarterly_answers(now) {
            for id in &ids {
                checked.record_verification(id, &answer, at).unwrap();
                let record = CheckRecord {
                    valid: answer.valid,
                    owner: answer.owner.clone(),
                    scopes: answer.scopes.clone(),
                    expires_at: answer.expires_at,
                    last_used_at: answer.last_used_at,
                    last_used_source: answer.last_used_source.clone(),
                };
                rows.push(StoredCheck { token_id: id.clone(), first_at: at, last_at: at, seen: 1, record });
            }
        }
        seeded.seed_check_history(&rows).unwrap();
        for id in &ids {
            assert_eq!(seeded.check_history(id).unwrap(), checked.check_history(id).unwrap());
            assert_eq!(checked.check_history(id).unwrap().len(), 4, "a row per change");
            let (a, b) = (checked.token(id).unwrap(), seeded.token(id).unwrap());
            assert_eq!(
                (&a.account, &a.scopes, a.expires_at, a.last_verified_at, &a.last_verified_result),
                (&b.account, &b.scopes, b.expires_at, b.last_verified_at, &b.last_verified_result)
            );
            assert_eq!((a.last_used_at, &a.last_used_source), (b.last_used_at, &b.last_used_source));
        }
        let settings = AuditSettings::default();
        let findings = checked.audit(now, &settings).unwrap();
        assert!(findings.iter().any(|f| f.kind == FindingKind::Unused), "{findings:?}");
        assert_eq!(seeded.audit(now, &settings).unwrap(), findings);
    }
}
