//! The one text form of an instant in the vault's database and in our files: RFC 3339, UTC, whole
//! seconds, `Z` (`2026-11-27T10:00:00Z`). It sorts as it compares.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};

use crate::error::{Error, Result};

/// The stored text of `t`.
pub fn encode(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn decode(raw: &str) -> Result<DateTime<Utc>> {
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
            assert_eq!(decode(raw).unwrap(), general);
        }
        assert!(parse_storage_form(b"2027-02-29T00:00:00Z").is_none(), "not a leap year");
        assert!(parse_storage_form(b"2026-11-27T24:00:00Z").is_none());
        assert!(decode("2026-11-27T10:00:00+01:00").is_ok(), "other forms still parse");
    }

    #[test]
    fn storage_form_round_trips_and_sorts_as_time() {
        let a = at("2026-11-27T10:00:00Z");
        let b = at("2027-01-01T00:00:00Z");
        assert_eq!(decode(&encode(a)).unwrap(), a);
        assert!(encode(a) < encode(b));
    }
}
