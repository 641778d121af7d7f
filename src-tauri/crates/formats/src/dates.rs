//! Dates as files and the vault hold them: the one stored text form (RFC 3339, UTC, whole
//! seconds), and the range every date or day count from outside must fall in.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};

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
    // A bare date, the common case in a spreadsheet, first: none of the forms with a time can
    // match ten characters, so trying them first only costs (an import reads 10,000 of these).
    if raw.len() == 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-' {
        if let Some(t) = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
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

/// Whole days left, rounded down: 0 while less than a day remains, negative once expired.
pub fn days_left(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (expires_at - now).num_seconds().div_euclid(86_400)
}
