//! Bitwarden's unencrypted JSON export ("File > Export vault", format JSON): login passwords and
//! token-like hidden custom fields become tokens. An encrypted export is refused with the way out;
//! no value from the file ever reaches an error or a problem text.
//!
//! Also home to [`ItemContext`] and the small helpers both password-manager readers (this one and
//! 1PUX) share: naming an item, cleaning a URL, tag or notes so the vault's rules accept them.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;

use super::{text, ImportRecord, Input};
use crate::error::Result;
use crate::tokens::TokenKind;

/// Longest notes the vault keeps (its limit for any free text); longer notes are cut.
const NOTES_LIMIT: usize = 4096;

const LOGIN: i64 = 1;
const FIELD_TEXT: i64 = 0;
const FIELD_HIDDEN: i64 = 1;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[serde(default)]
    encrypted: bool,
    #[serde(default, deserialize_with = "nullable")]
    folders: Vec<Folder>,
    #[serde(default, deserialize_with = "nullable")]
    collections: Vec<Folder>,
    items: Option<Vec<Item>>,
}

#[derive(Deserialize)]
struct Folder {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    folder_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    collection_ids: Vec<String>,
    #[serde(rename = "type")]
    kind: Option<i64>,
    name: Option<String>,
    notes: Option<String>,
    login: Option<Login>,
    #[serde(default, deserialize_with = "nullable")]
    fields: Vec<CustomField>,
    creation_date: Option<String>,
    deleted_date: Option<String>,
}

#[derive(Deserialize)]
struct Login {
    username: Option<String>,
    password: Option<SecretString>,
    #[serde(default, deserialize_with = "nullable")]
    uris: Vec<Uri>,
}

#[derive(Deserialize)]
struct Uri {
    uri: Option<String>,
}

#[derive(Deserialize)]
struct CustomField {
    name: Option<String>,
    value: Option<SecretString>,
    #[serde(rename = "type")]
    kind: Option<i64>,
}

/// Reads a Bitwarden JSON export: one token per login with a password, and one per hidden custom
/// field whose value looks like a token. Items in the trash are skipped.
pub(crate) fn read(input: &Input<'_>) -> Result<Vec<ImportRecord>> {
    let text = text::utf8(input)?;
    let document: Document = parse(input, text)?;
    if document.encrypted {
        return Err(input.error(
            "the whole file",
            "encrypted",
            "is an encrypted Bitwarden export; export it again as unencrypted JSON \
             (or import the .json from 'File > Export vault' with format JSON)",
        ));
    }
    let Some(items) = document.items else {
        return Err(input.error("the whole file", "items", "is missing: this is not a Bitwarden JSON export"));
    };
    let groups: HashMap<&str, &str> = document
        .folders
        .iter()
        .chain(&document.collections)
        .filter_map(|f| Some((f.id.as_deref()?, f.name.as_deref()?)))
        .collect();
    let mut records = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if item.deleted_date.is_none() {
            read_item(input, index + 1, item, &groups, &mut records)?;
        }
    }
    Ok(records)
}

/// Deserializes JSON after the depth check; a syntax or type error names its line and column.
pub(super) fn parse<'a, T: Deserialize<'a>>(input: &Input<'_>, text: &'a str) -> Result<T> {
    text::check_json_depth(input, text)?;
    serde_json::from_str(text)
        .map_err(|e| input.error(format!("line {}, column {}", e.line(), e.column()), "JSON", text::json_problem(&e)))
}

fn read_item(
    input: &Input<'_>,
    number: usize,
    item: &Item,
    groups: &HashMap<&str, &str>,
    records: &mut Vec<ImportRecord>,
) -> Result<()> {
    let at = item_label("item", number, item.name.as_deref());
    let name = one_line_name(item.name.as_deref(), || format!("Bitwarden item {number}"));
    let mut context = ItemContext::default();
    let login = item.login.as_ref().filter(|_| item.kind == Some(LOGIN));
    if let Some(login) = login {
        context.account = text::field(input, &at, "username", login.username.as_deref())?;
        context.set_url(login.uris.iter().find_map(|u| u.uri.as_deref()));
    }
    let group_ids = item.folder_id.iter().chain(&item.collection_ids);
    context.tags = group_ids.filter_map(|id| groups.get(id.as_str())).filter_map(|n| tag(n)).collect();
    context.created_at = item.creation_date.as_deref().and_then(text::lenient_date);
    let mut lines: Vec<String> = text::field(input, &at, "notes", item.notes.as_deref())?.into_iter().collect();
    let mut hidden: Vec<(String, &SecretString)> = Vec::new();
    for field in &item.fields {
        let (Some(field_name), Some(value)) = (field.name.as_deref(), field.value.as_ref()) else { continue };
        let field_name = field_name.trim();
        if is_expiry_name(field_name) && context.set_expiry(field_name, value.expose_secret()) {
            continue;
        }
        match field.kind {
            Some(FIELD_HIDDEN) if text::looks_like_token(value.expose_secret().trim()) => {
                hidden.push((field_name.to_owned(), value));
            }
            Some(FIELD_TEXT) => {
                if let Some(value) = text::field(input, &at, field_name, Some(value.expose_secret()))? {
                    lines.push(format!("{field_name}: {value}"));
                }
            }
            _ => {}
        }
    }
    context.set_notes(lines);
    if let Some(password) = login.and_then(|l| l.password.as_ref()).filter(|p| !p.expose_secret().trim().is_empty()) {
        records.push(context.record(&at, &name, password.clone()));
    }
    for (field_name, value) in hidden {
        let field_at = format!("{at}, field '{}'", truncate(&field_name, 60));
        records.push(context.record(&field_at, &format!("{name} / {field_name}"), value.clone()));
    }
    Ok(())
}

/// What every token taken from one password-manager item shares: the login's account and
/// address, the item's notes, tags and dates, and what was noticed while reading them.
#[derive(Default, Clone)]
pub(super) struct ItemContext {
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

    /// Keeps an http(s) address (a bare host gets `https://`); anything else is left out, noted.
    pub fn set_url(&mut self, raw: Option<&str>) {
        let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else { return };
        match web_address(raw) {
            Some(url) => self.url = Some(url),
            // Only the scheme is shown: the rest of an address can carry a user name and password.
            None => match raw.split_once("://") {
                Some((scheme, _)) => {
                    self.problems.push(format!("url ({}://…) is not a web address; left out", truncate(scheme, 20)))
                }
                None => self.problems.push("url is not a web address; left out".to_owned()),
            },
        }
    }

    /// Takes `raw` as the expiry date when it is one; otherwise notes the problem (without the value).
    /// Returns whether a date was taken.
    pub fn set_expiry(&mut self, field_name: &str, raw: &str) -> bool {
        match text::lenient_date(raw) {
            Some(date) => {
                self.expires_at = Some(date);
                true
            }
            None => {
                self.problems.push(format!("field '{}' is not a date; expiry left out", truncate(field_name, 60)));
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

/// Where a record came from: `item 3 ('GitHub deploy')`, the name cut to 60 characters.
pub(super) fn item_label(what: &str, number: usize, name: Option<&str>) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => format!("{what} {number} ('{}')", truncate(&name.replace(['\n', '\r'], " "), 60)),
        None => format!("{what} {number}"),
    }
}

/// A one-line token name: the first line of `raw`, or `fallback` when there is none.
pub(super) fn one_line_name(raw: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    let first = raw.and_then(|r| r.lines().map(str::trim).find(|l| !l.is_empty()));
    let clean = first.map(|l| l.chars().filter(|c| !c.is_control()).collect::<String>());
    clean.filter(|n| !n.is_empty()).map(|n| truncate_bytes(&n, 200).to_owned()).unwrap_or_else(fallback)
}

/// An address the vault accepts: http(s) as written, a bare host name with `https://` in front.
pub(super) fn web_address(raw: &str) -> Option<String> {
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

/// A tag the vault accepts: trimmed, one line, no commas.
pub(super) fn tag(raw: &str) -> Option<String> {
    let cleaned: String = raw.chars().map(|c| if c == ',' || c.is_control() { ' ' } else { c }).collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    (!cleaned.is_empty()).then(|| truncate_bytes(&cleaned, 200).to_owned())
}

/// Whether a custom field's name says it holds an expiry date (`Expires`, `expiry`, `Expiration date`).
pub(super) fn is_expiry_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("expir") || lower == "valid until"
}

/// At most `chars` characters of `s`.
pub(super) fn truncate(s: &str, chars: usize) -> String {
    s.chars().take(chars).collect()
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub(super) fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `null` read as the type's default (exports write `"fields": null` as often as they leave it out).
pub(super) fn nullable<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The error's text; ImportRecord has no Debug (it holds a secret), so no `unwrap_err`.
    fn failure(result: Result<Vec<ImportRecord>>) -> String {
        match result {
            Ok(records) => panic!("expected an error, read {} records", records.len()),
            Err(e) => e.to_string(),
        }
    }

    const EXPORT: &[u8] =
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/fixtures/import/bitwarden/export.json"));
    const ENCRYPTED: &[u8] =
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/fixtures/import/bitwarden/encrypted.json"));
    const TRUNCATED: &[u8] =
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/fixtures/import/bitwarden/truncated.json"));
    const DEEP: &[u8] =
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/fixtures/import/bitwarden/deep.json"));

    /// Every secret in export.json, to prove none leaks into a message.
    const SECRETS: &[&str] = &[
        "ghp_Zx8Kq2Lm4Np6Rs8Tv0Wx2Yz4Ab6Cd8Ef0Gh2",
        "glpat-Hj3Kl5Mn7Pq9Rs1Tu3Vw",
        "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx",
        "hunter2-not-a-token",
        "sk_live_FAKEa1b2c3d4e5f6g7h8i9j0",
    ];

    fn read_bytes(bytes: &[u8]) -> Result<Vec<ImportRecord>> {
        read(&Input { name: "bitwarden.json", bytes })
    }

    fn by_name<'a>(records: &'a [ImportRecord], name: &str) -> &'a ImportRecord {
        records.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no record named {name}"))
    }

    #[test]
    fn login_maps_name_account_url_folder_dates_and_notes() {
        let records = read_bytes(EXPORT).unwrap();
        let github = by_name(&records, "GitHub deploy bot");
        assert_eq!(github.secret.expose_secret(), SECRETS[0]);
        assert_eq!(github.account.as_deref(), Some("deploy-bot"));
        assert_eq!(github.url.as_deref(), Some("https://github.com/login"));
        assert_eq!(github.tags, ["Work CI"]);
        assert_eq!(github.created_at.unwrap().to_rfc3339(), "2025-03-01T09:30:00+00:00");
        assert_eq!(github.expires_at.unwrap().to_rfc3339(), "2027-01-31T00:00:00+00:00");
        assert_eq!(github.notes.as_deref(), Some("Used by the release workflow.\nscope: repo, workflow"));
        assert_eq!(github.at, "item 1 ('GitHub deploy bot')");
    }

    #[test]
    fn hidden_token_fields_become_their_own_tokens() {
        let records = read_bytes(EXPORT).unwrap();
        let gitlab = by_name(&records, "GitHub deploy bot / GITLAB_TOKEN");
        assert_eq!(gitlab.secret.expose_secret(), SECRETS[1]);
        assert_eq!(gitlab.at, "item 1 ('GitHub deploy bot'), field 'GITLAB_TOKEN'");
        let slack = by_name(&records, "Slack bot (secure note) / bot token");
        assert_eq!(slack.secret.expose_secret(), SECRETS[2]);
        assert_eq!(slack.tags, ["Chat"]);
    }

    #[test]
    fn notes_without_tokens_cards_and_trash_are_skipped() {
        let records = read_bytes(EXPORT).unwrap();
        let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "GitHub deploy bot",
                "GitHub deploy bot / GITLAB_TOKEN",
                "Forum login",
                "Slack bot (secure note) / bot token"
            ]
        );
    }

    #[test]
    fn odd_urls_are_fixed_or_left_out_with_a_problem() {
        let records = read_bytes(EXPORT).unwrap();
        let forum = by_name(&records, "Forum login");
        assert_eq!(forum.url, None);
        assert!(forum.problems.iter().any(|p| p.contains("not a web address")), "{:?}", forum.problems);
        assert_eq!(web_address("example.com/login").as_deref(), Some("https://example.com/login"));
        assert_eq!(web_address("androidapp://com.example"), None);
    }

    #[test]
    fn encrypted_export_is_refused_with_the_way_out() {
        let err = failure(read_bytes(ENCRYPTED));
        assert!(err.contains("encrypted Bitwarden export") && err.contains("unencrypted JSON"), "{err}");
    }

    #[test]
    fn truncated_and_deep_files_are_clear_errors() {
        let err = failure(read_bytes(TRUNCATED));
        assert!(err.contains("truncated"), "{err}");
        let err = failure(read_bytes(DEEP));
        assert!(err.contains("nested more than"), "{err}");
        let err = failure(read_bytes(b"{\"folders\": []}"));
        assert!(err.contains("not a Bitwarden JSON export"), "{err}");
    }

    #[test]
    fn no_secret_reaches_an_error_or_problem() {
        let records = read_bytes(EXPORT).unwrap();
        let mut texts: Vec<String> = records.iter().flat_map(|r| r.problems.clone()).collect();
        texts.extend(records.iter().map(|r| r.at.clone()));
        let text = String::from_utf8_lossy(EXPORT);
        for cut in [text.len() / 3, text.len() / 2, text.len() - 40] {
            if let Err(e) = read_bytes(&EXPORT[..cut]) {
                texts.push(e.to_string());
            }
        }
        let wrong_type = text.replacen("\"type\": 1,", "\"type\": \"login\",", 1);
        texts.push(read_bytes(wrong_type.as_bytes()).err().map(|e| e.to_string()).unwrap_or_default());
        for secret in SECRETS {
            assert!(texts.iter().all(|t| !t.contains(secret)), "a secret leaked into {texts:?}");
        }
    }

    #[test]
    fn notes_are_cleaned_and_cut_to_the_vault_limit() {
        let mut context = ItemContext::default();
        context.set_notes(vec!["a\r\nb\u{7}".to_owned(), "x".repeat(5000)]);
        let notes = context.notes.unwrap();
        assert!(notes.starts_with("a\nb\n") && notes.len() == NOTES_LIMIT);
        assert_eq!(context.problems.len(), 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_bytes(&bytes);
        }

        #[test]
        fn never_panics_on_json_like_text(s in "[\\[\\]{}\":,a-z0-9 ]{0,400}") {
            let _ = read_bytes(s.as_bytes());
        }

        #[test]
        fn never_panics_on_mangled_exports(cut in 0usize..4000, byte in any::<u8>()) {
            let mut bytes = EXPORT.to_vec();
            let at = cut % bytes.len();
            bytes[at] = byte;
            let _ = read_bytes(&bytes);
        }
    }
}
