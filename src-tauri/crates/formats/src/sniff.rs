//! Telling a file's format from its first bytes, so `--format auto` is the default that works.

use crate::error::Result;
use crate::reading;
use crate::{Format, Input};

/// How many bytes of a file are looked at to guess a text format.
const SNIFF_BYTES: usize = 64 * 1024;

/// Guesses the format of a file from its contents (never from its name alone).
pub fn detect_format(input: &Input<'_>) -> Result<Format> {
    let bytes = input.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input.bytes);
    if bytes.starts_with(b"age-encryption.org/") || bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----") {
        return Ok(Format::Backup);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Format::OnePux);
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    // Cut at a character boundary: the sniffed prefix may end inside a multi-byte character.
    let head = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
        Err(_) => {
            reading::utf8(input)?;
            ""
        }
    };
    let trimmed = head.trim_start();
    if trimmed.is_empty() {
        return Err(input.error("the whole file", "contents", "is empty"));
    }
    if trimmed.starts_with('<') {
        if trimmed.contains("<KeePassFile") {
            return Ok(Format::KeepassxcXml);
        }
        return Err(input.error("line 1", "format", "is XML but not a KeePassXC export (no <KeePassFile>)"));
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Ok(detect_json(trimmed));
    }
    let first_line = trimmed.lines().next().unwrap_or_default();
    let header = first_line.to_ascii_lowercase().replace('"', "");
    let cells: Vec<&str> = header.split([',', ';']).map(str::trim).collect();
    let has = |name: &str| cells.contains(&name);
    if has("group") && has("title") && has("username") && has("password") {
        return Ok(Format::KeepassxcCsv);
    }
    if has("title") && (has("website") || has("url") || has("urls")) && has("password") && has("otpauth") {
        return Ok(Format::OnePasswordCsv);
    }
    if cells.len() >= 2 && !first_line.contains('=') {
        return Ok(Format::Csv);
    }
    if looks_like_env(head) {
        return Ok(Format::Env);
    }
    if cells.len() >= 2 {
        return Ok(Format::Csv);
    }
    Err(input.error(
        "line 1",
        "format",
        "is not a format Tokenwarden recognises; name one with --format (see `tokenwarden-cli import --help`)",
    ))
}

fn detect_json(text: &str) -> Format {
    // Keys near the start tell the formats apart without parsing a possibly huge document.
    let window = &text[..text.len().min(4096)];
    if window.contains("\"tokenwarden\"") {
        Format::Json
    } else if window.contains("\"RuleID\"") {
        Format::Gitleaks
    } else if window.contains("\"DetectorName\"") || window.contains("\"SourceMetadata\"") {
        Format::Trufflehog
    } else if window.contains("\"encrypted\"") || window.contains("\"items\"") || window.contains("\"folders\"") {
        Format::BitwardenJson
    } else {
        Format::Json
    }
}

fn looks_like_env(text: &str) -> bool {
    let mut assignments = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let line = line.strip_prefix("export ").unwrap_or(line);
        match line.split_once('=') {
            Some((key, _)) if !key.is_empty() && key.trim().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => {
                assignments += 1
            }
            _ => return false,
        }
    }
    assignments > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(text: &str) -> Format {
        detect_format(&Input { name: "f", bytes: text.as_bytes() }).unwrap()
    }

    #[test]
    fn formats_are_told_apart_by_content() {
        assert_eq!(detect("age-encryption.org/v1\n-> scrypt"), Format::Backup);
        assert_eq!(detect("\u{feff}name,token\nx,y"), Format::Csv);
        assert_eq!(detect("name;secret\nx;y"), Format::Csv);
        assert_eq!(detect("# comment\nexport API_KEY=\"abc\"\nPORT=1"), Format::Env);
        assert_eq!(detect("\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\"\n"), Format::KeepassxcCsv);
        assert_eq!(detect("<?xml version=\"1.0\"?>\n<KeePassFile>"), Format::KeepassxcXml);
        assert_eq!(detect("[{\"Description\":\"x\",\"RuleID\":\"github-pat\"}]"), Format::Gitleaks);
        assert_eq!(detect("{\"SourceMetadata\":{},\"DetectorName\":\"Github\"}"), Format::Trufflehog);
        assert_eq!(detect("{\"encrypted\":false,\"items\":[]}"), Format::BitwardenJson);
        assert_eq!(detect("{\"format\":\"tokenwarden\"}"), Format::Json);
    }

    #[test]
    fn unknown_and_empty_files_say_so() {
        let err = detect_format(&Input { name: "f.txt", bytes: b"just some words" }).unwrap_err().to_string();
        assert!(err.contains("--format"), "{err}");
        let err = detect_format(&Input { name: "f.txt", bytes: b"  \n" }).unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
    }
}
