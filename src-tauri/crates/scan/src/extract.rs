//! Values in a text, line by line: runs of the characters tokens are made of, each named by the
//! catalog's `detect` (which matches whole strings at their exact documented length and alphabet,
//! so a truncated or over-long `glpat-…` is no match). A `KEY=value` line whose name says it holds a
//! secret gives a [`Certainty::Possible`] candidate when no format matches its value.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use secrecy::SecretString;
use tokenwarden_providers::{detect, known_prefix, prefilter, Confidence, Detection};

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
    /// The catalog's name for it, when a format matched.
    pub detection: Option<Detection>,
}

/// What a scan of a text counted besides its findings.
#[derive(Default)]
pub(crate) struct Tally {
    pub placeholders: u64,
}

/// Bytes a run of token characters is made of: `[A-Za-z0-9_.-]`.
const fn token_bytes() -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.';
        b += 1;
    }
    table
}
static TOKEN_BYTE: [bool; 256] = token_bytes();

/// Bytes a URL-shaped token (a Slack webhook) continues with: token characters, `/` and `:`.
fn is_url_byte(b: u8) -> bool {
    TOKEN_BYTE[usize::from(b)] || b == b'/' || b == b':'
}

/// The cheap tests that decide which runs are worth handing to `detect`: no run that fails them
/// could match a catalog format, be a known prefix's placeholder, or sit on a line that assigns a
/// secret. Built once from the catalog.
struct Gate {
    /// The catalog's literal prefixes made of token characters, matched at a run's start.
    prefixes: AhoCorasick,
    /// Prefixes holding other characters (a webhook URL), searched for anywhere in the text.
    url_prefixes: Option<AhoCorasick>,
    /// Which first two bytes a prefix starts with (`[b0 * 256 + b1]`): a run failing this needs
    /// no look at the automaton.
    starts: Vec<bool>,
}

/// The gate, or `None` in the one case its automata fail to build (size limits no few dozen short
/// literals reach): then every run goes to `detect`, slower and never wrong.
fn gate() -> Option<&'static Gate> {
    static GATE: OnceLock<Option<Gate>> = OnceLock::new();
    GATE.get_or_init(|| {
        let all = prefilter().prefixes();
        let (runs, urls): (Vec<&String>, Vec<&String>) =
            all.iter().partition(|p| p.bytes().all(|b| TOKEN_BYTE[usize::from(b)]));
        let prefixes = AhoCorasick::builder()
            .start_kind(StartKind::Anchored)
            .match_kind(MatchKind::LeftmostFirst)
            .build(&runs)
            .ok()?;
        let url_prefixes = if urls.is_empty() { None } else { Some(AhoCorasick::new(urls).ok()?) };
        let mut starts = vec![false; 256 * 256];
        for prefix in &runs {
            match *prefix.as_bytes() {
                [b0, b1, ..] => starts[usize::from(b0) * 256 + usize::from(b1)] = true,
                [b0] => starts[usize::from(b0) * 256..][..256].fill(true),
                [] => {}
            }
        }
        Some(Gate { prefixes, url_prefixes, starts })
    })
    .as_ref()
}

/// Whether `run` could be a token: it starts with a catalog prefix, or has the length of a format
/// without one.
fn worth_detecting(gate: Option<&Gate>, run: &[u8]) -> bool {
    let Some(gate) = gate else { return true };
    if prefilter().unprefixed_length(run.len()) {
        return true;
    }
    let [b0, b1, ..] = *run else { return false };
    gate.starts[usize::from(b0) * 256 + usize::from(b1)]
        && gate.prefixes.find(Input::new(run).anchored(Anchored::Yes)).is_some()
}

/// Classifies one value: `None` when it is nothing (or a placeholder, counted in `tally`).
pub(crate) fn classify(value: &str, tally: &mut Tally) -> Option<(Certainty, Detection)> {
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
    let detection = trusted(value, detection)?;
    let certainty = if detection.confidence == Confidence::Low { Certainty::Possible } else { Certainty::Likely };
    Some((certainty, detection))
}

/// The catalog's name for a value, as a scan trusts it: `detect`, except that a shape-only
/// catch-all never claims what is shaped like a provider's prefix (`xxx_…`, `GHP_…`, `npm_…`):
/// that is a foreign or mistyped format, not a token of the catch-all's provider.
pub(crate) fn name_of(value: &str) -> Option<Detection> {
    detect(value).and_then(|d| trusted(value, d))
}

fn trusted(value: &str, detection: Detection) -> Option<Detection> {
    (detection.confidence > Confidence::Low || !has_prefix_shape(value)).then_some(detection)
}

/// Starts like a prefixed format: 2 to 8 letters, then `_` or `-` (and, for `sk_live_`-like
/// prefixes, more letters and a second separator).
fn has_prefix_shape(value: &str) -> bool {
    let letters = value.bytes().take_while(u8::is_ascii_alphabetic).count();
    (2..=8).contains(&letters) && matches!(value.as_bytes().get(letters), Some(b'_' | b'-'))
}

/// 1-based character column of byte `at` in `line`.
fn column(line: &str, at: usize) -> usize {
    line.get(..at).map_or(at, |before| before.chars().count()) + 1
}

/// Scans a text for values a provider format matches, and for long values assigned to names that
/// hold secrets. Runs of token characters shorter than [`MIN_LEN`] are skipped without being read
/// whole, and runs failing the [`Gate`] never reach `detect`; the result is the same as handing
/// every run to it.
pub(crate) fn scan_text(text: &str, tally: &mut Tally) -> Vec<Found> {
    let gate = gate();
    let bytes = text.as_bytes();
    // Values found, as (byte offset, value, certainty, detection), URL-shaped ones first.
    let mut hits: Vec<(usize, &str, Certainty, Detection)> = Vec::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    if let Some(urls) = gate.and_then(|g| g.url_prefixes.as_ref()) {
        for m in urls.find_iter(bytes) {
            let from = m.start();
            let len = bytes[from..].iter().take_while(|&&b| is_url_byte(b)).count();
            let value = text[from..from + len].trim_end_matches(['.', ':', '/']);
            if let Some((certainty, detection)) = classify(value, tally) {
                hits.push((from, value, certainty, detection));
                covered.push((from, from + len));
            }
        }
    }
    // Runs of at least MIN_LEN token bytes. Any such run starting in [p, p + MIN_LEN) holds the
    // byte at p + MIN_LEN - 1, so when that byte is no token byte the whole window is skipped.
    // `p` is always at a run boundary (p == 0 or the byte before it is no token byte).
    let is_token = |i: usize| TOKEN_BYTE[usize::from(bytes[i])];
    let mut p = 0;
    while p + MIN_LEN <= bytes.len() {
        let q = p + MIN_LEN - 1;
        if !is_token(q) {
            p = q + 1;
            continue;
        }
        let mut start = q;
        while start > p && is_token(start - 1) {
            start -= 1;
        }
        let mut end = q + 1;
        while end < bytes.len() && is_token(end) {
            end += 1;
        }
        p = end + 1;
        if end - start < MIN_LEN || covered.iter().any(|&(from, to)| start >= from && end <= to) {
            continue;
        }
        // Token bytes are ASCII, so both ends are character boundaries.
        let run = &text[start..end];
        // A token may end in `-` (base64url); a sentence's `.` or a `--` is no part of one.
        // The longest reading a format matches wins; with none, the fully trimmed one is
        // classified (and counted if it is a placeholder).
        let trimmed = run.trim_end_matches(['.', '-']);
        let value = if trimmed.len() == run.len() {
            run
        } else {
            [run, run.trim_end_matches('.')]
                .into_iter()
                .find(|v| v.len() <= MAX_LEN && worth_detecting(gate, v.as_bytes()) && detect(v).is_some())
                .unwrap_or(trimmed)
        };
        if value.len() < MIN_LEN || value.len() > MAX_LEN || !worth_detecting(gate, value.as_bytes()) {
            continue;
        }
        if let Some((certainty, detection)) = classify(value, tally) {
            hits.push((start, value, certainty, detection));
        }
    }
    hits.sort_by_key(|h| h.0);
    // Lines: where each value is, and the assignment fallback on lines without one.
    let mut found = Vec::with_capacity(hits.len());
    let mut hits = hits.into_iter().peekable();
    let mut line_start = 0;
    for (index, line) in text.split('\n').enumerate() {
        let line_end = line_start + line.len();
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut line_found = false;
        while let Some((at, value, certainty, detection)) = hits.next_if(|h| h.0 < line_end) {
            let column = column(line, at - line_start);
            found.push(Found {
                line: index + 1,
                column,
                value: value.to_owned(),
                certainty,
                detection: Some(detection),
            });
            line_found = true;
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
                        detection: None,
                    });
                }
            }
        }
        line_start = line_end + 1;
    }
    found
}

/// `NAME=value` or `name: value` where the name says it holds a secret and the value is long,
/// mixed like a generated one, and made of the characters secrets are (no code punctuation).
/// Returns the value's column and text.
fn assigned_secret(line: &str) -> Option<(usize, &str)> {
    // Cheap refusals first: this runs on every line without a finding.
    let split = memchr::memchr2(b'=', b':', line.as_bytes())?;
    if line.len() - split <= 20 {
        return None;
    }
    let name = line[..split].trim_start();
    let name = name.strip_prefix("export ").unwrap_or(name).trim();
    if name.is_empty() || name.contains(char::is_whitespace) || !holds_secret_name(name) {
        return None;
    }
    let value = line[split + 1..].trim().trim_matches(['"', '\'']);
    let mixed = value.bytes().any(|b| b.is_ascii_digit()) && value.bytes().any(|b| b.is_ascii_alphabetic());
    let secret_bytes = value.bytes().all(|b| TOKEN_BYTE[usize::from(b)] || matches!(b, b'/' | b'+' | b'=' | b'~'));
    if value.len() < 20 || value.len() > MAX_LEN || !secret_bytes || !mixed {
        return None;
    }
    let byte = line.find(value)?;
    Some((line[..byte].chars().count() + 1, value))
}

/// Whether a variable or key name says it holds a secret (any case).
fn holds_secret_name(name: &str) -> bool {
    let name = name.as_bytes();
    SECRET_NAMES.iter().any(|s| name.windows(s.len()).any(|w| w.eq_ignore_ascii_case(s.as_bytes())))
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
