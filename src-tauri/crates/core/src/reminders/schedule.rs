//! The schedule: a pure function of `now`, the index entries and what was already sent.
//! Due times are instants (UTC), never local dates: `DaysBefore(n)` is exactly n × 24 h before the
//! expiry instant, so a daylight-saving switch or a change of the machine's time zone cannot move,
//! skip or repeat a reminder. Tests at fixed clocks prove it. Nothing here reads the clock.

use chrono::{DateTime, Duration, Utc};

use super::{IndexEntry, Reminder, ReminderState, Threshold, Urgency};

/// What is due now and when to look again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    /// At most one reminder per token and track (expiry, rotation): the most urgent one due.
    pub due: Vec<Reminder>,
    /// Thresholds that also passed while nobody was looking (the app was off), folded into a
    /// reminder in `due` instead of each notifying. Mark them sent too
    /// ([`ReminderState::mark_schedule_sent`] does both), or they stay pending.
    pub covered: Vec<Reminder>,
    /// The earliest instant after `now` at which something becomes due (a threshold or the end of
    /// a snooze); `None` when nothing ever will.
    pub next_wake: Option<DateTime<Utc>>,
}

/// The reminders due at `now` — crossed, not yet sent, not snoozed past `now`, not dismissed — and
/// the next wake-up. When several thresholds of one token passed at once, only the newest (most
/// urgent) speaks: "expired", not also "expires in 30 days"; the rest are in `covered`.
/// A clock that jumps back changes nothing already sent: `sent` is keyed by the due instant.
/// A threshold at or before the entry's `since` (the token was added, or its date changed, after
/// it passed) is never due: the next threshold is the first reminder.
pub fn compute(
    now: DateTime<Utc>,
    entries: &[IndexEntry],
    state: &ReminderState,
    warn_days: u32,
    urgent_days: u32,
) -> Schedule {
    let mut schedule = Schedule::default();
    let wake = |t: DateTime<Utc>, next: &mut Option<DateTime<Utc>>| {
        if t > now && next.is_none_or(|n| t < n) {
            *next = Some(t);
        }
    };
    for entry in entries {
        for track in [true, false] {
            let mut crossed: Vec<(Threshold, DateTime<Utc>)> = Vec::new();
            for &threshold in entry.thresholds.iter().filter(|t| t.is_expiry() == track) {
                let Some(due_at) = threshold.due_at(entry.expires_at, entry.rotation_due_at) else { continue };
                // Already passed when the date was set: the user has just seen it; not a reminder.
                if entry.since.is_some_and(|since| due_at <= since) {
                    continue;
                }
                if due_at <= now {
                    crossed.push((threshold, due_at));
                } else if !state.was_sent(&entry.token_id, threshold, due_at)
                    && !state.is_dismissed(&entry.token_id, threshold, due_at)
                {
                    wake(due_at, &mut schedule.next_wake);
                }
            }
            let Some(&(newest, newest_due)) = crossed.iter().max_by_key(|(t, due)| (*due, *t)) else { continue };
            if state.was_sent(&entry.token_id, newest, newest_due)
                || state.is_dismissed(&entry.token_id, newest, newest_due)
            {
                continue;
            }
            if let Some(until) = state.snoozed_until(&entry.token_id, newest, now) {
                wake(until, &mut schedule.next_wake);
                continue;
            }
            schedule.due.push(reminder(entry, newest, newest_due, now, warn_days, urgent_days));
            for &(threshold, due_at) in crossed.iter().filter(|(t, _)| *t != newest) {
                if !state.was_sent(&entry.token_id, threshold, due_at) {
                    schedule.covered.push(reminder(entry, threshold, due_at, now, warn_days, urgent_days));
                }
            }
        }
    }
    sort(&mut schedule.due);
    sort(&mut schedule.covered);
    schedule
}

/// What expires, or falls due for rotation, within `window` of `now` (already expired included):
/// one reminder per token and track, for `tokenwarden-cli remind` and the in-app list. It ignores
/// `sent`, because asking never marks anything; snoozed and dismissed reminders stay hidden.
pub fn upcoming(
    now: DateTime<Utc>,
    window: Duration,
    entries: &[IndexEntry],
    state: &ReminderState,
    warn_days: u32,
    urgent_days: u32,
) -> Vec<Reminder> {
    let horizon = now.checked_add_signed(window).unwrap_or(DateTime::<Utc>::MAX_UTC);
    let mut out = Vec::new();
    for entry in entries {
        for (event, track) in [(Threshold::AtExpiry, true), (Threshold::RotationDue, false)] {
            let Some(due_at) = event.due_at(entry.expires_at, entry.rotation_due_at) else { continue };
            if due_at > horizon {
                continue;
            }
            let on_track = entry.thresholds.iter().filter(|t| t.is_expiry() == track);
            let hidden = on_track.clone().any(|&t| state.snoozed_until(&entry.token_id, t, now).is_some())
                || state.is_dismissed(&entry.token_id, event, due_at)
                || newest_crossed(entry, on_track, now)
                    .is_some_and(|(t, due)| state.is_dismissed(&entry.token_id, t, due));
            if !hidden {
                out.push(reminder(entry, event, due_at, now, warn_days, urgent_days));
            }
        }
    }
    sort(&mut out);
    out
}

/// What a dismissal at `now` applies to: on each track, the newest threshold already crossed,
/// whether or not it notified (one that passed before the token was added never did, yet the token
/// is listed by [`upcoming`] until dismissed).
pub fn crossed(now: DateTime<Utc>, entry: &IndexEntry, warn_days: u32, urgent_days: u32) -> Vec<Reminder> {
    [true, false]
        .into_iter()
        .filter_map(|track| newest_crossed(entry, entry.thresholds.iter().filter(|t| t.is_expiry() == track), now))
        .map(|(threshold, due_at)| reminder(entry, threshold, due_at, now, warn_days, urgent_days))
        .collect()
}

fn newest_crossed<'a>(
    entry: &IndexEntry,
    thresholds: impl Iterator<Item = &'a Threshold>,
    now: DateTime<Utc>,
) -> Option<(Threshold, DateTime<Utc>)> {
    thresholds
        .filter_map(|&t| t.due_at(entry.expires_at, entry.rotation_due_at).map(|due| (t, due)))
        .filter(|(_, due)| *due <= now)
        .max_by_key(|(t, due)| (*due, *t))
}

fn reminder(
    entry: &IndexEntry,
    threshold: Threshold,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
    warn_days: u32,
    urgent_days: u32,
) -> Reminder {
    Reminder {
        token_id: entry.token_id.clone(),
        name: entry.name.clone(),
        provider: entry.provider.clone(),
        threshold,
        due_at,
        expires_at: entry.expires_at,
        urgency: Urgency::of(threshold, entry.expires_at, now, warn_days, urgent_days),
    }
}

fn sort(reminders: &mut [Reminder]) {
    reminders.sort_by(|a, b| (a.due_at, &a.token_id, a.threshold).cmp(&(b.due_at, &b.token_id, b.threshold)));
}
