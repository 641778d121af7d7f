//! Dates and durations as people type them (`90d`, `2027-01-31`, `never`) and time left as people
//! read it ("in 6 days", "expired 2 days ago"). Every function takes `now`; none reads the clock.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

use crate::error::{Error, Result};

/// The longest span, in whole days, taken from outside (a file, a setting, an import, the
/// reminder index, a typed duration): 100 years. Anything longer is a mistake or hostile, and
/// near chrono's limits a bare `+` would panic.
pub const MAX_DAYS: u32 = 36_500;

/// The earliest and latest instants taken from outside: the years 1970 to 9999, so that every
/// stored date keeps its fixed RFC 3339 form and day arithmetic around it cannot overflow.
pub fn instant_in_range(t: DateTime<Utc>) -> bool {
    (1970..=9999).contains(&t.year())
}

/// Checks a day count from outside: a whole number of days, 1 to [`MAX_DAYS`].
pub fn check_days(field: &str, days: u32) -> Result<u32> {
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(Error::invalid(field, format!("{days} is not between 1 and {MAX_DAYS} days")));
    }
    Ok(days)
}

/// Checks an instant from outside (see [`instant_in_range`]).
pub fn check_instant(field: &str, t: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if !instant_in_range(t) {
        return Err(Error::invalid(field, format!("{} is not between the years 1970 and 9999", t.year())));
    }
    Ok(t)
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

/// Parses a point in time: RFC 3339, `YYYY-MM-DDTHH:MM[:SS]` (UTC) or `YYYY-MM-DD` (midnight UTC).
pub fn parse_instant(field: &str, raw: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(raw, format) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
    Err(Error::invalid(
        field,
        format!("'{raw}' is not a date: use 2027-01-31, 2027-01-31T12:00, an RFC 3339 time, a duration such as 90d, or never"),
    ))
}

/// The one text form stored in the database: UTC, whole seconds, `Z`. It sorts as it compares.
pub fn to_storage(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn from_storage(raw: &str) -> Result<DateTime<Utc>> {
    // Fast path for the one form we write (`2026-11-27T10:00:00Z`): lists parse tens of
    // thousands of these, and the general RFC 3339 parser is several times slower.
    if let Some(t) = parse_storage_form(raw.as_bytes()) {
        return Ok(t);
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Internal(format!("stored time '{raw}' is not RFC 3339")))
}

fn parse_storage_form(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let time = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    Some(Utc.from_utc_datetime(&time))
}

/// Whole days left, rounded down: 0 while less than a day remains, negative once expired.
pub fn days_left(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (expires_at - now).num_seconds().div_euclid(86_400)
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

    #[test]
    fn storage_fast_path_agrees_with_the_general_parser() {
        for raw in ["2026-11-27T10:00:00Z", "2028-02-29T23:59:59Z", "1999-01-01T00:00:00Z"] {
            let general = DateTime::parse_from_rfc3339(raw).unwrap().with_timezone(&Utc);
            assert_eq!(from_storage(raw).unwrap(), general);
        }
        assert!(parse_storage_form(b"2027-02-29T00:00:00Z").is_none(), "not a leap year");
        assert!(parse_storage_form(b"2026-11-27T24:00:00Z").is_none());
        assert!(from_storage("2026-11-27T10:00:00+01:00").is_ok(), "other forms still parse");
    }

    #[test]
    fn storage_form_round_trips_and_sorts_as_time() {
        let a = at("2026-11-27T10:00:00Z");
        let b = at("2027-01-01T00:00:00Z");
        assert_eq!(from_storage(&to_storage(a)).unwrap(), a);
        assert!(to_storage(a) < to_storage(b));
    }
}
