//! When the monitor checks what: a pure function of `now`, the candidates and the back-off state.
//! Each token gets a fixed slot in the day (from its id), so checks spread out instead of all
//! falling due at once; a provider gets at most a few calls a minute and none while backing off.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How often and how fast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleConfig {
    /// Each token is checked once per this interval.
    pub interval: Duration,
    /// At most this many calls to one provider in any minute.
    pub per_provider_per_minute: usize,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig { interval: Duration::days(1), per_provider_per_minute: 3 }
    }
}

/// A token the monitor may check (already filtered: live, monitored, consented, checkable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub token_id: String,
    pub provider: String,
    /// The last check, by the monitor or by hand.
    pub last_checked: Option<DateTime<Utc>>,
}

/// A provider the monitor leaves alone until `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backoff {
    pub until: DateTime<Utc>,
    /// Failures in a row (the wait doubles with each).
    pub failures: u32,
}

/// Why a provider could not be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// 429 (or GitHub's rate-limit 403), with the provider's Retry-After when it sent one.
    RateLimited { retry_after_secs: Option<u64> },
    /// 5xx or a timeout.
    ServerError,
    /// The provider's host could not be reached.
    Offline,
}

/// What to check now, and when to look again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Token ids to check now, in order.
    pub due: Vec<String>,
    /// The earliest moment something else falls due (`None`: nothing to check at all).
    pub next_check: Option<DateTime<Utc>>,
}

/// The token's offset into each interval, from its id (FNV-1a: stable across runs and builds).
pub fn slot(token_id: &str, interval: Duration) -> Duration {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in token_id.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let secs = interval.num_seconds().max(1);
    // Both fit: the remainder is below `secs`, which is an i64.
    Duration::seconds(i64::try_from(hash % secs.unsigned_abs()).unwrap_or(0))
}

/// The latest occurrence of the token's slot at or before `now`.
pub fn last_slot(token_id: &str, now: DateTime<Utc>, interval: Duration) -> DateTime<Utc> {
    let secs = interval.num_seconds().max(1);
    let offset = slot(token_id, interval).num_seconds();
    let since = (now.timestamp() - offset).rem_euclid(secs);
    now - Duration::seconds(since)
}

/// When the token is next due: now or earlier when it has not been checked since its last slot.
pub fn due_at(candidate: &Candidate, now: DateTime<Utc>, interval: Duration) -> DateTime<Utc> {
    let slot = last_slot(&candidate.token_id, now, interval);
    match candidate.last_checked {
        Some(checked) if checked >= slot => slot + interval,
        _ => slot,
    }
}

/// The plan at `now`: due tokens whose provider is not backing off, at most
/// `per_provider_per_minute` per provider less the calls made to it in the last minute.
pub fn plan(
    now: DateTime<Utc>,
    candidates: &[Candidate],
    backoff: &BTreeMap<String, Backoff>,
    recent_calls: &BTreeMap<String, Vec<DateTime<Utc>>>,
    config: &ScheduleConfig,
) -> Plan {
    let mut plan = Plan::default();
    let mut budget: BTreeMap<&str, usize> = BTreeMap::new();
    let mut sorted: Vec<(&Candidate, DateTime<Utc>)> =
        candidates.iter().map(|c| (c, due_at(c, now, config.interval))).collect();
    // The longest overdue first, so a backlog drains fairly.
    sorted.sort_by(|a, b| (a.1, &a.0.token_id).cmp(&(b.1, &b.0.token_id)));
    let later = |at: DateTime<Utc>, plan: &mut Plan| {
        plan.next_check = Some(plan.next_check.map_or(at, |n| n.min(at)));
    };
    for (candidate, due) in sorted {
        let provider = candidate.provider.as_str();
        if due > now {
            later(due, &mut plan);
            continue;
        }
        if let Some(wait) = backoff.get(provider).filter(|b| b.until > now) {
            later(wait.until, &mut plan);
            continue;
        }
        let left = budget.entry(provider).or_insert_with(|| {
            let minute_ago = now - Duration::minutes(1);
            let made = recent_calls.get(provider).map_or(0, |calls| calls.iter().filter(|t| **t > minute_ago).count());
            config.per_provider_per_minute.saturating_sub(made)
        });
        if *left == 0 {
            later(now + Duration::minutes(1), &mut plan);
            continue;
        }
        *left -= 1;
        plan.due.push(candidate.token_id.clone());
    }
    plan
}

/// The back-off after a failure: the provider's Retry-After when it gave one (at least a
/// minute), else 5 minutes doubling with each failure in a row, at most 6 hours.
pub fn back_off(previous: Option<&Backoff>, failure: Failure, now: DateTime<Utc>) -> Backoff {
    let failures = previous.map_or(0, |b| b.failures).saturating_add(1);
    let doubling = Duration::minutes(5) * 2_i32.saturating_pow(failures.saturating_sub(1).min(10));
    let wait = match failure {
        // The provider's own word wins, even past the cap.
        Failure::RateLimited { retry_after_secs: Some(secs) } => {
            Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX).clamp(60, 24 * 3600))
        }
        Failure::RateLimited { retry_after_secs: None } | Failure::ServerError | Failure::Offline => {
            doubling.min(Duration::hours(6))
        }
    };
    Backoff { until: now + wait, failures }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
    }

    fn candidates(n: usize, provider: &str) -> Vec<Candidate> {
        (0..n)
            .map(|i| Candidate {
                token_id: format!("0193a0b0-0000-7000-8000-{i:012}"),
                provider: provider.to_owned(),
                last_checked: None,
            })
            .collect()
    }

    #[test]
    fn checks_spread_over_the_day_instead_of_falling_due_together() {
        let config = ScheduleConfig::default();
        let tokens = candidates(48, "gitlab");
        let mut hours = std::collections::BTreeSet::new();
        for c in &tokens {
            // Checked yesterday evening: the next check is at the token's own slot.
            let checked = Candidate { last_checked: Some(at(0, 0) - Duration::minutes(1)), ..c.clone() };
            let due = due_at(&checked, at(0, 0), config.interval);
            assert!(due >= at(0, 0) - Duration::minutes(1) && due < at(0, 0) + Duration::days(1), "{due}");
            hours.insert(slot(&c.token_id, config.interval).num_hours());
        }
        assert!(hours.len() >= 12, "48 tokens fall in only {} distinct hours: {hours:?}", hours.len());
    }

    #[test]
    fn a_token_is_due_once_per_day_at_its_slot() {
        let config = ScheduleConfig::default();
        let c = &candidates(1, "gitlab")[0];
        let now = at(12, 0);
        let slot_time = last_slot(&c.token_id, now, config.interval);
        assert!(slot_time <= now && now - slot_time < Duration::days(1));
        let never = plan(now, std::slice::from_ref(c), &BTreeMap::new(), &BTreeMap::new(), &config);
        assert_eq!(never.due, vec![c.token_id.clone()], "never checked: due now");
        let checked = Candidate { last_checked: Some(now), ..c.clone() };
        let after = plan(now, std::slice::from_ref(&checked), &BTreeMap::new(), &BTreeMap::new(), &config);
        assert!(after.due.is_empty(), "checked just now: not due again");
        assert_eq!(after.next_check, Some(slot_time + Duration::days(1)));
        let next_day = plan(slot_time + Duration::days(1), &[checked], &BTreeMap::new(), &BTreeMap::new(), &config);
        assert_eq!(next_day.due.len(), 1, "due again a day later at its slot");
    }

    #[test]
    fn at_most_a_few_calls_a_minute_go_to_one_provider() {
        let config = ScheduleConfig::default();
        let mut all = candidates(10, "gitlab");
        all.extend(candidates(2, "github").into_iter().map(|c| Candidate { token_id: c.token_id + "-gh", ..c }));
        let now = at(23, 59);
        let first = plan(now, &all, &BTreeMap::new(), &BTreeMap::new(), &config);
        let gitlab = first.due.iter().filter(|id| !id.ends_with("-gh")).count();
        assert_eq!(gitlab, 3, "{first:?}");
        assert_eq!(first.due.len(), 5, "both github tokens go too");
        assert_eq!(first.next_check, Some(now + Duration::minutes(1)));
        // The calls just made count against the next pass within the same minute.
        let recent = BTreeMap::from([("gitlab".to_owned(), vec![now; 3])]);
        let again = plan(now + Duration::seconds(30), &all, &BTreeMap::new(), &recent, &config);
        assert_eq!(again.due.iter().filter(|id| !id.ends_with("-gh")).count(), 0);
    }

    #[test]
    fn a_provider_backing_off_is_not_asked_until_the_wait_is_over() {
        let config = ScheduleConfig::default();
        let all = candidates(2, "gitlab");
        let now = at(23, 59);
        let wait = back_off(None, Failure::RateLimited { retry_after_secs: Some(120) }, now);
        assert_eq!(wait.until, now + Duration::seconds(120), "Retry-After is honoured");
        let backoff = BTreeMap::from([("gitlab".to_owned(), wait)]);
        let during = plan(now + Duration::seconds(60), &all, &backoff, &BTreeMap::new(), &config);
        assert!(during.due.is_empty());
        assert_eq!(during.next_check, Some(wait.until));
        let after = plan(wait.until, &all, &backoff, &BTreeMap::new(), &config);
        assert_eq!(after.due.len(), 2);
    }

    #[test]
    fn repeated_failures_wait_longer_each_time_up_to_a_cap() {
        let now = at(0, 0);
        let first = back_off(None, Failure::ServerError, now);
        let second = back_off(Some(&first), Failure::Offline, now);
        assert_eq!(first.until - now, Duration::minutes(5));
        assert_eq!(second.until - now, Duration::minutes(10));
        let mut many = second;
        for _ in 0..20 {
            many = back_off(Some(&many), Failure::ServerError, now);
        }
        assert_eq!(many.until - now, Duration::hours(6));
    }
}
