//! Dates as files and the vault hold them: the one stored text form (RFC 3339, UTC, whole
//! seconds), and the range every date or day count from outside must fall in.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(raw).unwrap().with_timezone(&Utc)
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
