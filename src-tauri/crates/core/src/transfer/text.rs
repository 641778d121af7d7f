//! Helpers every reader shares: decoding text, bounding JSON, lenient dates, splitting tag lists,
//! and telling a token-like value from an ordinary setting.

use chrono::{DateTime, TimeZone, Utc};

use super::{Input, MAX_FIELD_BYTES, MAX_JSON_DEPTH};
use crate::error::Result;
use crate::expiry;

/// The file as UTF-8 text without a byte-order mark. Invalid UTF-8 names the line it is on.
pub(crate) fn utf8<'a>(input: &Input<'a>) -> Result<&'a str> {
    let bytes = input.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input.bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(input.error("the whole file", "encoding", "is UTF-16; save it as UTF-8 and import it again"));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        input.error(format!("line {line}"), "encoding", "is not valid UTF-8; save the file as UTF-8")
    })
}

/// Refuses JSON nested deeper than [`MAX_JSON_DEPTH`] before any parser recurses into it.
pub(crate) fn check_json_depth(input: &Input<'_>, text: &str) -> Result<()> {
    let (mut depth, mut in_string, mut escaped, mut line) = (0usize, false, false, 1usize);
    for b in text.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(input.error(
                        format!("line {line}"),
                        "structure",
                        format!("JSON is nested more than {MAX_JSON_DEPTH} levels deep"),
                    ));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// A serde_json error without the value it choked on (which could be a secret).
pub(crate) fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "the file ends in the middle of a value (truncated?)".to_owned(),
        Category::Syntax => "is not valid JSON here".to_owned(),
        Category::Data => "a value has the wrong type".to_owned(),
        Category::Io => "could not be read".to_owned(),
    }
}

/// A field's text, trimmed, with empty meaning absent; longer than [`MAX_FIELD_BYTES`] is an error.
pub(crate) fn field(input: &Input<'_>, at: &str, name: &str, raw: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = raw else { return Ok(None) };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.len() > MAX_FIELD_BYTES {
        return Err(input.error(at, name, format!("is longer than {} KiB", MAX_FIELD_BYTES / 1024)));
    }
    Ok(Some(trimmed.to_owned()))
}

/// A date in any of the forms exports use: RFC 3339, `YYYY-MM-DD[ HH:MM[:SS]]`, or Unix seconds.
/// `None` when the text is none of these (the caller records a problem and leaves the date out).
pub(crate) fn lenient_date(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    if let Ok(t) = expiry::parse_instant("date", raw) {
        return Some(t);
    }
    if raw.len() <= 12 && raw.bytes().all(|b| b.is_ascii_digit()) {
        return raw.parse::<i64>().ok().and_then(|s| Utc.timestamp_opt(s, 0).single());
    }
    None
}

/// Splits a tag or scope list written with `,`, `;` or spaces between items.
pub(crate) fn split_list(raw: &str) -> Vec<String> {
    raw.split([',', ';', ' ', '\n', '\t']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Whether a value looks like a credential rather than an ordinary setting: a known provider
/// prefix, or 16+ characters of token alphabet with both letters and digits and no spaces.
pub(crate) fn looks_like_token(value: &str) -> bool {
    if tokenwarden_providers::known_prefix(value).is_some() && value.len() >= 12 {
        return true;
    }
    let long_enough = value.len() >= 16 && value.len() <= 4096;
    let alphabet = value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./+=:~".contains(&b));
    let has_digit = value.bytes().any(|b| b.is_ascii_digit());
    let has_letter = value.bytes().any(|b| b.is_ascii_alphabetic());
    let is_url_or_path = value.contains("://") || value.starts_with('/') || value.starts_with("./");
    long_enough && alphabet && has_digit && has_letter && !is_url_or_path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(bytes: &[u8]) -> Input<'_> {
        Input { name: "f", bytes }
    }

    #[test]
    fn deep_json_is_refused_before_parsing() {
        let deep = "[".repeat(10_000);
        let err = check_json_depth(&input(deep.as_bytes()), &deep).unwrap_err().to_string();
        assert!(err.contains("nested more than"), "{err}");
        let fine = "[[[\"[[[[[[\"]]]";
        check_json_depth(&input(fine.as_bytes()), fine).unwrap();
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let err = utf8(&input(b"a\nb\n\xff")).unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("UTF-8"), "{err}");
        assert_eq!(utf8(&input(b"\xEF\xBB\xBFname")).unwrap(), "name");
    }

    #[test]
    fn token_like_values_are_told_from_settings() {
        assert!(looks_like_token("ghp_0123456789abcdefghijklmnopqrstuvwxyz"));
        assert!(looks_like_token("sk-proj-Ab12Cd34Ef56Gh78"));
        assert!(!looks_like_token("production"));
        assert!(!looks_like_token("https://example.com/a1b2c3d4e5f6"));
        assert!(!looks_like_token("8080"));
        assert!(!looks_like_token("a sentence with 12345 spaces in it"));
    }

    #[test]
    fn dates_in_export_forms_parse() {
        assert_eq!(lenient_date("2027-01-31").unwrap().to_rfc3339(), "2027-01-31T00:00:00+00:00");
        assert_eq!(lenient_date("1800000000").unwrap().timestamp(), 1_800_000_000);
        assert!(lenient_date("next tuesday").is_none());
    }
}
