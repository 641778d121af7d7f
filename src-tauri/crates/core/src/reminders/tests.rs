//! The schedule at fixed clocks: defaults, once-only across restarts, snooze, dismiss, summaries,
//! daylight-saving switches, leap days, time zones, a clock that jumps back, and renewal.

#![allow(clippy::unwrap_used)]

use super::*;
use chrono::{FixedOffset, TimeZone};

fn at(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).unwrap()
}

fn entry(id: &str, expires_at: Option<DateTime<Utc>>, rotation_due_at: Option<DateTime<Utc>>) -> IndexEntry {
    IndexEntry {
        token_id: id.to_owned(),
        name: Some(format!("{id}-bot")),
        provider: Some("GitHub".to_owned()),
        expires_at,
        rotation_due_at,
        thresholds: Thresholds::default().for_token(None, expires_at, rotation_due_at),
        since: None,
    }
}

fn run(now: DateTime<Utc>, entries: &[IndexEntry], state: &ReminderState) -> Schedule {
    compute(now, entries, state, 30, 7)
}

/// Steps through time like the app: wake at `next_wake`, send what is due, mark it; returns what fired.
fn fire_all(entries: &[IndexEntry], start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<(Threshold, DateTime<Utc>)> {
    let mut state = ReminderState::default();
    let mut now = start;
    let mut fired = Vec::new();
    while now <= end {
        let s = run(now, entries, &state);
        fired.extend(s.due.iter().map(|r| (r.threshold, now)));
        state.mark_schedule_sent(&s, now);
        match s.next_wake {
            Some(next) => now = next,
            None => break,
        }
    }
    fired
}

#[test]
fn defaults_are_30_7_1_days_at_expiry_and_rotation() {
    let t = Thresholds::default();
    assert_eq!(t.days_before, [30, 7, 1]);
    let exp = at(2026, 12, 4, 12);
    let got = t.for_token(None, Some(exp), Some(exp));
    use Threshold::*;
    assert_eq!(got, [DaysBefore(1), DaysBefore(7), DaysBefore(30), AtExpiry, RotationDue]);
    assert_eq!(Settings::default().reminder_days, [30, 7, 1]);
    assert_eq!(t.for_token(Some(&[3]), Some(exp), None), [DaysBefore(3), AtExpiry]);
    assert!(t.for_token(None, None, None).is_empty());
}

#[test]
fn thresholds_serialize_as_short_strings() {
    let list = vec![Threshold::DaysBefore(30), Threshold::AtExpiry, Threshold::RotationDue];
    let json = serde_json::to_string(&list).unwrap();
    assert_eq!(json, r#"["30d","expiry","rotation"]"#);
    assert_eq!(serde_json::from_str::<Vec<Threshold>>(&json).unwrap(), list);
    assert!(serde_json::from_str::<Threshold>(r#""0d""#).is_err());
    assert!(serde_json::from_str::<Threshold>(r#""soon""#).is_err());
}

#[test]
fn a_threshold_serializes_as_the_text_it_displays_for_every_day_count() {
    let days = (0..=1000).chain([9_999, 10_000, 99_999, 1_000_000, u32::MAX - 1, u32::MAX]);
    for t in days.map(Threshold::DaysBefore).chain([Threshold::AtExpiry, Threshold::RotationDue]) {
        assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{t}\""));
    }
}

#[test]
fn each_threshold_fires_once_at_its_instant_and_next_wake_walks_them_in_order() {
    let exp = at(2026, 12, 4, 12);
    let fired = fire_all(&[entry("a", Some(exp), None)], at(2026, 10, 1, 0), at(2027, 1, 1, 0));
    use Threshold::*;
    assert_eq!(
        fired,
        [
            (DaysBefore(30), exp - Duration::days(30)),
            (DaysBefore(7), exp - Duration::days(7)),
            (DaysBefore(1), exp - Duration::days(1)),
            (AtExpiry, exp),
        ]
    );
}

/// Loads the state file as the app does while locked with the keyring off: unchecked.
fn load_keyless(dir: &std::path::Path) -> ReminderState {
    ReminderState::load(dir, None, &super::ReminderIndex::read_with(dir, None).unwrap()).unwrap()
}

#[test]
fn a_sent_reminder_stays_sent_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let exp = at(2026, 12, 4, 12);
    let entries = [entry("a", Some(exp), None)];
    let now = exp - Duration::days(7);
    let mut state = load_keyless(dir.path());
    let first = run(now, &entries, &state);
    assert_eq!(first.due.len(), 1);
    state.mark_schedule_sent(&first, now);
    state.save(dir.path(), None).unwrap();

    // A new process: nothing is due again, and it wakes for the 1-day reminder.
    let restarted = load_keyless(dir.path());
    let again = run(now + Duration::hours(1), &entries, &restarted);
    assert!(again.due.is_empty(), "{:?}", again.due);
    assert_eq!(again.next_wake, Some(exp - Duration::days(1)));
}

#[cfg(unix)]
#[test]
fn the_state_file_is_private_and_holds_no_names() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let exp = at(2026, 12, 4, 12);
    let entries = [entry("a", Some(exp), None)];
    let mut state = ReminderState::default();
    state.mark_schedule_sent(&run(exp, &entries, &state), exp);
    state.save(dir.path(), None).unwrap();
    let path = dir.path().join(STATE_FILE);
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("a-bot") && !text.contains("GitHub"), "{text}");
}

#[test]
fn snoozing_for_a_day_or_a_week_brings_it_back_then_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let exp = at(2026, 12, 4, 12);
    let entries = [entry("a", Some(exp), None)];
    for span in [Duration::days(1), Duration::weeks(1)] {
        let now = exp - Duration::days(30);
        let mut state = ReminderState::default();
        let s = run(now, &entries, &state);
        state.mark_schedule_sent(&s, now);
        state.snooze("a", Threshold::DaysBefore(30), now + span);
        state.save(dir.path(), None).unwrap();
        let state = load_keyless(dir.path());
        let during = run(now + span - Duration::seconds(1), &entries, &state);
        assert!(during.due.is_empty());
        assert_eq!(during.next_wake, Some(now + span));
        let after = run(now + span, &entries, &state);
        assert_eq!(after.due.len(), 1, "snoozed for {span}");
        assert_eq!(after.due[0].threshold, Threshold::DaysBefore(30));
    }
}

#[test]
fn a_snooze_that_outlasts_the_next_threshold_gives_way_to_it() {
    let exp = at(2026, 12, 4, 12);
    let entries = [entry("a", Some(exp), None)];
    let now = exp - Duration::days(8);
    let mut state = ReminderState::default();
    state.mark_schedule_sent(&run(now, &entries, &state), now);
    state.snooze("a", Threshold::DaysBefore(30), now + Duration::weeks(1));
    let s = run(exp - Duration::days(7), &entries, &state);
    assert_eq!(s.due.iter().map(|r| r.threshold).collect::<Vec<_>>(), [Threshold::DaysBefore(7)]);
}

#[test]
fn snoozing_a_whole_token_holds_back_its_next_threshold_too() {
    let exp = at(2026, 12, 4, 12);
    let entries = [entry("a", Some(exp), None)];
    let now = exp - Duration::days(8);
    let mut state = ReminderState::default();
    state.mark_schedule_sent(&run(now, &entries, &state), now);
    state.snooze_token("a", &entries[0].thresholds, now + Duration::weeks(1));
    assert!(run(exp - Duration::days(7), &entries, &state).due.is_empty(), "the 7-day reminder waits");
    let after = run(now + Duration::weeks(1), &entries, &state);
    assert_eq!(after.due.len(), 1, "it comes back when the snooze ends");
}

#[test]
fn dismissing_persists_and_dismissing_one_reminder_rearms_on_renewal() {
    let dir = tempfile::tempdir().unwrap();
    let exp = at(2026, 12, 4, 12);
    let now = exp - Duration::days(7);
    let entries = [entry("a", Some(exp), None), entry("b", Some(exp), None)];
    let mut state = ReminderState::default();
    let s = run(now, &entries, &state);
    assert_eq!(s.due.len(), 2);
    state.dismiss("a", Threshold::DaysBefore(7));
    state.dismiss_reminder(&s.due[1]);
    state.save(dir.path(), None).unwrap();
    let state = load_keyless(dir.path());
    assert!(run(now, &entries, &state).due.is_empty());
    assert!(upcoming(now, Duration::days(30), &entries, &state, 30, 7).is_empty());

    // Both renewed by a year: "a" was dismissed for good, "b" only for its old expiry.
    let renewed = exp + Duration::days(365);
    let entries = [entry("a", Some(renewed), None), entry("b", Some(renewed), None)];
    let later = renewed - Duration::days(7);
    let ids: Vec<_> = run(later, &entries, &state).due.into_iter().map(|r| r.token_id).collect();
    assert_eq!(ids, ["b"]);
}

#[test]
fn several_thresholds_passed_while_off_give_one_reminder_per_token_and_a_summary() {
    let now = at(2026, 12, 10, 9);
    let entries = [
        entry("x1", Some(now - Duration::days(3)), None),
        entry("x2", Some(now - Duration::days(1)), None),
        entry("x3", Some(now - Duration::hours(2)), None),
        entry("w1", Some(now + Duration::days(2)), None),
        entry("w2", Some(now + Duration::days(6)), None),
    ];
    let s = run(now, &entries, &ReminderState::default());
    assert_eq!(s.due.len(), 5, "one per token, not one per threshold");
    for r in &s.due {
        let expected = if r.token_id.starts_with('x') { Threshold::AtExpiry } else { Threshold::DaysBefore(7) };
        assert_eq!(r.threshold, expected, "{}", r.token_id);
    }
    assert_eq!(s.covered.len(), 3 * 3 + 1 + 1, "the older thresholds are folded in");
    assert_eq!(summary(&s.due, now).as_deref(), Some("3 tokens expired, 2 expire this week"));

    let mut state = ReminderState::default();
    state.mark_schedule_sent(&s, now);
    let next = run(now + Duration::minutes(1), &entries, &state);
    assert!(next.due.is_empty() && next.covered.is_empty());
    assert_eq!(next.next_wake, Some(now + Duration::days(1)), "w1's 1-day reminder");
}

#[test]
fn summaries_count_and_agree_in_number() {
    let now = at(2026, 12, 10, 9);
    let r = |exp: DateTime<Utc>, threshold| Reminder {
        token_id: "t".into(),
        name: None,
        provider: None,
        threshold,
        due_at: now,
        expires_at: Some(exp),
        urgency: Urgency::Critical,
    };
    let expired = r(now - Duration::days(1), Threshold::AtExpiry);
    let week = r(now + Duration::days(3), Threshold::DaysBefore(7));
    let later = r(now + Duration::days(20), Threshold::DaysBefore(30));
    let rotation = r(now + Duration::days(90), Threshold::RotationDue);
    assert_eq!(summary(&[], now), None);
    assert_eq!(summary(std::slice::from_ref(&expired), now), None);
    assert_eq!(summary(&[expired.clone(), week.clone()], now).unwrap(), "1 token expired, 1 expires this week");
    assert_eq!(summary(&[week.clone(), week.clone()], now).unwrap(), "2 tokens expire this week");
    assert_eq!(
        summary(&[later.clone(), rotation.clone(), rotation], now).unwrap(),
        "1 token expires soon, 2 are due for rotation"
    );
}

#[test]
fn bodies_tell_the_moment_in_the_local_time_zone_and_name_it() {
    let exp = at(2026, 12, 4, 20);
    let e = entry("deploy", Some(exp), None);
    let now = exp - Duration::days(7);
    let s = run(now, std::slice::from_ref(&e), &ReminderState::default());
    let r = &s.due[0];
    let kolkata = FixedOffset::east_opt(5 * 3600 + 1800).expect("a valid offset");
    let new_york = FixedOffset::west_opt(5 * 3600).expect("a valid offset");
    // 20:00 UTC is already the next day in Kolkata.
    assert_eq!(r.body_in(now, &kolkata), "Expires Sat 5 Dec 2026, 01:30 (UTC+05:30). Open Tokenwarden to rotate it.");
    assert_eq!(r.body_in(now, &new_york), "Expires Fri 4 Dec 2026, 15:00 (UTC-05:00). Open Tokenwarden to rotate it.");
    assert_eq!(
        r.body_in(exp + Duration::days(1), &kolkata),
        "Expired Sat 5 Dec 2026, 01:30 (UTC+05:30). Open Tokenwarden to rotate it."
    );
}

#[test]
fn titles_and_bodies_say_which_token_which_provider_and_when() {
    let exp = at(2026, 12, 4, 12);
    let e = entry("deploy", Some(exp), None);
    let s = run(exp - Duration::days(7), std::slice::from_ref(&e), &ReminderState::default());
    let r = &s.due[0];
    let now = exp - Duration::days(7);
    assert_eq!(r.title(now), "GitHub · deploy-bot expires in 7 days");
    assert_eq!(r.body_in(now, &Utc), "Expires Fri 4 Dec 2026, 12:00 (UTC). Open Tokenwarden to rotate it.");
    assert_eq!(r.urgency, Urgency::Critical);
    assert_eq!(r.title(now + Duration::seconds(5)), "GitHub · deploy-bot expires in 7 days", "a late wake-up");
    assert_eq!(r.title(exp - Duration::days(1)), "GitHub · deploy-bot expires tomorrow");
    assert_eq!(r.title(exp + Duration::days(2)), "GitHub · deploy-bot expired 2 days ago");
    let unnamed = Reminder { name: None, provider: None, ..r.clone() };
    assert_eq!(unnamed.title(exp - Duration::days(1)), "A token expires tomorrow — unlock to see which");
    let rotation = Reminder { threshold: Threshold::RotationDue, due_at: exp, ..r.clone() };
    assert_eq!(rotation.title(exp), "GitHub · deploy-bot is due for rotation");
    assert_eq!(Urgency::of(Threshold::DaysBefore(30), Some(exp), exp - Duration::days(30), 30, 7), Urgency::Normal);
    assert_eq!(Urgency::of(Threshold::DaysBefore(30), Some(exp), exp - Duration::days(40), 30, 7), Urgency::Low);
    assert_eq!(Urgency::of(Threshold::AtExpiry, Some(exp), exp, 30, 7), Urgency::Critical);
}

#[test]
fn daylight_saving_switches_do_not_move_reminders_off_24_hour_multiples() {
    // EU clocks go forward on 2027-03-28, US clocks go back on 2026-11-01: instants ignore both.
    for exp in
        [Utc.with_ymd_and_hms(2027, 3, 28, 12, 0, 0).unwrap(), Utc.with_ymd_and_hms(2026, 11, 1, 7, 30, 0).unwrap()]
    {
        let fired = fire_all(&[entry("a", Some(exp), None)], exp - Duration::days(60), exp + Duration::days(1));
        let offsets: Vec<i64> = fired.iter().map(|(_, t)| (exp - *t).num_seconds()).collect();
        assert_eq!(offsets, [30 * 86_400, 7 * 86_400, 86_400, 0], "expiry {exp}");
    }
}

#[test]
fn leap_days_count_as_ordinary_days() {
    let leap = at(2028, 2, 29, 12);
    let fired = fire_all(&[entry("a", Some(leap), None)], at(2028, 1, 1, 0), at(2028, 3, 2, 0));
    let times: Vec<_> = fired.iter().map(|(_, t)| *t).collect();
    assert_eq!(times, [at(2028, 1, 30, 12), at(2028, 2, 22, 12), at(2028, 2, 28, 12), leap]);
    let march = at(2028, 3, 1, 12);
    let fired = fire_all(&[entry("b", Some(march), None)], at(2028, 1, 1, 0), at(2028, 3, 2, 0));
    let times: Vec<_> = fired.iter().map(|(_, t)| *t).collect();
    // 30 days before 1 March in a leap year is 31 January; 1 day before is the leap day itself.
    assert_eq!(times, [at(2028, 1, 31, 12), at(2028, 2, 23, 12), at(2028, 2, 29, 12), march]);
}

#[test]
fn the_time_zone_a_clock_is_read_in_does_not_matter() {
    let exp = at(2026, 12, 4, 12);
    let entries = [entry("a", Some(exp), None)];
    // The same instant read by a machine in Berlin (UTC+1) and one in New York (UTC-5).
    let berlin = FixedOffset::east_opt(3600).unwrap().with_ymd_and_hms(2026, 11, 27, 13, 0, 0).unwrap();
    let new_york = FixedOffset::west_opt(5 * 3600).unwrap().with_ymd_and_hms(2026, 11, 27, 7, 0, 0).unwrap();
    let a = run(berlin.with_timezone(&Utc), &entries, &ReminderState::default());
    let b = run(new_york.with_timezone(&Utc), &entries, &ReminderState::default());
    assert_eq!(a, b);
    assert_eq!(a.due[0].threshold, Threshold::DaysBefore(7));
    assert_eq!(a.due[0].title(berlin.with_timezone(&Utc)), b.due[0].title(new_york.with_timezone(&Utc)));
}

#[test]
fn a_clock_that_jumps_back_fires_nothing_twice_and_wakes_for_what_is_next() {
    let exp = at(2026, 12, 4, 12);
    let entries = [entry("a", Some(exp), None)];
    let t = exp - Duration::days(6);
    let mut state = ReminderState::default();
    let s = run(t, &entries, &state);
    assert_eq!(s.due[0].threshold, Threshold::DaysBefore(7));
    state.mark_schedule_sent(&s, t);

    let back = t - Duration::days(2);
    let s = run(back, &entries, &state);
    assert!(s.due.is_empty(), "{:?}", s.due);
    assert_eq!(s.next_wake, Some(exp - Duration::days(1)), "not the 7-day mark, which was sent");
    // Forward again past the point it jumped from: still nothing twice.
    assert!(run(t + Duration::hours(1), &entries, &state).due.is_empty());
}

#[test]
fn a_renewed_expiry_rearms_its_reminders() {
    let exp = at(2026, 12, 4, 12);
    let mut state = ReminderState::default();
    let s = run(exp - Duration::days(7), &[entry("a", Some(exp), None)], &state);
    state.mark_schedule_sent(&s, exp - Duration::days(7));
    let renewed = exp + Duration::days(90);
    let entries = [entry("a", Some(renewed), None)];
    let s = run(renewed - Duration::days(7), &entries, &state);
    assert_eq!(s.due.len(), 1);
    assert_eq!(s.due[0].due_at, renewed - Duration::days(7));
}

#[test]
fn a_long_expired_token_fires_once_at_expiry() {
    let now = at(2026, 12, 10, 9);
    let entries = [entry("old", Some(now - Duration::days(400)), None)];
    let mut state = ReminderState::default();
    let s = run(now, &entries, &state);
    assert_eq!(s.due.len(), 1);
    assert_eq!(s.due[0].title(now), "GitHub · old-bot expired 400 days ago");
    assert_eq!(s.next_wake, None);
    state.mark_schedule_sent(&s, now);
    assert!(run(now + Duration::days(1), &entries, &state).due.is_empty());
}

#[test]
fn rotation_is_its_own_track() {
    let now = at(2026, 12, 10, 9);
    let entries = [entry("r", Some(now + Duration::days(3)), Some(now - Duration::days(1)))];
    let s = run(now, &entries, &ReminderState::default());
    let got: Vec<_> = s.due.iter().map(|r| r.threshold).collect();
    assert_eq!(got, [Threshold::DaysBefore(7), Threshold::RotationDue], "sorted by due time");
    assert_eq!(s.due[1].urgency, Urgency::Critical, "it also expires in 3 days");
}

#[test]
fn upcoming_lists_what_expires_within_the_window_and_ignores_sent() {
    let now = at(2026, 12, 10, 9);
    let entries = [
        entry("soon", Some(now + Duration::days(5)), None),
        entry("late", Some(now + Duration::days(40)), None),
        entry("gone", Some(now - Duration::days(2)), None),
    ];
    let mut state = ReminderState::default();
    state.mark_schedule_sent(&run(now, &entries, &state), now);
    let ids = |state: &ReminderState, w: i64| -> Vec<String> {
        upcoming(now, Duration::days(w), &entries, state, 30, 7).into_iter().map(|r| r.token_id).collect()
    };
    assert_eq!(ids(&state, 14), ["gone", "soon"]);
    assert_eq!(ids(&state, 1), ["gone"]);
    assert_eq!(ids(&state, 60), ["gone", "soon", "late"]);
    state.snooze("soon", Threshold::DaysBefore(7), now + Duration::days(1));
    assert_eq!(ids(&state, 14), ["gone"]);
}

#[test]
fn reminder_days_are_validated() {
    assert!(validate_days("d", &[30, 7, 1]).is_ok());
    assert!(validate_days("d", &[]).is_ok());
    assert!(validate_days("d", &[0]).is_err());
    assert!(validate_days("d", &[366]).is_err());
    assert!(validate_days("d", &[1; 11]).is_err());
    let bad = Settings { reminder_days: vec![400], ..Settings::default() };
    assert!(bad.validate().is_err());
    // Settings saved before reminders existed still read, with the defaults.
    let old: Settings = serde_json::from_str(r#"{"warn_days": 14}"#).unwrap();
    assert_eq!(old.reminder_days, [30, 7, 1]);
}

#[test]
fn thresholds_already_passed_when_the_token_was_added_do_not_fire_and_the_next_fires_on_time() {
    // Added at noon with 20 days left: the 30-day threshold had passed, the 7-day one has not.
    let added = at(2026, 12, 4, 12);
    let exp = at(2026, 12, 24, 12);
    let e = IndexEntry { since: Some(added), ..entry("gl", Some(exp), None) };
    let s = run(added, std::slice::from_ref(&e), &ReminderState::default());
    assert!(s.due.is_empty(), "fired at once: {:?}", s.due);
    assert!(s.covered.is_empty(), "{:?}", s.covered);
    assert_eq!(s.next_wake, Some(exp - Duration::days(7)), "the 7-day threshold is the next wake");
    let fired = fire_all(std::slice::from_ref(&e), added, exp);
    use Threshold::*;
    assert_eq!(
        fired,
        [(DaysBefore(7), exp - Duration::days(7)), (DaysBefore(1), exp - Duration::days(1)), (AtExpiry, exp)]
    );
    // Without `since` (a token from before it was recorded) the passed 30-day threshold fires at once.
    let old = entry("gl", Some(exp), None);
    assert_eq!(run(added, &[old], &ReminderState::default()).due.len(), 1);
}

#[test]
fn a_changed_expiry_does_not_fire_what_it_already_passed() {
    // The expiry moved to 2 days from now at 09:00: 30d and 7d passed before the change.
    let changed = at(2027, 1, 10, 9);
    let exp = at(2027, 1, 12, 9);
    let e = IndexEntry { since: Some(changed), ..entry("gh", Some(exp), None) };
    assert!(run(changed + Duration::minutes(1), std::slice::from_ref(&e), &ReminderState::default()).due.is_empty());
    let fired = fire_all(std::slice::from_ref(&e), changed, exp + Duration::days(1));
    assert_eq!(fired, [(Threshold::DaysBefore(1), exp - Duration::days(1)), (Threshold::AtExpiry, exp)]);
}

#[test]
fn a_token_added_already_expired_or_overdue_for_rotation_does_not_fire() {
    let added = at(2026, 12, 4, 12);
    let e = IndexEntry {
        since: Some(added),
        ..entry("old", Some(added - Duration::days(3)), Some(added - Duration::days(40)))
    };
    let s = run(added + Duration::hours(1), &[e], &ReminderState::default());
    assert!(s.due.is_empty() && s.covered.is_empty(), "{:?}", s.due);
    assert_eq!(s.next_wake, None);
}
