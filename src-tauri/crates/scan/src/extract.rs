//! Values in a text, line by line: runs of the characters tokens are made of, each named by the
//! catalog's `detect` (which matches whole strings at their exact documented length and alphabet,
//! so a truncated or over-long `glpat-…` is no match). A `KEY=value` line whose name says it holds a
//! secret gives a [`Certainty::Possible`] candidate when no format matches its value.

use secrecy::SecretString;
use tokenwarden_providers::{detect, known_prefix, Confidence};

use crate::{is_placeholder, Certainty};

/// Shortest run worth looking at: no catalog format is shorter.
const MIN_LEN: usize = 16;
/// Longest run looked at (a token is far shorter; a base64 blob is not one).
const MAX_LEN: usize = 512;
/// Names of variables and keys that hold secrets.
const SECRET_NAMES: &[&str] = &["token", "secret", "api_key", "apikey", "password", "passwd", "auth"];

/// A value found in a text, before the caller attaches the file.
pub(crate) struct Found {
    pub line: usize,
    pub column: usize,
    pub value: String,
    pub certainty: Certainty,
}

/// What a scan of a text counted besides its findings.
#[derive(Default)]
pub(crate) struct Tally {
    pub placeholders: u64,
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Every run of token characters in `line`, with its 1-based character column.
fn runs(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, column)
    for (column, (byte, c)) in line.char_indices().enumerate() {
        match (is_token_char(c), start) {
            (true, None) => start = Some((byte, column + 1)),
            (false, Some((b, col))) => {
                out.push((col, &line[b..byte]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some((b, col)) = start {
        out.push((col, &line[b..]));
    }
    out.into_iter()
}

/// Classifies one value: `None` when it is nothing (or a placeholder, counted in `tally`).
pub(crate) fn classify(value: &str, tally: &mut Tally) -> Option<Certainty> {
    // A known prefix followed by a mask (`ghp_xxxx…`) is a placeholder even though no format
    // (nor GitHub's checksum) matches it; anything else must match a format first.
    if known_prefix(value).is_some() && is_placeholder(value) {
        tally.placeholders += 1;
        return None;
    }
    let detection = detect(value)?;
    if is_placeholder(value) {
        tally.placeholders += 1;
        return None;
    }
    Some(if detection.confidence == Confidence::Low { Certainty::Possible } else { Certainty::Likely })
}

/// Scans a text line by line for values a provider format matches, and for long values assigned
/// to names that hold secrets.
pub(crate) fn scan_text(text: &str, tally: &mut Tally) -> Vec<Found> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut line_found = false;
        for (column, run) in runs(line) {
            let run = run.trim_end_matches(['.', '-']);
            if run.len() < MIN_LEN || run.len() > MAX_LEN {
                continue;
            }
            if let Some(certainty) = classify(run, tally) {
                found.push(Found { line: index + 1, column, value: run.to_owned(), certainty });
                line_found = true;
            }
        }
        if !line_found {
            if let Some((column, value)) = assigned_secret(line) {
                if is_placeholder(value) {
                    tally.placeholders += 1;
                } else {
                    found.push(Found {
                        line: index + 1,
                        column,
                        value: value.to_owned(),
                        certainty: Certainty::Possible,
                    });
                }
            }
        }
    }
    found
}

/// `NAME=value` or `name: value` where the name says it holds a secret and the value is long
/// and mixed like a generated one. Returns the value's column and text.
fn assigned_secret(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start().trim_start_matches("export ");
    let split = trimmed.find(['=', ':'])?;
    let (name, rest) = trimmed.split_at(split);
    let name = name.trim().to_ascii_lowercase();
    if name.is_empty() || name.contains(char::is_whitespace) || !SECRET_NAMES.iter().any(|s| name.contains(s)) {
        return None;
    }
    let value = rest[1..].trim().trim_matches(['"', '\'']);
    let mixed = value.bytes().any(|b| b.is_ascii_digit()) && value.bytes().any(|b| b.is_ascii_alphabetic());
    if value.len() < 20 || value.len() > MAX_LEN || value.contains(char::is_whitespace) || !mixed {
        return None;
    }
    let byte = line.find(value)?;
    Some((line[..byte].chars().count() + 1, value))
}

/// A value as a secret, for the caller. Keeps no copy.
pub(crate) fn secret(value: String) -> SecretString {
    SecretString::from(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(usize, usize, String, Certainty)> {
        scan_text(text, &mut Tally::default()).into_iter().map(|f| (f.line, f.column, f.value, f.certainty)).collect()
    }

    #[test]
    fn a_token_in_a_line_is_found_with_its_line_and_column() {
        let text = "# deploy\nexport GITLAB_TOKEN=glpat-Ab3dEf5hIj7lMn9pQr1t\n";
        assert_eq!(values(text), vec![(2, 21, "glpat-Ab3dEf5hIj7lMn9pQr1t".to_owned(), Certainty::Likely)]);
    }

    #[test]
    fn truncated_or_overlong_prefixed_values_are_not_tokens() {
        // glpat- takes exactly 20 characters after the prefix.
        assert!(values("x glpat-Ab3dEf5hIj7lMn9pQr1 y").is_empty(), "one short");
        assert!(values("x glpat-Ab3dEf5hIj7lMn9pQr1tZ y").is_empty(), "one long");
    }

    #[test]
    fn placeholders_are_counted_and_not_reported() {
        let mut tally = Tally::default();
        let found = scan_text("GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", &mut tally);
        assert!(found.is_empty());
        assert_eq!(tally.placeholders, 1);
    }

    #[test]
    fn a_long_mixed_value_under_a_secret_name_is_only_possible() {
        let found = values("PAYMENTS_API_KEY=\"q8Zr2Lm5Vt9Kw3Nx7Bc1Hd4F\"\n");
        assert_eq!(found, vec![(1, 19, "q8Zr2Lm5Vt9Kw3Nx7Bc1Hd4F".to_owned(), Certainty::Possible)]);
        assert!(values("DEBUG_MODE=enabled-for-all-users-2\n").is_empty(), "not a secret name");
        assert!(values("PASSWORD=short1\n").is_empty(), "too short");
    }
}
