//! Parsing of the date and header formats providers use: GitHub's expiry header, GitLab's
//! expiry dates, Vercel's millisecond epochs, Retry-After. Pure functions, so the time "now" is
//! always passed in.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// GitHub's `github-authentication-token-expiration` header: `2026-12-31 23:59:59 UTC` or
/// `2026-12-31 23:59:59 +0000` (GitHub has sent both); RFC 3339 is accepted too.
pub(crate) fn github_expiration(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Some(naive) =
        raw.strip_suffix(" UTC").and_then(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok())
    {
        return Some(naive.and_utc());
    }
    DateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S %z")
        .or_else(|_| DateTime::parse_from_rfc3339(raw))
        .ok()
        .map(|dt| dt.with_timezone(&Utc))
}

/// A comma-separated scope header (`X-OAuth-Scopes: repo, read:org`). An empty header means "no
/// scopes" (`Some(vec![])`); an absent one means "this kind of token has no scopes" (`None`, the
/// caller decides).
pub(crate) fn scope_list(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|scope| !scope.is_empty()).map(str::to_owned).collect()
}

/// GitLab's `expires_at` is a date; its docs say a token expires "on the date you define, at
/// midnight, 00:00 AM UTC". We read that as the start of that day (`2026-06-30` →
/// 2026-06-30T00:00:00Z), the cautious reading: a reminder fires a day early, never late.
/// Full timestamps are accepted too.
pub(crate) fn gitlab_expiry(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Some(date.and_time(NaiveTime::MIN).and_utc());
    }
    rfc3339(raw)
}

/// The date to send GitLab so the new token lives at least until `at`: GitLab expires at the
/// start of the given day, so anything after midnight rounds up to the next day.
pub(crate) fn gitlab_expiry_date(at: DateTime<Utc>) -> NaiveDate {
    let date = at.date_naive();
    if at.time() == NaiveTime::MIN {
        date
    } else {
        date.succ_opt().unwrap_or(date)
    }
}

pub(crate) fn rfc3339(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw.trim()).ok().map(|dt| dt.with_timezone(&Utc))
}

/// Milliseconds since the Unix epoch (Vercel).
pub(crate) fn epoch_millis(ms: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single()
}

/// `Retry-After`: delta-seconds, or an HTTP date (counted from `now`; a past date means 0).
pub(crate) fn retry_after(raw: &str, now: DateTime<Utc>) -> Option<u64> {
    let raw = raw.trim();
    if let Ok(secs) = raw.parse::<u64>() {
        return Some(secs);
    }
    let at = DateTime::parse_from_rfc2822(raw).ok()?.with_timezone(&Utc);
    Some(u64::try_from((at - now).num_seconds()).unwrap_or(0))
}

/// GitHub's `x-ratelimit-reset` (epoch seconds) as seconds from `now`.
pub(crate) fn seconds_until_epoch(raw: &str, now: DateTime<Utc>) -> Option<u64> {
    let reset = raw.trim().parse::<i64>().ok()?;
    Some(u64::try_from(reset - now.timestamp()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(raw: &str) -> DateTime<Utc> {
        rfc3339(raw).unwrap()
    }

    #[test]
    fn github_expiration_header_parses_in_both_spellings() {
        assert_eq!(github_expiration("2026-12-31 23:59:59 UTC"), Some(utc("2026-12-31T23:59:59Z")));
        assert_eq!(github_expiration("2026-12-31 23:59:59 +0000"), Some(utc("2026-12-31T23:59:59Z")));
        assert_eq!(github_expiration("2026-12-31 23:59:59 +0200"), Some(utc("2026-12-31T21:59:59Z")));
        assert_eq!(github_expiration("2026-12-31T23:59:59Z"), Some(utc("2026-12-31T23:59:59Z")));
        assert_eq!(github_expiration("never"), None);
        assert_eq!(github_expiration(""), None);
    }

    #[test]
    fn scope_headers_split_on_commas_and_drop_blanks() {
        assert_eq!(scope_list("repo, read:org,gist"), vec!["repo", "read:org", "gist"]);
        assert!(scope_list("").is_empty());
        assert!(scope_list(" , ").is_empty());
    }

    #[test]
    fn gitlab_dates_mean_midnight_utc_at_the_start_of_that_day() {
        assert_eq!(gitlab_expiry("2026-06-30"), Some(utc("2026-06-30T00:00:00Z")));
        assert_eq!(gitlab_expiry("2026-06-30T12:00:00.000Z"), Some(utc("2026-06-30T12:00:00Z")));
        assert_eq!(gitlab_expiry("30/06/2026"), None);
    }

    #[test]
    fn gitlab_expiry_requests_round_up_to_the_next_midnight() {
        assert_eq!(gitlab_expiry_date(utc("2026-06-30T00:00:00Z")).to_string(), "2026-06-30");
        assert_eq!(gitlab_expiry_date(utc("2026-06-30T00:00:01Z")).to_string(), "2026-07-01");
        assert_eq!(gitlab_expiry_date(utc("2026-12-31T23:59:59Z")).to_string(), "2027-01-01");
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = utc("2026-01-01T00:00:00Z");
        assert_eq!(retry_after("30", now), Some(30));
        assert_eq!(retry_after(" 0 ", now), Some(0));
        assert_eq!(retry_after("Thu, 01 Jan 2026 00:01:00 GMT", now), Some(60));
        assert_eq!(retry_after("Wed, 31 Dec 2025 23:00:00 GMT", now), Some(0));
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-5", now), None);
    }

    #[test]
    fn ratelimit_reset_counts_from_now() {
        let now = utc("2026-01-01T00:00:00Z");
        let reset = (now.timestamp() + 90).to_string();
        assert_eq!(seconds_until_epoch(&reset, now), Some(90));
        assert_eq!(seconds_until_epoch("0", now), Some(0));
        assert_eq!(seconds_until_epoch("x", now), None);
    }

    #[test]
    fn vercel_millisecond_epochs_convert() {
        assert_eq!(epoch_millis(1_767_225_600_000), Some(utc("2026-01-01T00:00:00Z")));
    }
}
