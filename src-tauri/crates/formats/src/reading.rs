//! Helpers every reader shares: decoding text, bounding JSON, lenient dates, cleaning names, tags,
//! notes and addresses so the vault accepts them, and telling a token-like value from an ordinary
//! one, so that no message ever quotes a value that could be a secret.

use chrono::{DateTime, TimeZone, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer};

use crate::dates;
use crate::error::Result;
use crate::model::{TokenKind, MAX_SECRET_BYTES};
use crate::{ImportRecord, Input, MAX_FIELD_BYTES, MAX_JSON_DEPTH};

/// Longest notes the vault keeps (its limit for any free text); longer notes are cut.
const NOTES_LIMIT: usize = 4096;
/// What a message shows in place of a value that holds something token-like.
pub(crate) const WITHHELD: &str = "(a value that looks like a token)";

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

/// Deserializes JSON after the depth check; a syntax or type error names its line and column.
pub(crate) fn parse_json<'a, T: Deserialize<'a>>(input: &Input<'_>, text: &'a str) -> Result<T> {
    check_json_depth(input, text)?;
    serde_json::from_str(text)
        .map_err(|e| input.error(format!("line {}, column {}", e.line(), e.column()), "JSON", json_problem(&e)))
}

/// `null` read as the type's default (exports write `"fields": null` as often as they leave it out).
pub(crate) fn null_as_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(
    d: D,
) -> std::result::Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A field's text, trimmed, with empty meaning absent; longer than [`MAX_FIELD_BYTES`] is an error.
pub(crate) fn field(input: &Input<'_>, at: &str, name: &str, raw: Option<&str>) -> Result<Option<String>> {
    Ok(field_str(input, at, name, raw)?.map(str::to_owned))
}

/// As [`field`], borrowed: for a value only parsed or split, never kept whole.
pub(crate) fn field_str<'a>(input: &Input<'_>, at: &str, name: &str, raw: Option<&'a str>) -> Result<Option<&'a str>> {
    let Some(raw) = raw else { return Ok(None) };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.len() > MAX_FIELD_BYTES {
        return Err(input.error(at, name, longer_than(MAX_FIELD_BYTES)));
    }
    Ok(Some(trimmed))
}

/// Refuses a secret longer than the vault keeps; the message names the field, never the value.
pub(crate) fn check_secret_len(input: &Input<'_>, at: &str, field: &str, secret: &str) -> Result<()> {
    if secret.len() > MAX_SECRET_BYTES {
        return Err(input.error(at, field, longer_than(MAX_SECRET_BYTES)));
    }
    Ok(())
}

/// The problem text for a value over `limit` bytes.
pub(crate) fn longer_than(limit: usize) -> String {
    format!("is longer than {} KiB", limit / 1024)
}

/// Text trimmed, with blank meaning absent.
pub(crate) fn non_blank(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|t| !t.is_empty())
}

/// Whether a secret holds anything but white space.
pub(crate) fn is_filled(secret: &SecretString) -> bool {
    !secret.expose_secret().trim().is_empty()
}

/// A date in any of the forms exports use: RFC 3339, `YYYY-MM-DD[ HH:MM[:SS]]`, or Unix seconds.
/// `None` when the text is none of these (the caller records a problem and leaves the date out).
pub(crate) fn lenient_date(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    if let Ok(t) = dates::parse_instant("date", raw) {
        return Some(t);
    }
    if raw.len() <= 12 && raw.bytes().all(|b| b.is_ascii_digit()) {
        return raw.parse::<i64>().ok().and_then(|s| Utc.timestamp_opt(s, 0).single());
    }
    None
}

/// Splits a tag or scope list written with `,`, `;` or spaces between items.
pub(crate) fn split_list(raw: &str) -> impl Iterator<Item = String> + '_ {
    split_on(raw, &[',', ';', ' ', '\n', '\t'])
}

/// The items of `raw` between any of `separators`, trimmed, blank ones left out.
pub(crate) fn split_on<'a>(raw: &'a str, separators: &'a [char]) -> impl Iterator<Item = String> + 'a {
    raw.split(separators).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
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

/// [`looks_like_token`] for a secret read from a file (white space around it does not count).
pub(crate) fn secret_looks_like_token(secret: &SecretString) -> bool {
    looks_like_token(secret.expose_secret().trim())
}

/// Whether `value` or any word in it looks like a token, so a message must not show it: a cell
/// that slid into the wrong column, or a first row read as the header, can hold a secret beside
/// other text. Words are split at white space and punctuation, and again inside addresses and
/// paths (`https://host/ghp_…`); a word is judged by its first 4 KiB, so padding a token with
/// letters does not hide it.
pub(crate) fn holds_token(value: &str) -> bool {
    let words = |extra: &'static str| value.split(move |c: char| !(c.is_ascii_alphanumeric() || extra.contains(c)));
    // Words hold only ASCII, so any byte offset is a character boundary.
    let head = |word: &str| looks_like_token(&word[..word.len().min(4096)]);
    looks_like_token(value) || words("-_./+=:~").chain(words("-_")).any(head)
}

/// File text for a message: cut to `chars` characters, or [`WITHHELD`] when it holds a token.
pub(crate) fn for_message(value: &str, chars: usize) -> String {
    if holds_token(value) {
        WITHHELD.to_owned()
    } else {
        truncate_chars(value, chars)
    }
}

/// [`for_message`] in single quotes (`'next tuesday'`); [`WITHHELD`] stands unquoted.
pub(crate) fn quoted(value: &str, chars: usize) -> String {
    if holds_token(value) {
        WITHHELD.to_owned()
    } else {
        format!("'{}'", truncate_chars(value, chars))
    }
}

/// At most `chars` characters of `s`.
pub(crate) fn truncate_chars(s: &str, chars: usize) -> String {
    s.chars().take(chars).collect()
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub(crate) fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Where a record came from: `item 3 ('GitHub deploy')`, the name on one line and cut to 60
/// characters; `item 3` without a name, or with one that holds a token (labels reach errors).
pub(crate) fn item_label(what: &str, number: usize, name: Option<&str>) -> String {
    match non_blank(name).filter(|n| !holds_token(n)) {
        Some(name) => format!("{what} {number} ('{}')", truncate_chars(&name.replace(['\n', '\r'], " "), 60)),
        None => format!("{what} {number}"),
    }
}

/// A one-line token name: the first line of `raw`, or `fallback` when there is none.
pub(crate) fn one_line_name(raw: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    let first = raw.and_then(|r| r.lines().map(str::trim).find(|l| !l.is_empty()));
    let clean = first.map(|l| l.chars().filter(|c| !c.is_control()).collect::<String>());
    clean.filter(|n| !n.is_empty()).map(|n| truncate_bytes(&n, 200).to_owned()).unwrap_or_else(fallback)
}

/// A tag the vault accepts: trimmed, one line, no commas.
pub(crate) fn vault_tag(raw: &str) -> Option<String> {
    let cleaned: String = raw.chars().map(|c| if c == ',' || c.is_control() { ' ' } else { c }).collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    (!cleaned.is_empty()).then(|| truncate_bytes(&cleaned, 200).to_owned())
}

/// Appends `item` unless the list already holds it (tags keep their first order).
pub(crate) fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Whether a value is an http(s) address as written, with no white space in it.
pub(crate) fn is_http_url(value: &str) -> bool {
    (value.starts_with("https://") || value.starts_with("http://")) && !value.contains(char::is_whitespace)
}

/// An address the vault accepts, more leniently than [`is_http_url`]: http(s) in any case, and a
/// bare host name with `https://` in front (password managers store `example.com/login`).
pub(crate) fn web_address(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 2048 || raw.contains(char::is_whitespace) {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some(raw.to_owned());
    }
    let host = raw.split(['/', ':']).next().unwrap_or_default();
    let host_like = host.contains('.') && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b));
    (!raw.contains("://") && host_like).then(|| format!("https://{raw}"))
}

/// Whether a custom field's name says it holds an expiry date (`Expires`, `expiry`, `Expiration date`).
pub(crate) fn is_expiry_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("expir") || lower == "valid until"
}

/// What every token taken from one password-manager item (Bitwarden, 1PUX) shares: the login's
/// account and address, the item's notes, tags and dates, and what was noticed while reading them.
#[derive(Default, Clone)]
pub(crate) struct ItemContext {
    pub account: Option<String>,
    pub url: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub kind: Option<TokenKind>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: Option<DateTime<Utc>>,
    pub problems: Vec<String>,
}

impl ItemContext {
    /// A record for one secret of the item, carrying the item's shared fields.
    pub fn record(&self, at: &str, name: &str, secret: SecretString) -> ImportRecord {
        let mut record = ImportRecord::new(at, one_line_name(Some(name), || "Imported token".to_owned()), secret);
        record.account = self.account.clone();
        record.url = self.url.clone();
        record.notes = self.notes.clone();
        record.tags = self.tags.clone();
        record.kind = self.kind;
        record.expires_at = self.expires_at;
        record.created_at = self.created_at;
        record.problems = self.problems.clone();
        record
    }

    /// A record for a secret kept in one of the item's fields: `item 1 ('x'), field 'y'`, named
    /// `x / y`.
    pub fn field_record(&self, at: &str, name: &str, field: &str, secret: SecretString) -> ImportRecord {
        let field_at = format!("{at}, field {}", quoted(field, 60));
        self.record(&field_at, &format!("{name} / {field}"), secret)
    }

    /// Keeps an http(s) address (a bare host gets `https://`); anything else is left out, noted.
    pub fn set_url(&mut self, raw: Option<&str>) {
        let Some(raw) = non_blank(raw) else { return };
        match web_address(raw) {
            Some(url) => self.url = Some(url),
            // Only the scheme is shown: the rest of an address can carry a user name and password.
            None => match raw.split_once("://") {
                Some((scheme, _)) => {
                    self.problems.push(format!("url ({}://…) is not a web address; left out", for_message(scheme, 20)))
                }
                None => self.problems.push("url is not a web address; left out".to_owned()),
            },
        }
    }

    /// Takes `raw` as the expiry date when it is one; otherwise notes the problem (without the value).
    /// Returns whether a date was taken.
    pub fn set_expiry(&mut self, field_name: &str, raw: &str) -> bool {
        match lenient_date(raw) {
            Some(date) => {
                self.expires_at = Some(date);
                true
            }
            None => {
                self.problems.push(format!("field {} is not a date; expiry left out", quoted(field_name, 60)));
                false
            }
        }
    }

    /// Joins note lines, with Windows line ends folded and control characters dropped (the vault
    /// refuses them), cut at the vault's limit.
    pub fn set_notes(&mut self, lines: Vec<String>) {
        let joined = lines.join("\n").replace("\r\n", "\n");
        let clean: String = joined.chars().filter(|&c| !c.is_control() || c == '\n' || c == '\t').collect();
        let clean = clean.trim();
        if clean.is_empty() {
            return;
        }
        if clean.len() > NOTES_LIMIT {
            self.problems.push(format!("notes are longer than {NOTES_LIMIT} bytes; the rest was cut"));
        }
        self.notes = Some(truncate_bytes(clean, NOTES_LIMIT).to_owned());
    }
}

/// What the readers' tests share: fixtures by path, an error's text, a record by name.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::error::Result;
    use crate::ImportRecord;

    /// The bytes of a file under `tests/fixtures/import/`: `import_fixture!("env/app.env")`.
    macro_rules! import_fixture {
        ($path:literal) => {
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/fixtures/import/", $path))
        };
    }
    pub(crate) use import_fixture;

    /// The error's text; ImportRecord has no Debug (it holds a secret), so no `unwrap_err`.
    pub(crate) fn failure<T>(result: Result<T>) -> String {
        match result {
            Ok(_) => panic!("expected an error, the file was read"),
            Err(e) => e.to_string(),
        }
    }

    /// Fails naming the text when any of `texts` (errors, problems, `at`s) holds any of `secrets`.
    pub(crate) fn assert_no_secret<S: AsRef<str>>(texts: &[String], secrets: impl IntoIterator<Item = S>) {
        for secret in secrets {
            let secret = secret.as_ref();
            if let Some(text) = texts.iter().find(|t| t.contains(secret)) {
                panic!("a secret leaked into: {text}");
            }
        }
    }

    pub(crate) fn by_name<'a>(records: &'a [ImportRecord], name: &str) -> &'a ImportRecord {
        records.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no record named {name}"))
    }
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
    fn values_holding_a_token_are_withheld_from_messages() {
        let secret = "glpat-DeletedDeleted00001";
        for value in [
            secret.to_owned(),
            format!("<Value ProtectInMemory=\"True\">{secret}[[[["),
            format!("x {secret};y"),
            format!("https://example.com/{secret}"),
            "hunter2-not-a-token".to_owned(),
            format!("{secret}{}", "a".repeat(5000)),
        ] {
            assert!(holds_token(&value), "{value}");
            assert_eq!(quoted(&value, 60), WITHHELD);
            assert_eq!(for_message(&value, 60), WITHHELD);
        }
        for value in ["next tuesday", "Slack!!", "app.slack.com", "not a date", "Expiry Date", "gDG24w4AAAA="] {
            assert!(!holds_token(value), "{value}");
        }
        assert_eq!(quoted("next tuesday", 4), "'next'");
        assert_eq!(for_message("Backup code", 6), "Backup");
    }

    #[test]
    fn labels_names_and_tags_are_one_line() {
        assert_eq!(item_label("item", 3, Some(" GitHub\ndeploy ")), "item 3 ('GitHub deploy')");
        assert_eq!(item_label("entry", 1, Some("  ")), "entry 1");
        assert_eq!(item_label("item", 2, Some("backup ghp_Zx8Kq2Lm4Np6Rs8Tv0Wx2Yz4Ab6Cd8Ef0Gh2")), "item 2");
        assert_eq!(one_line_name(Some("\n first \nsecond"), || "x".to_owned()), "first");
        assert_eq!(one_line_name(Some("\u{7}"), || "fallback".to_owned()), "fallback");
        assert_eq!(vault_tag(" Work,\tCI ").as_deref(), Some("Work CI"));
        assert_eq!(vault_tag(" , "), None);
    }

    #[test]
    fn addresses_are_kept_fixed_or_refused() {
        assert!(is_http_url("https://github.com") && !is_http_url("HTTPS://github.com") && !is_http_url("http://a b"));
        assert_eq!(web_address("HTTPS://github.com").as_deref(), Some("HTTPS://github.com"));
        assert_eq!(web_address("example.com/login").as_deref(), Some("https://example.com/login"));
        assert_eq!(web_address("androidapp://com.example"), None);
    }

    #[test]
    fn notes_are_cleaned_and_cut_to_the_vault_limit() {
        let mut context = ItemContext::default();
        context.set_notes(vec!["a\r\nb\u{7}".to_owned(), "x".repeat(5000)]);
        let notes = context.notes.unwrap();
        assert!(notes.starts_with("a\nb\n") && notes.len() == NOTES_LIMIT);
        assert_eq!(context.problems.len(), 1);
    }

    #[test]
    fn dates_in_export_forms_parse() {
        assert_eq!(lenient_date("2027-01-31").unwrap().to_rfc3339(), "2027-01-31T00:00:00+00:00");
        assert_eq!(lenient_date("1800000000").unwrap().timestamp(), 1_800_000_000);
        assert!(lenient_date("next tuesday").is_none());
    }
}
