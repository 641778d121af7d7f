//! Alerts from the check history: a pure function of the token, the previous check, the sources
//! seen before and the check just made. Evidence is written in words and never holds a secret.

use chrono::{DateTime, Duration, Utc};

use crate::monitor::{AlertKind, CheckRecord, NewAlert};
use crate::severity::Severity;
use crate::tokens::{Token, TokenStatus};

/// A provider's last-used time this close after one of our own checks is that check itself
/// (GitLab counts any authenticated call as a use).
pub const OWN_USE_AFTER: Duration = Duration::minutes(5);
/// Clocks differ a little: a use this much before our check still counts as ours.
pub const OWN_USE_BEFORE: Duration = Duration::minutes(1);

/// Expiry dates closer than this are the same date written two ways.
const EXPIRY_SLACK: Duration = Duration::days(1);

/// The provider's last-used time with the monitor's own calls left out: a time within a few
/// minutes after one of `own_checks` is ours, and the last real use (`previous_real`) stands.
pub fn real_last_used(
    reported: Option<DateTime<Utc>>,
    own_checks: &[DateTime<Utc>],
    previous_real: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let Some(used) = reported else { return previous_real };
    let ours = own_checks.iter().any(|c| used >= *c - OWN_USE_BEFORE && used <= *c + OWN_USE_AFTER);
    if ours {
        previous_real
    } else {
        Some(used)
    }
}

/// What [`derive`] needs besides the check just made.
pub struct AlertContext<'a> {
    pub now: DateTime<Utc>,
    pub token: &'a Token,
    /// When the token's replacement took over (it is the old token of a rotation).
    pub replaced_at: Option<DateTime<Utc>>,
    /// The check before this one.
    pub previous: Option<&'a CheckRecord>,
    /// Every last-used source recorded for the token before this check.
    pub seen_sources: &'a [String],
    /// A token not used for this many days counts as unused (the audit's setting).
    pub unused_days: u32,
}

/// The alerts the check `current` raises.
pub fn derive(ctx: &AlertContext<'_>, current: &CheckRecord) -> Vec<NewAlert> {
    let mut alerts = Vec::new();
    let mut add = |kind, severity, evidence: String| {
        alerts.push(NewAlert { token_id: ctx.token.id.clone(), kind, severity, evidence });
    };
    let token = ctx.token;
    let day = |t: DateTime<Utc>| t.format("%Y-%m-%d").to_string();
    let at = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();

    // Drift: both checks saw a working token, and what the provider says about it changed.
    if let Some(previous) = ctx.previous.filter(|p| p.valid && current.valid) {
        if let (Some(before), Some(now)) = (&previous.scopes, &current.scopes) {
            let added: Vec<&str> = now.iter().filter(|s| !before.contains(s)).map(String::as_str).collect();
            let removed: Vec<&str> = before.iter().filter(|s| !now.contains(s)).map(String::as_str).collect();
            if !added.is_empty() {
                add(
                    AlertKind::Drift,
                    Severity::High,
                    format!("scopes widened at the provider: gained {}", added.join(", ")),
                );
            }
            if !removed.is_empty() {
                add(
                    AlertKind::Drift,
                    Severity::Low,
                    format!("scopes narrowed at the provider: lost {}", removed.join(", ")),
                );
            }
        }
        if let (Some(before), Some(now)) = (&previous.owner, &current.owner) {
            if before != now {
                add(AlertKind::Drift, Severity::High, format!("owner changed at the provider from {before} to {now}"));
            }
        }
        let moved = match (previous.expires_at, current.expires_at) {
            (Some(a), Some(b)) => (a - b).abs() > EXPIRY_SLACK,
            (None, None) => false,
            _ => true,
        };
        if moved {
            let show = |t: Option<DateTime<Utc>>| t.map_or_else(|| "never".to_owned(), day);
            add(
                AlertKind::Drift,
                Severity::Medium,
                format!(
                    "expiry moved at the provider from {} to {}",
                    show(previous.expires_at),
                    show(current.expires_at)
                ),
            );
        }
    }

    // Died: refused although we never revoked it, it has not expired, and it worked before.
    let ours_to_lose = match token.status {
        TokenStatus::Active => true,
        TokenStatus::Rotating => token.replaced_by.is_none(),
        _ => false,
    };
    let expired = token.expires_at.is_some_and(|t| t <= ctx.now);
    let worked_before = ctx.previous.is_none_or(|p| p.valid);
    if !current.valid && ours_to_lose && token.revoked_at.is_none() && !expired && worked_before {
        add(
            AlertKind::Died,
            Severity::High,
            "the provider now refuses it, and Tokenwarden did not revoke it: it may have been revoked after a leak"
                .to_owned(),
        );
    }

    let previous_use = ctx.previous.and_then(|p| p.last_used_at);
    let newly_used = current.last_used_at.filter(|now| previous_use.is_none_or(|before| *now > before));

    // Still in use after rotation: the old token was used after its replacement took over.
    if let (Some(replaced), Some(used)) = (ctx.replaced_at, newly_used) {
        if used > replaced {
            add(
                AlertKind::StillInUse,
                Severity::High,
                format!(
                    "still used at {} although it was replaced at {}: a consumer still holds the old token",
                    at(used),
                    at(replaced)
                ),
            );
        }
    }

    // Unusual use: a source never seen before, or a use of a token that had gone unused.
    if let Some(source) = &current.last_used_source {
        if !ctx.seen_sources.is_empty() && !ctx.seen_sources.contains(source) {
            add(
                AlertKind::UnusualUse,
                Severity::Medium,
                format!(
                    "used from {source}, never seen before for this token (before: {})",
                    ctx.seen_sources.join(", ")
                ),
            );
        }
    }
    if let (Some(previous), Some(used)) = (ctx.previous, newly_used) {
        let unused_for = Duration::days(i64::from(ctx.unused_days));
        let was_unused = match previous.last_used_at {
            Some(before) => used - before > unused_for,
            None => used - token.created_at > unused_for,
        };
        if was_unused && ctx.replaced_at.is_none() {
            let since = previous
                .last_used_at
                .map_or_else(|| "never used since it was added".to_owned(), |t| format!("unused since {}", day(t)));
            add(AlertKind::UnusualUse, Severity::Medium, format!("{since}, then suddenly used at {}", at(used)));
        }
    }
    alerts
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap()
    }

    #[test]
    fn a_use_just_after_our_own_check_is_ours_and_the_last_real_use_stands() {
        let real = Some(t(1, 8));
        assert_eq!(real_last_used(Some(t(2, 10) + Duration::minutes(2)), &[t(2, 10)], real), real);
        assert_eq!(real_last_used(Some(t(2, 12)), &[t(2, 10)], real), Some(t(2, 12)), "two hours later is real use");
        assert_eq!(real_last_used(None, &[t(2, 10)], real), real);
    }
}
