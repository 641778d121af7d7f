//! Dates and durations as people type them (`90d`, `2027-01-31`, `never`) and time left as people
//! read it ("in 6 days", "expired 2 days ago"). Every function takes `now`; none reads the clock.

use chrono::{DateTime, Datelike, Duration, Utc};

use crate::error::{Error, Result};
use tokenwarden_formats::dates;

pub use dates::{days_left, instant_in_range, MAX_DAYS};

/// Checks a day count from outside: a whole number of days, 1 to [`MAX_DAYS`].
pub fn check_days(field: &str, days: u32) -> Result<u32> {
    Ok(dates::check_days(field, days)?)
}

/// Checks an instant from outside (see [`instant_in_range`]).
pub fn check_instant(field: &str, t: DateTime<Utc>) -> Result<DateTime<Utc>> {
    Ok(dates::check_instant(field, t)?)
}

/// Parses a point in time: RFC 3339, `YYYY-MM-DDTHH:MM[:SS]` (UTC) or `YYYY-MM-DD` (midnight UTC).
pub fn parse_instant(field: &str, raw: &str) -> Result<DateTime<Utc>> {
    Ok(dates::parse_instant(field, raw)?)
}

/// A date a provider answered with, kept only when [`instant_in_range`]; otherwise dropped with
/// a warning on stderr (the rest of the answer still counts).
pub fn from_provider(what: &str, at: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    at.filter(|t| {
        let in_range = instant_in_range(*t);
        if !in_range {
            eprintln!("tokenwarden: ignoring the provider's {what} in the year {}: out of range", t.year());
        }
        in_range
    })
}

/// `t` plus `span`, or `None` when that is past what a date can hold (never a panic).
pub fn add(t: DateTime<Utc>, span: Duration) -> Option<DateTime<Utc>> {
    t.checked_add_signed(span)
}

/// `t` plus `days` whole days (negative: minus), or `None` when that cannot be represented.
pub fn add_days(t: DateTime<Utc>, days: i64) -> Option<DateTime<Utc>> {
    Duration::try_days(days).and_then(|span| t.checked_add_signed(span))
}

/// Parses a duration: a whole number followed by `h`, `d`, `w`, `m` (30 days) or `y` (365 days).
pub fn parse_duration(field: &str, raw: &str) -> Result<Duration> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (digits, unit) = raw.split_at(split);
    let amount: i64 = digits.parse().map_err(|_| duration_error(field, raw))?;
    let too_far = || Error::invalid(field, format!("'{raw}' is too far away (at most 100 years)"));
    let hours_per_unit = match unit.to_ascii_lowercase().as_str() {
        "h" => 1,
        "d" => 24,
        "w" => 7 * 24,
        "m" => 30 * 24,
        "y" => 365 * 24,
        _ => return Err(duration_error(field, raw)),
    };
    let hours = amount.checked_mul(hours_per_unit).ok_or_else(too_far)?;
    if hours > i64::from(MAX_DAYS) * 24 {
        return Err(too_far());
    }
    Duration::try_hours(hours).ok_or_else(too_far)
}

fn duration_error(field: &str, raw: &str) -> Error {
    Error::invalid(
        field,
        format!("'{raw}' is not a duration: use a number and a unit, such as 24h, 90d, 12w, 6m or 1y"),
    )
}

/// Parses an expiry: `never`/`none`, a duration from `now` (`90d`), a date (`2027-01-31`, meaning
/// midnight UTC at its start), or a date and time (RFC 3339, or `2027-01-31T12:00` taken as UTC).
pub fn parse_expiry(raw: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    let trimmed = raw.trim();
    if matches!(trimmed.to_ascii_lowercase().as_str(), "never" | "none" | "") {
        return Ok(None);
    }
    if trimmed.starts_with(|c: char| c.is_ascii_digit())
        && trimmed.ends_with(|c: char| c.is_ascii_alphabetic())
        && !trimmed.contains('-')
    {
        let span = parse_duration("expires", trimmed)?;
        return add(now, span)
            .map(Some)
            .ok_or_else(|| Error::invalid("expires", format!("'{trimmed}' from now is past any date")));
    }
    parse_instant("expires", trimmed).and_then(|t| check_instant("expires", t)).map(Some)
}

/// "in 3 h", "in 6 days", "in 5 weeks", "in 8 months", "expired 2 days ago", "no expiry".
pub fn countdown(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(expires_at) = expires_at else {
        return "no expiry".to_owned();
    };
    let left = expires_at - now;
    if left.num_seconds() > 0 {
        format!("in {}", span_words(left))
    } else {
        format!("expired {} ago", span_words(-left))
    }
}

/// Rounds to the nearest unit, so a token added "for 6 days" a moment ago still reads "in 6 days".
fn span_words(span: Duration) -> String {
    let secs = span.num_seconds().max(0) as f64;
    let round = |unit: f64| (secs / unit).round() as i64;
    let plural = |n: i64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    let days = round(86_400.0);
    if secs < 3_600.0 {
        format!("{} min", round(60.0).max(1))
    } else if secs < 84_600.0 {
        format!("{} h", round(3_600.0))
    } else if days < 14 {
        plural(days, "day")
    } else if days < 60 {
        plural(round(7.0 * 86_400.0), "week")
    } else if days < 730 {
        plural(round(30.0 * 86_400.0), "month")
    } else {
        plural(round(365.0 * 86_400.0), "year")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        parse_instant("t", s).unwrap()
    }

    #[test]
    fn durations_accept_hours_days_weeks_months_years() {
        assert_eq!(parse_duration("f", "24h").unwrap(), Duration::hours(24));
        assert_eq!(parse_duration("f", "90d").unwrap(), Duration::days(90));
        assert_eq!(parse_duration("f", "2w").unwrap(), Duration::days(14));
        assert_eq!(parse_duration("f", "6m").unwrap(), Duration::days(180));
        assert_eq!(parse_duration("f", "1Y").unwrap(), Duration::days(365));
    }

    #[test]
    fn bad_durations_say_what_is_expected() {
        for raw in ["", "d", "90", "9x", "-3d", "1.5d", "99999999999999999999d", "40000y", "99999999999d", "101y"] {
            let err = parse_duration("expiring-within", raw).unwrap_err().to_string();
            assert!(err.starts_with("expiring-within:"), "{raw}: {err}");
        }
    }

    #[test]
    fn expiry_accepts_durations_dates_datetimes_and_never() {
        let now = at("2026-11-27T10:00:00Z");
        assert_eq!(parse_expiry("90d", now).unwrap(), Some(at("2027-02-25T10:00:00Z")));
        assert_eq!(parse_expiry("2027-01-31", now).unwrap(), Some(at("2027-01-31T00:00:00Z")));
        assert_eq!(parse_expiry("2027-01-31T12:30", now).unwrap(), Some(at("2027-01-31T12:30:00Z")));
        assert_eq!(parse_expiry("2027-01-31T12:30:00+02:00", now).unwrap(), Some(at("2027-01-31T10:30:00Z")));
        assert_eq!(parse_expiry("never", now).unwrap(), None);
        assert!(parse_expiry("2027-02-30", now).is_err());
        assert!(parse_expiry("tomorrow", now).is_err());
    }

    #[test]
    fn days_left_rounds_down_and_goes_negative_after_expiry() {
        let now = at("2026-11-27T10:00:00Z");
        assert_eq!(days_left(at("2026-12-03T22:00:00Z"), now), 6);
        assert_eq!(days_left(at("2026-11-27T10:05:00Z"), now), 0);
        assert_eq!(days_left(at("2026-11-27T09:55:00Z"), now), -1);
        assert_eq!(days_left(at("2026-11-25T10:00:00Z"), now), -2);
    }

    #[test]
    fn countdown_reads_like_a_person_would_say_it() {
        let now = at("2026-11-27T10:00:00Z");
        let cases = [
            ("2026-11-27T13:00:00Z", "in 3 h"),
            ("2026-12-03T10:00:00Z", "in 6 days"),
            ("2026-11-28T10:00:00Z", "in 1 day"),
            ("2027-01-01T10:00:00Z", "in 5 weeks"),
            ("2027-07-27T10:00:00Z", "in 8 months"),
            ("2026-11-25T10:00:00Z", "expired 2 days ago"),
            ("2026-11-27T09:59:00Z", "expired 1 min ago"),
            ("2026-12-03T09:59:59Z", "in 6 days"),
            ("2026-11-28T09:00:00Z", "in 23 h"),
        ];
        for (expires, words) in cases {
            assert_eq!(countdown(Some(at(expires)), now), words, "{expires}");
        }
        assert_eq!(countdown(None, now), "no expiry");
    }
}
