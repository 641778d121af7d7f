//! The one text form of an instant in the vault's database and in our files: RFC 3339, UTC, whole
//! seconds, `Z` (`2026-11-27T10:00:00Z`). It sorts as it compares.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, TimeZone, Timelike, Utc};

use crate::error::{Error, Result};

/// The stored text of `t` (any fraction of a second is left out).
pub fn encode(t: DateTime<Utc>) -> String {
    let mut buf = [0u8; 20];
    match storage_form(t, &mut buf) {
        Some(text) => text.to_owned(),
        None => t.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

/// `t` in the storage form, written digit by digit into `buf`: an import or a reminder index
/// writes tens of thousands of these, and chrono's formatter costs several times more. `None` for
/// what only chrono spells: a year outside 0 to 9999, or a leap second.
pub fn storage_form(t: DateTime<Utc>, buf: &mut [u8; 20]) -> Option<&str> {
    let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
    if t.nanosecond() >= 1_000_000_000 {
        return None;
    }
    *buf = *b"0000-00-00T00:00:00Z";
    let mut put = |end: usize, mut value: u32| {
        for at in (end - if end == 4 { 4 } else { 2 }..end).rev() {
            buf[at] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(4, year);
    put(7, t.month());
    put(10, t.day());
    put(13, t.hour());
    put(16, t.minute());
    put(19, t.second());
    std::str::from_utf8(buf).ok()
}

/// Serializes an instant as chrono's serde does (`2026-11-27T10:00:00Z`), through
/// [`storage_form`] when it has no fraction of a second (for `#[serde(serialize_with)]`).
pub fn serialize<S: serde::Serializer>(t: &DateTime<Utc>, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    let mut buf = [0u8; 20];
    match storage_form(*t, &mut buf).filter(|_| t.nanosecond() == 0) {
        Some(text) => serializer.serialize_str(text),
        None => serde::Serialize::serialize(t, serializer),
    }
}

/// [`serialize`] for an optional instant (`null` when there is none).
pub fn serialize_opt<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    match t {
        Some(t) => serialize(t, serializer),
        None => serializer.serialize_none(),
    }
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
    fn the_digit_writer_spells_every_instant_as_chrono_does() {
        // Instants spread over years 0 to 9999 (a fixed-step walk, so the test is the same every
        // run), every second of one day, the ends of the range, and instants with fractions.
        let mut instants: Vec<DateTime<Utc>> = Vec::new();
        let year_0 = Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(0, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap());
        let (first, last) = (year_0.timestamp(), at("9999-12-31T23:59:59Z").timestamp());
        let step = (last - first) / 20_011;
        instants.extend((0..=20_011).filter_map(|i| DateTime::from_timestamp(first + i * step, 0)));
        let day = at("2028-02-29T00:00:00Z").timestamp();
        instants.extend((0..86_400).filter_map(|s| DateTime::from_timestamp(day + s, 0)));
        instants.extend([year_0, at("9999-12-31T23:59:59Z"), at("2026-11-27T10:00:00.5Z")]);
        instants.extend(DateTime::from_timestamp(1_790_000_000, 999_999_999));
        for t in instants {
            assert_eq!(encode(t), t.to_rfc3339_opts(SecondsFormat::Secs, true));
            let json = serde_json::to_string(&t).unwrap();
            let mut ours = Vec::new();
            serialize(&t, &mut serde_json::Serializer::new(&mut ours)).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), json, "serde form of {t:?}");
        }
    }

    #[test]
    fn what_the_digit_writer_cannot_spell_goes_to_chrono() {
        let mut buf = [0u8; 20];
        for year in [-1, 10_000] {
            let t = Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(year, 6, 1).unwrap().and_hms_opt(0, 0, 0).unwrap());
            assert!(storage_form(t, &mut buf).is_none());
            assert_eq!(encode(t), t.to_rfc3339_opts(SecondsFormat::Secs, true));
        }
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_milli_opt(23, 59, 59, 1_500).unwrap();
        let leap = Utc.from_utc_datetime(&leap);
        assert!(storage_form(leap, &mut buf).is_none());
        assert_eq!(encode(leap), leap.to_rfc3339_opts(SecondsFormat::Secs, true));
        let mut none = Vec::new();
        serialize_opt(&None, &mut serde_json::Serializer::new(&mut none)).unwrap();
        assert_eq!(none, b"null");
    }

    #[test]
    fn storage_form_round_trips_and_sorts_as_time() {
        let a = at("2026-11-27T10:00:00Z");
        let b = at("2027-01-01T00:00:00Z");
        assert_eq!(decode(&encode(a)).unwrap(), a);
        assert!(encode(a) < encode(b));
    }
}
